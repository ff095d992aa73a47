import { A, useNavigate } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { EvaluationView, formatScore } from '../components/evaluation-view';
import { LoadError } from '../components/load-error';
import { ScoreTrend } from '../components/score-trend';
import { formatDateTime, t } from '../i18n';
import { api } from '../lib/api';
import { usePageTitle } from '../lib/page-title';
import type { Evaluation } from '../lib/types';

/** One evaluation of mine, expandable: the answers with evidence, acknowledge, dispute per question. */
function FeedbackRow(props: { evaluation: Evaluation }) {
  const navigate = useNavigate();
  const [open, setOpen] = createSignal(props.evaluation.status === 'reviewed');
  const [detail, { mutate }] = createResource(() => (open() ? props.evaluation.id : undefined), (id) => api.evaluation(id));
  const id = () => `feedback-${props.evaluation.id}`;
  /** The latest state: the loaded detail (updated by acknowledge and disputes) over the list's row. */
  const current = (): Evaluation => detail() ?? props.evaluation;
  return (
    <li class="card" data-evaluation-id={props.evaluation.id} data-testid="feedback-item">
      <div class="section-head">
        <h2 class="small">
          {formatDateTime(props.evaluation.callStartedAt)} · {props.evaluation.scorecard.name}
        </h2>
        <span class="eval-score num">{formatScore(current().overall)}</span>
      </div>
      <div class="eval-summary small">
        <Show when={current().passed !== null}>
          <span class={`badge ${current().passed ? 'pass' : 'fail'}`}>{current().passed ? t('eval.passed') : t('eval.failed')}</span>
        </Show>
        <span class="badge" data-testid="feedback-status">{t(`eval.status.${current().status}`)}</span>
        <A href={`/calls/${props.evaluation.callId}`}>{t('feedback.replay')}</A>
        <button type="button" class="linkish" aria-expanded={open()} aria-controls={id()} onClick={() => setOpen(!open())}>
          {open() ? t('feedback.hide') : t('feedback.details')}
        </button>
      </div>
      <Show when={open()}>
        <div id={id()} class="feedback-detail">
          <Show when={detail.error}>{(err) => <LoadError error={err()} />}</Show>
          <Show when={detail.error ? undefined : detail()} fallback={<p class="muted">{t('app.loading')}</p>}>
            {(d) => (
              <EvaluationView
                detail={d()} canReview={false} canDispute timeMs={0}
                onSeek={(ms) => navigate(`/calls/${props.evaluation.callId}?t=${Math.round(ms)}`)}
                onChange={(next) => mutate(next)}
              />
            )}
          </Show>
        </div>
      </Show>
    </li>
  );
}

/** The agent's own evaluations: scores over time, each one's answers, acknowledge or dispute, replay the call. */
export default function MyFeedbackPage() {
  usePageTitle(() => t('feedback.title'));
  const [page, { refetch }] = createResource(() => api.myEvaluations({ limit: 100 }));
  return (
    <section class="page" data-testid="feedback-page">
      <h1>{t('feedback.title')}</h1>
      <Show when={page.error}>{(err) => <LoadError error={err()} retry={() => void refetch()} />}</Show>
      <Show when={page.error ? undefined : page()} fallback={<p class="muted">{t('app.loading')}</p>}>
        {(p) => (
          <Show when={p().items.length > 0} fallback={<p class="muted" data-testid="feedback-empty">{t('feedback.empty')}</p>}>
            <ScoreTrend evaluations={p().items} />
            <ol class="hits">
              <For each={p().items}>{(e) => <FeedbackRow evaluation={e} />}</For>
            </ol>
          </Show>
        )}
      </Show>
    </section>
  );
}
