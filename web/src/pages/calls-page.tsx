import { A, useSearchParams } from '@solidjs/router';
import { createResource, For, Show, Suspense } from 'solid-js';
import { CALL_FILTER_KEYS, CallFilters, type CallFilterParams } from '../components/call-filters';
import { CallStatusBadge, TranscriptionBadge } from '../components/call-status';
import { LoadError } from '../components/load-error';
import { Pager } from '../components/pager';
import { SentimentBadge } from '../components/sentiment-badge';
import { formatDateTime, formatDuration, formatNumber, t } from '../i18n';
import { api } from '../lib/api';
import { dayEnd, dayStart } from '../lib/dates';
import { usePageTitle } from '../lib/page-title';
import {
  ALERT_PRESENCES, CALL_STATUSES, SENTIMENT_LABELS, type AlertPresence, type CallFilter, type CallListItem, type CallStatus, type SentimentLabel,
} from '../lib/types';

const LIMIT = 25;
type Params = CallFilterParams & { offset?: string };

const oneOf = <T extends string>(values: readonly T[], v: string | undefined): T | undefined => (values.includes(v as T) ? (v as T) : undefined);
const scoreParam = (v: string | undefined) => (v && Number.isFinite(Number(v)) ? Number(v) : undefined);
const sentimentOf = (c: CallListItem) => (c.customerSentiment === null || !c.customerSentimentLabel
  ? null : { score: c.customerSentiment, label: c.customerSentimentLabel });

/**
 * Calls within the user's scope, filtered by transcript text, agent, team, queue, status, date, QA score, customer
 * sentiment and alerts; the filters live in the URL.
 */
export default function CallsPage() {
  usePageTitle(() => t('calls.title'));
  const [params, setParams] = useSearchParams<Params>();
  const filter = (): CallFilter => ({
    q: params.q || undefined,
    agent: params.agent || undefined,
    team: params.team || undefined,
    queue: params.queue || undefined,
    status: oneOf<CallStatus>(CALL_STATUSES, params.status),
    from: dayStart(params.from),
    to: dayEnd(params.to),
    scoreMin: scoreParam(params.scoreMin),
    scoreMax: scoreParam(params.scoreMax),
    sentiment: oneOf<SentimentLabel>(SENTIMENT_LABELS, params.sentiment),
    alerts: oneOf<AlertPresence>(ALERT_PRESENCES, params.alerts),
    limit: LIMIT,
    offset: Math.max(0, Number(params.offset) || 0),
  });
  const [page, { refetch }] = createResource(filter, (f) => api.calls(f));
  const clear = () => setParams({ ...Object.fromEntries(CALL_FILTER_KEYS.map((k) => [k, undefined])), offset: undefined });

  return (
    <section class="page" data-testid="calls-page">
      <h1>{t('calls.title')}</h1>
      <CallFilters values={params} onApply={(values) => setParams({ ...values, offset: undefined })} onClear={clear} />

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
                      <th scope="col">{t('calls.col.score')}</th>
                      <th scope="col">{t('calls.col.sentiment')}</th>
                      <th scope="col">{t('calls.col.alerts')}</th>
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
                          <td data-label={t('calls.col.score')} class="num" data-testid="call-score">
                            {c.score === null ? t('common.none') : formatNumber(c.score, { maximumFractionDigits: 1 })}
                          </td>
                          <td data-label={t('calls.col.sentiment')}><SentimentBadge sentiment={sentimentOf(c)} /></td>
                          <td data-label={t('calls.col.alerts')} class="num">
                            {c.alerts === 0 ? t('common.none') : t('calls.alerts.count', { total: c.alerts, open: c.openAlerts })}
                          </td>
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
