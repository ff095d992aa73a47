import { A } from '@solidjs/router';
import { AlertsList } from '../components/alerts-list';
import { createSignal, For, onCleanup, Show } from 'solid-js';
import { LiveStatus } from '../components/live-status';
import { SentimentBadge } from '../components/sentiment-badge';
import { formatDuration, t } from '../i18n';
import { connectLive } from '../lib/live-socket';
import type { LiveCall } from '../lib/live-types';
import { usePageTitle } from '../lib/page-title';
import { useNow } from '../lib/use-now';

/** A live call as the wallboard holds it: `originMs` is its start on this browser's clock (durations count on from there). */
interface Row { call: LiveCall; originMs: number }

/**
 * The wallboard: live calls of the supervisor's teams (every call for admins) from the supervisor WebSocket,
 * kept current by `calls`, `call.added`, `call.updated` and `call.removed`; durations count on locally.
 */
export default function WallboardPage() {
  usePageTitle(() => t('wallboard.title'));
  const socket = connectLive();
  const now = useNow();
  const [rows, setRows] = createSignal<Row[]>([]);
  /** Bumped when a call's open-alert count changes: the alerts list reloads. */
  const [alertsVersion, setAlertsVersion] = createSignal(0);

  const upsert = (call: LiveCall) => setRows((rs) => {
    const i = rs.findIndex((r) => r.call.callId === call.callId);
    if ((i < 0 ? 0 : rs[i].call.openAlerts) !== call.openAlerts) queueMicrotask(() => setAlertsVersion((n) => n + 1));
    return i < 0 ? [...rs, { call, originMs: Date.now() - call.durationMs }] : rs.map((r, j) => (j === i ? { ...r, call } : r));
  });
  const off = socket.onMessage((m) => {
    switch (m.type) {
      case 'calls': setRows(m.calls.map((call) => ({ call, originMs: Date.now() - call.durationMs }))); break;
      case 'call.added':
      case 'call.updated': upsert(m.call); break;
      case 'call.removed': setRows((rs) => rs.filter((r) => r.call.callId !== m.callId)); break;
      case 'hello': case 'error': case 'pong': case 'subscribed': case 'unsubscribed': case 'transcript.partial': case 'transcript.final':
      case 'sentiment.scored': case 'sentiment.summarized': case 'metrics.updated': case 'note.added': case 'note.deleted':
      case 'monitor.started': case 'monitor.updated': case 'monitor.refused': case 'monitor.stopped':
        break; // not the wallboard's
    }
  });
  onCleanup(() => {
    off();
    socket.close();
  });
  const sorted = () => [...rows()].sort((a, b) => a.call.startedAt.localeCompare(b.call.startedAt));
  const duration = (r: Row) => Math.max(r.call.durationMs, now() - r.originMs);

  return (
    <section class="page" data-testid="wallboard-page">
      <div class="section-head">
        <h1>{t('wallboard.title')}</h1>
        <LiveStatus socket={socket} />
      </div>
      <p class="small" aria-live="polite" data-testid="live-count">{t('wallboard.count', { n: rows().length })}</p>
      <Show when={rows().length > 0} fallback={<p class="muted" data-testid="wallboard-empty">{t('wallboard.empty')}</p>}>
        <table class="data wallboard" data-testid="wallboard-table">
          <thead>
            <tr>
              <th scope="col">{t('calls.col.agent')}</th>
              <th scope="col">{t('calls.col.duration')}</th>
              <th scope="col">{t('calls.col.team')}</th>
              <th scope="col">{t('calls.col.queue')}</th>
              <th scope="col">{t('wallboard.col.sentiment')}</th>
              <th scope="col">{t('wallboard.col.alerts')}</th>
              <th scope="col">{t('wallboard.col.monitor')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={sorted()}>
              {(r) => {
                const agent = () => r.call.agent?.displayName ?? r.call.agent?.externalId ?? t('common.none');
                return (
                  <tr data-call-id={r.call.callId} classList={{ alerting: r.call.openAlerts > 0 }}>
                    <td data-label={t('calls.col.agent')}>{agent()}</td>
                    <td data-label={t('calls.col.duration')} class="num" data-testid="live-duration">{formatDuration(duration(r))}</td>
                    <td data-label={t('calls.col.team')}>{r.call.team?.name ?? t('common.none')}</td>
                    <td data-label={t('calls.col.queue')}>{r.call.queue ?? t('common.none')}</td>
                    <td data-label={t('wallboard.col.sentiment')}><SentimentBadge sentiment={r.call.customerSentiment} /></td>
                    <td data-label={t('wallboard.col.alerts')}>
                      <Show when={r.call.openAlerts > 0} fallback={<span class="muted">{t('wallboard.noAlerts')}</span>}>
                        <span class="badge alert" data-testid="alert-badge">{t('wallboard.alerts', { n: r.call.openAlerts })}</span>
                      </Show>
                    </td>
                    <td data-label={t('wallboard.col.monitor')}>
                      <A href={`/live/${r.call.callId}`} class="button-link" aria-label={t('wallboard.openFor', { agent: agent() })}>{t('wallboard.open')}</A>
                      <Show when={r.call.refusals.whisper ?? r.call.refusals.barge}>
                        {(reason) => <p class="hint">{t('wallboard.limited', { reason: reason() })}</p>}
                      </Show>
                    </td>
                  </tr>
                );
              }}
            </For>
          </tbody>
        </table>
      </Show>
      <AlertsList version={alertsVersion()} />
    </section>
  );
}
