import { createEffect, createSignal, For } from 'solid-js';
import { t } from '../i18n';
import { DateField } from './date-field';
import type { AnalyticsReport } from '../lib/analytics-types';

export interface AnalyticsParams { from: string; to: string; tz: string; team?: string; agent?: string; queue?: string }

/** The IANA zones the browser knows, for the time zone field's suggestions. */
const zones = (): string[] => (typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC']);

/** Date range (days, inclusive), team, agent (of the chosen team), queue and time zone; applied on submit. */
export function AnalyticsFilters(props: { value: AnalyticsParams; options: AnalyticsReport['options'] | undefined; onApply: (p: AnalyticsParams) => void }) {
  // The agent list follows the team chosen in the form, before it is applied.
  const [team, setTeam] = createSignal(props.value.team);
  createEffect(() => setTeam(props.value.team));
  const agents = () => (props.options?.agents ?? []).filter((a) => !team() || a.teamId === team());
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const get = (k: string) => String(data.get(k) ?? '').trim() || undefined;
    props.onApply({
      from: get('from') ?? props.value.from, to: get('to') ?? props.value.to, tz: get('tz') ?? props.value.tz,
      team: get('team'), agent: get('agent'), queue: get('queue'),
    });
  };
  return (
    <form class="filters" onSubmit={submit} aria-label={t('analytics.filters')}>
      <DateField name="from" label={t('common.from')} value={props.value.from} />
      <DateField name="to" label={t('common.to')} value={props.value.to} />
      <label class="field">
        <span>{t('analytics.team')}</span>
        <select name="team" value={props.value.team ?? ''} onChange={(e) => setTeam(e.currentTarget.value || undefined)}>
          <option value="">{t('common.any')}</option>
          <For each={props.options?.teams ?? []}>{(team) => <option value={team.id}>{team.name}</option>}</For>
        </select>
      </label>
      <label class="field">
        <span>{t('analytics.agent')}</span>
        <select name="agent" value={props.value.agent ?? ''}>
          <option value="">{t('common.any')}</option>
          <For each={agents()}>{(a) => <option value={a.id}>{a.name}</option>}</For>
        </select>
      </label>
      <label class="field">
        <span>{t('analytics.queue')}</span>
        <select name="queue" value={props.value.queue ?? ''}>
          <option value="">{t('common.any')}</option>
          <For each={props.options?.queues ?? []}>{(q) => <option value={q.id}>{q.name}</option>}</For>
        </select>
      </label>
      <label class="field">
        <span>{t('analytics.timeZone')}</span>
        <input name="tz" list="analytics-zones" value={props.value.tz} dir="ltr" autocomplete="off" />
        <datalist id="analytics-zones"><For each={zones()}>{(z) => <option value={z} />}</For></datalist>
      </label>
      <div class="actions"><button type="submit" class="primary">{t('common.apply')}</button></div>
    </form>
  );
}
