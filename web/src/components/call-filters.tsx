import { For } from 'solid-js';
import { t } from '../i18n';
import { ALERT_PRESENCES, CALL_STATUSES, SENTIMENT_LABELS } from '../lib/types';
import { DateField } from './date-field';

/** The calls list's filters as they live in the URL (strings; empty means unset). */
export type CallFilterParams = {
  agent?: string; team?: string; queue?: string; status?: string; from?: string; to?: string;
  q?: string; scoreMin?: string; scoreMax?: string; sentiment?: string; alerts?: string;
};
export const CALL_FILTER_KEYS = ['agent', 'team', 'queue', 'status', 'from', 'to', 'q', 'scoreMin', 'scoreMax', 'sentiment', 'alerts'] as const;

/** The Calls page's filter form: submits every field (trimmed, empty as undefined), or clears them all. */
export function CallFilters(props: { values: CallFilterParams; onApply: (values: CallFilterParams) => void; onClear: () => void }) {
  const apply = (e: SubmitEvent) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    props.onApply(Object.fromEntries(CALL_FILTER_KEYS.map((k) => [k, String(data.get(k) ?? '').trim() || undefined])));
  };
  const text = (name: 'agent' | 'team' | 'queue') => (
    <label class="field"><span>{t(`calls.filter.${name}`)}</span><input name={name} value={props.values[name] ?? ''} /></label>
  );
  const score = (name: 'scoreMin' | 'scoreMax') => (
    <label class="field">
      <span>{t(`calls.filter.${name}`)}</span>
      <input name={name} type="number" min="0" max="100" step="any" inputmode="decimal" value={props.values[name] ?? ''} />
    </label>
  );

  return (
    <form class="filters" onSubmit={apply} aria-label={t('calls.filters')}>
      <label class="field">
        <span>{t('calls.filter.q')}</span>
        <input name="q" type="search" maxLength={200} value={props.values.q ?? ''} />
      </label>
      {text('agent')}
      {text('team')}
      {text('queue')}
      <label class="field">
        <span>{t('calls.filter.status')}</span>
        <select name="status" value={props.values.status ?? ''}>
          <option value="">{t('common.any')}</option>
          <For each={CALL_STATUSES}>{(s) => <option value={s}>{t(`call.status.${s}`)}</option>}</For>
        </select>
      </label>
      <DateField name="from" label={t('common.from')} value={props.values.from} />
      <DateField name="to" label={t('common.to')} value={props.values.to} />
      {score('scoreMin')}
      {score('scoreMax')}
      <label class="field">
        <span>{t('calls.filter.sentiment')}</span>
        <select name="sentiment" value={props.values.sentiment ?? ''}>
          <option value="">{t('common.any')}</option>
          <For each={SENTIMENT_LABELS}>{(s) => <option value={s}>{t(`sentiment.label.${s}`)}</option>}</For>
        </select>
      </label>
      <label class="field">
        <span>{t('calls.filter.alerts')}</span>
        <select name="alerts" value={props.values.alerts ?? ''}>
          <option value="">{t('common.any')}</option>
          <For each={ALERT_PRESENCES}>{(a) => <option value={a}>{t(`calls.filter.alerts.${a}`)}</option>}</For>
        </select>
      </label>
      <div class="actions">
        <button type="submit" class="primary">{t('common.apply')}</button>
        <button type="button" onClick={props.onClear}>{t('common.clear')}</button>
      </div>
    </form>
  );
}
