import { createEffect, createResource, createSignal, For, Show } from 'solid-js';
import { t } from '../i18n';
import { api } from '../lib/api';
import { hasRole, user } from '../lib/session';
import { EvaluationView } from './evaluation-view';
import { LoadError } from './load-error';

/** The call review's side panel: the call's evaluations (one chosen), reviewable by qa and admin, read by others. */
export function EvaluationPanel(props: { callId: string; timeMs: number; onSeek: (ms: number) => void }) {
  const [list, { refetch: refetchList }] = createResource(() => props.callId, (callId) => api.evaluations({ callId, limit: 50 }));
  const [chosen, setChosen] = createSignal<string>();
  createEffect(() => {
    const items = list()?.items ?? [];
    if (!chosen() || !items.some((e) => e.id === chosen())) setChosen(items[0]?.id);
  });
  const [detail, { mutate, refetch }] = createResource(chosen, (id) => api.evaluation(id));

  return (
    <section class="card" aria-labelledby="eval-title" data-testid="evaluation-panel">
      <h2 id="eval-title">{t('eval.title')}</h2>
      <Show when={list.error}>{(err) => <LoadError error={err()} retry={() => void refetchList()} />}</Show>
      <Show when={list()}>
        {(l) => (
          <Show when={l().items.length > 0} fallback={<p class="muted" data-testid="eval-none">{t('eval.none')}</p>}>
            <Show when={l().items.length > 1}>
              <label class="field">
                <span>{t('eval.choose')}</span>
                <select value={chosen() ?? ''} onChange={(e) => setChosen(e.currentTarget.value)}>
                  <For each={l().items}>
                    {(e) => <option value={e.id}>{t('eval.option', { scorecard: e.scorecard.name, version: e.scorecard.version, status: t(`eval.status.${e.status}`) })}</option>}
                  </For>
                </select>
              </label>
            </Show>
            <Show when={detail.error}>{(err) => <LoadError error={err()} retry={() => void refetch()} />}</Show>
            <Show when={detail.error ? undefined : detail()}>
              {(d) => (
                <EvaluationView
                  detail={d()} timeMs={props.timeMs} onSeek={props.onSeek}
                  canReview={hasRole(['qa', 'admin'])}
                  canDispute={!!d().agent?.userId && d().agent?.userId === user()?.id}
                  onChange={(next) => { mutate(next); void refetchList(); }}
                />
              )}
            </Show>
          </Show>
        )}
      </Show>
    </section>
  );
}
