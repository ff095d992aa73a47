import { A } from '@solidjs/router';
import { createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { formatDateTime, t } from '../i18n';
import { api } from '../lib/api';
import { hasRole } from '../lib/session';
import type { Alert } from '../lib/types';
import { LoadError } from './load-error';

const REFRESH_MS = 15_000;

/**
 * Open alerts in the user's scope (GET /api/alerts?open=true), newest first, each with acknowledge (supervisors of
 * the team and admins). Reloaded when `version` changes (the wallboard bumps it when a call's open-alert count
 * changes) and every 15 s.
 */
export function AlertsList(props: { version: number }) {
  const [tick, setTick] = createSignal(0);
  const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
  onCleanup(() => clearInterval(timer));
  const [alerts, { refetch, mutate }] = createResource(() => [props.version, tick()] as const, () => api.alerts({ open: 'true', limit: 50 }));
  const [problem, setProblem] = createSignal<string>();
  const acknowledge = async (a: Alert) => {
    setProblem(undefined);
    try {
      await api.acknowledgeAlert(a.id);
      mutate((p) => (p ? { ...p, items: p.items.filter((x) => x.id !== a.id), total: p.total - 1 } : p));
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
      void refetch();
    }
  };
  return (
    <section class="card alerts" aria-labelledby="alerts-title" data-testid="alerts-list">
      <h2 id="alerts-title">{t('alerts.title')}</h2>
      <Show when={alerts.error}>{(err) => <LoadError error={err()} retry={() => void refetch()} />}</Show>
      <Show when={problem()}>{(p) => <p class="notice error small" role="alert">{p()}</p>}</Show>
      <Show when={alerts.latest}>
        {(page) => (
          <Show when={page().items.length > 0} fallback={<p class="muted">{t('alerts.empty')}</p>}>
            <ul class="alert-items">
              <For each={page().items}>
                {(a) => (
                  <li class={`alert-item severity-${a.severity}`} data-alert-id={a.id}>
                    <span class={`badge severity-${a.severity}`}>{t(`alerts.severity.${a.severity}`)}</span>
                    <span class="grow">{a.message}</span>
                    <span class="small muted">{a.agent?.displayName ?? a.agent?.externalId ?? ''} · {formatDateTime(a.raisedAt, { timeStyle: 'short' })}</span>
                    <A href={`/live/${a.callId}`} class="small">{t('alerts.openCall')}</A>
                    <Show when={hasRole(['supervisor', 'admin'])}>
                      <button type="button" class="small" onClick={() => void acknowledge(a)} aria-label={t('alerts.acknowledgeFor', { message: a.message })}>
                        {t('alerts.acknowledge')}
                      </button>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </section>
  );
}
