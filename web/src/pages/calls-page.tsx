import { A, useSearchParams } from '@solidjs/router';
import { createResource, For, Show, Suspense } from 'solid-js';
import { CallStatusBadge, TranscriptionBadge } from '../components/call-status';
import { LoadError } from '../components/load-error';
import { Pager } from '../components/pager';
import { DateField } from '../components/date-field';
import { formatDateTime, formatDuration, t } from '../i18n';
import { api } from '../lib/api';
import { dayEnd, dayStart } from '../lib/dates';
import { usePageTitle } from '../lib/page-title';
import { CALL_STATUSES, type CallFilter, type CallStatus } from '../lib/types';

const LIMIT = 25;
type Params = { agent?: string; team?: string; queue?: string; status?: string; from?: string; to?: string; offset?: string };

/** Calls within the user's scope, filtered by agent, team, queue, status and date; the filters live in the URL. */
export default function CallsPage() {
  usePageTitle(() => t('calls.title'));
  const [params, setParams] = useSearchParams<Params>();
  const filter = (): CallFilter => ({
    agent: params.agent || undefined,
    team: params.team || undefined,
    queue: params.queue || undefined,
    status: CALL_STATUSES.includes(params.status as CallStatus) ? (params.status as CallStatus) : undefined,
    from: dayStart(params.from),
    to: dayEnd(params.to),
    limit: LIMIT,
    offset: Math.max(0, Number(params.offset) || 0),
  });
  const [page, { refetch }] = createResource(filter, (f) => api.calls(f));

  const apply = (e: SubmitEvent) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const get = (k: string) => String(data.get(k) ?? '').trim() || undefined;
    setParams({ agent: get('agent'), team: get('team'), queue: get('queue'), status: get('status'), from: get('from'), to: get('to'), offset: undefined });
  };
  const clear = () => setParams({ agent: undefined, team: undefined, queue: undefined, status: undefined, from: undefined, to: undefined, offset: undefined });

  return (
    <section class="page" data-testid="calls-page">
      <h1>{t('calls.title')}</h1>
      <form class="filters" onSubmit={apply} aria-label={t('calls.filters')}>
        <label class="field"><span>{t('calls.filter.agent')}</span><input name="agent" value={params.agent ?? ''} /></label>
        <label class="field"><span>{t('calls.filter.team')}</span><input name="team" value={params.team ?? ''} /></label>
        <label class="field"><span>{t('calls.filter.queue')}</span><input name="queue" value={params.queue ?? ''} /></label>
        <label class="field">
          <span>{t('calls.filter.status')}</span>
          <select name="status" value={params.status ?? ''}>
            <option value="">{t('common.any')}</option>
            <For each={CALL_STATUSES}>{(s) => <option value={s}>{t(`call.status.${s}`)}</option>}</For>
          </select>
        </label>
        <DateField name="from" label={t('common.from')} value={params.from} />
        <DateField name="to" label={t('common.to')} value={params.to} />
        <div class="actions">
          <button type="submit" class="primary">{t('common.apply')}</button>
          <button type="button" onClick={clear}>{t('common.clear')}</button>
        </div>
      </form>

      <Show when={page.error}>{(err) => <LoadError error={err()} retry={() => void refetch()} />}</Show>
      <Suspense fallback={<p class="muted">{t('app.loading')}</p>}>
        <Show when={page.error ? undefined : page()}>
          {(p) => (
            <>
              <Show when={p().items.length > 0} fallback={<p class="muted" data-testid="calls-empty">{t('calls.empty')}</p>}>
                <table class="data calls-table" data-testid="calls-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('calls.col.started')}</th>
                      <th scope="col">{t('calls.col.duration')}</th>
                      <th scope="col">{t('calls.col.agent')}</th>
                      <th scope="col">{t('calls.col.team')}</th>
                      <th scope="col">{t('calls.col.queue')}</th>
                      <th scope="col">{t('calls.col.direction')}</th>
                      <th scope="col">{t('calls.col.status')}</th>
                      <th scope="col">{t('calls.col.transcript')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={p().items}>
                      {(c) => (
                        <tr data-call-id={c.id}>
                          <td data-label={t('calls.col.started')}>
                            <A href={`/calls/${c.id}`} aria-label={t('calls.open', { time: formatDateTime(c.startedAt) })}>{formatDateTime(c.startedAt)}</A>
                          </td>
                          <td data-label={t('calls.col.duration')} class="num">{c.durationMs === null ? t('common.none') : formatDuration(c.durationMs)}</td>
                          <td data-label={t('calls.col.agent')}>{c.agent?.displayName ?? t('common.none')}</td>
                          <td data-label={t('calls.col.team')}>{c.agent?.teamName ?? t('common.none')}</td>
                          <td data-label={t('calls.col.queue')}>{c.queue?.name ?? t('common.none')}</td>
                          <td data-label={t('calls.col.direction')}>{t(`call.direction.${c.direction}`)}</td>
                          <td data-label={t('calls.col.status')}><CallStatusBadge status={c.status} /></td>
                          <td data-label={t('calls.col.transcript')}><TranscriptionBadge status={c.transcription.status} note={c.transcription.note} /></td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </Show>
              <Pager total={p().total} limit={p().limit} offset={p().offset} onChange={(offset) => setParams({ offset: offset ? String(offset) : undefined })} />
            </>
          )}
        </Show>
      </Suspense>
    </section>
  );
}
