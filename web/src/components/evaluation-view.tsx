import { createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { formatDuration, formatNumber, formatPercent, t } from '../i18n';
import { api, ApiError } from '../lib/api';
import type { AnswerValue, Dispute, EvaluationDetail, QuestionView } from '../lib/types';

export function formatAnswer(v: AnswerValue | null | undefined): string {
  if (v === null || v === undefined) return t('eval.value.none');
  return typeof v === 'number' ? formatNumber(v) : t(`eval.value.${v}`);
}

export function formatScore(overall: number | null): string {
  return overall === null ? t('eval.notScored') : formatNumber(Math.round(overall * 10) / 10);
}

/** A reviewer's pending change to one question: `value` undefined keeps the answer in force. */
interface Draft { value?: AnswerValue | null; comment: string; commentMs: number | null }

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * An evaluation laid out as its scorecard: per question the answer in force, the automatic answer with confidence
 * and evidence (each a button that plays the call from there), comments at call times, disputes. With `canReview`
 * a QA reviewer overrides answers, comments at the current player time and submits; with `canDispute` the
 * evaluated agent acknowledges or disputes a question with a reason.
 */
export function EvaluationView(props: {
  detail: EvaluationDetail;
  canReview: boolean;
  canDispute: boolean;
  timeMs: number;
  onSeek: (ms: number) => void;
  onChange: (detail: EvaluationDetail) => void;
}) {
  const [drafts, setDrafts] = createStore<Record<string, Draft>>({});
  const [busy, setBusy] = createSignal(false);
  const [message, setMessage] = createSignal<{ kind: 'ok' | 'error'; text: string }>();
  const [disputing, setDisputing] = createSignal<string>();
  const [reason, setReason] = createSignal('');

  const reviewable = () => props.canReview && props.detail.kind !== 'calibration' && props.detail.status !== 'disputed';
  const draft = (q: QuestionView): Draft => drafts[q.id] ?? { comment: q.answer?.comment ?? '', commentMs: q.answer?.commentMs ?? null };
  const edit = (q: QuestionView, patch: Partial<Draft>) => setDrafts(q.id, { ...draft(q), ...patch });
  const inForce = (q: QuestionView) => {
    const d = drafts[q.id];
    return d && d.value !== undefined ? d.value : q.answer?.value ?? null;
  };
  const openDispute = (q: QuestionView): Dispute | undefined => props.detail.disputes.find((d) => d.questionId === q.id && d.status === 'open');
  const questions = () => props.detail.sections.flatMap((s) => s.questions);

  const submit = async (final: boolean) => {
    setMessage(undefined);
    const unanswered = questions().filter((q) => inForce(q) === null);
    if (final && unanswered.length > 0) {
      setMessage({ kind: 'error', text: t('eval.unanswered', { questions: unanswered.map((q) => q.text).join('; ') }) });
      return;
    }
    setBusy(true);
    try {
      const answers = questions().map((q) => {
        const d = draft(q);
        return { questionId: q.id, value: inForce(q), comment: d.comment.trim() || null, commentMs: d.comment.trim() ? d.commentMs : null };
      });
      const next = await api.reviewEvaluation(props.detail.id, { answers, submit: final });
      setDrafts({});
      props.onChange(next);
      setMessage({ kind: 'ok', text: final ? t('eval.submitted', { score: formatScore(next.overall) }) : t('eval.saved') });
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  const acknowledge = async () => {
    setBusy(true);
    setMessage(undefined);
    try {
      props.onChange(await api.acknowledgeEvaluation(props.detail.id));
      setMessage({ kind: 'ok', text: t('feedback.acknowledged') });
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  const sendDispute = async (e: SubmitEvent, q: QuestionView) => {
    e.preventDefault();
    if (!reason().trim()) return;
    setBusy(true);
    setMessage(undefined);
    try {
      await api.disputeEvaluation(props.detail.id, { questionId: q.id, reason: reason().trim() });
      props.onChange(await api.evaluation(props.detail.id));
      setDisputing(undefined);
      setReason('');
      setMessage({ kind: 'ok', text: t('feedback.disputeSent') });
    } catch (err) {
      setMessage({ kind: 'error', text: err instanceof ApiError ? err.message : errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  const valueControl = (q: QuestionView) => {
    const label = t('eval.yourAnswer', { question: q.text });
    const current = () => (drafts[q.id]?.value === undefined ? '' : String(drafts[q.id]?.value));
    const onValue = (raw: string) => {
      if (raw === '') return edit(q, { value: undefined });
      edit(q, { value: raw === 'yes' || raw === 'no' || raw === 'na' ? raw : Number(raw) });
    };
    return (
      <Show
        when={q.type === 'yes-no'}
        fallback={
          <label class="field">
            <span>{label}</span>
            <input type="number" min={q.min ?? 0} max={q.max} step="1" value={current()} data-testid={`override-${q.id}`}
              onChange={(e) => onValue(e.currentTarget.value.trim())} placeholder={formatAnswer(q.answer?.value)} />
          </label>
        }
      >
        <label class="field">
          <span>{label}</span>
          <select value={current()} onChange={(e) => onValue(e.currentTarget.value)} data-testid={`override-${q.id}`}>
            <option value="">{t('eval.keepAuto')} ({formatAnswer(q.answer?.value)})</option>
            <option value="yes">{t('eval.value.yes')}</option>
            <option value="no">{t('eval.value.no')}</option>
            <Show when={q.na}><option value="na">{t('eval.value.na')}</option></Show>
          </select>
        </label>
      </Show>
    );
  };

  return (
    <div class="evaluation" data-testid="evaluation" data-status={props.detail.status}>
      <div class="eval-summary">
        <span class="eval-score num" data-testid="eval-score">{t('eval.score', { score: formatScore(props.detail.overall) })}</span>
        <Show when={props.detail.passed !== null}>
          <span class={`badge ${props.detail.passed ? 'pass' : 'fail'}`}>{props.detail.passed ? t('eval.passed') : t('eval.failed')}</span>
        </Show>
        <span class="badge" data-testid="eval-status">{t(`eval.status.${props.detail.status}`)}</span>
        <Show when={props.detail.reviewer}>{(r) => <span class="small muted">{t('eval.reviewer', { name: r().username })}</span>}</Show>
      </div>
      <Show when={!props.canReview && !props.canDispute}><p class="hint">{t('eval.readOnly')}</p></Show>
      <Show when={props.canDispute && props.detail.status === 'reviewed'}>
        <div class="notice small">
          <p>{t('feedback.acknowledgeHint')}</p>
          <button type="button" class="primary" disabled={busy()} onClick={() => void acknowledge()} data-testid="acknowledge">{t('feedback.acknowledge')}</button>
        </div>
      </Show>
      <For each={props.detail.sections}>
        {(section) => (
          <section class="eval-section" aria-label={section.title}>
            <h3>{section.title}</h3>
            <ol class="questions">
              <For each={section.questions}>
                {(q) => (
                  <li class="question" classList={{ 'needs-review': !!q.answer?.needsReview && props.detail.status === 'auto' }} data-question={q.id}>
                    <p class="q-text">{q.text} <Show when={q.critical}><span class="badge fail">{t('eval.critical')}</span></Show></p>
                    <div class="q-meta">
                      <strong data-testid="answer-in-force">{t('eval.inForce', { value: formatAnswer(q.answer?.value) })}</strong>
                      <Show when={q.automatic && q.answer}>
                        {(a) => (
                          <span class="muted">
                            {t('eval.automatic', { value: formatAnswer(a().autoValue) })}
                            <Show when={a().autoConfidence !== null}> · {t('eval.confidence', { value: formatPercent(a().autoConfidence ?? 0) })}</Show>
                            <Show when={a().needsReview}> · {t('eval.needsReview')}</Show>
                          </span>
                        )}
                      </Show>
                    </div>
                    <Show when={q.answer?.autoDetail}>{(d) => <p class="hint">{d()}</p>}</Show>
                    <Show when={(q.answer?.evidence.length ?? 0) > 0}>
                      <ul class="evidence" aria-label={t('eval.evidence')}>
                        <For each={q.answer?.evidence ?? []}>
                          {(ev) => (
                            <li>
                              <button type="button" class="linkish" onClick={() => props.onSeek(ev.startMs)} data-testid="evidence-link" data-start={ev.startMs}
                                aria-label={`${t('eval.playFrom', { time: formatDuration(ev.startMs) })}: ${ev.text ?? ev.note}`}>
                                <span class="num">{formatDuration(ev.startMs)}</span>
                              </button>{' '}
                              <Show when={ev.speaker}>{(s) => <span class={`key ${s()}`}>{t(`speaker.${s()}`)}</span>}</Show>{' '}
                              <Show when={ev.text}>{(text) => <q>{text()}</q>}</Show> <span class="muted">{ev.note}</span>
                            </li>
                          )}
                        </For>
                      </ul>
                    </Show>
                    <Show when={!reviewable() && q.answer?.comment}>
                      <p class="small">
                        <Show when={q.answer?.commentMs !== null && q.answer?.commentMs !== undefined}>
                          <button type="button" class="linkish num" onClick={() => props.onSeek(q.answer?.commentMs ?? 0)}>{formatDuration(q.answer?.commentMs ?? 0)}</button>{' '}
                        </Show>
                        {q.answer?.comment}
                      </p>
                    </Show>
                    <Show when={reviewable()}>
                      {valueControl(q)}
                      <label class="field">
                        <span>{draft(q).commentMs === null ? t('eval.comment') : t('eval.commentAt', { time: formatDuration(draft(q).commentMs ?? 0) })}</span>
                        <textarea value={draft(q).comment} data-testid={`comment-${q.id}`}
                          onInput={(e) => edit(q, { comment: e.currentTarget.value, commentMs: draft(q).commentMs ?? Math.round(props.timeMs) })} />
                      </label>
                      <div class="row">
                        <button type="button" class="small" onClick={() => edit(q, { commentMs: Math.round(props.timeMs) })}>{t('eval.stamp', { time: formatDuration(props.timeMs) })}</button>
                        <Show when={draft(q).commentMs !== null}>
                          <button type="button" class="small" onClick={() => props.onSeek(draft(q).commentMs ?? 0)}>{t('eval.playFrom', { time: formatDuration(draft(q).commentMs ?? 0) })}</button>
                        </Show>
                      </div>
                    </Show>
                    <For each={props.detail.disputes.filter((d) => d.questionId === q.id)}>
                      {(d) => <p class="small" data-testid="dispute-line">{t('eval.disputeLine', { status: t(`dispute.status.${d.status}`), reason: d.reason })}</p>}
                    </For>
                    <Show when={props.canDispute && (props.detail.status === 'reviewed' || props.detail.status === 'disputed') && !openDispute(q)}>
                      <Show when={disputing() === q.id} fallback={
                        <button type="button" class="small" onClick={() => { setDisputing(q.id); setReason(''); }} data-testid={`dispute-${q.id}`}>{t('feedback.dispute')}</button>
                      }>
                        <form class="dispute-form" onSubmit={(e) => void sendDispute(e, q)}>
                          <label class="field">
                            <span>{t('feedback.disputeReason')}</span>
                            <textarea required value={reason()} onInput={(e) => setReason(e.currentTarget.value)} data-testid="dispute-reason" />
                          </label>
                          <div class="review-actions">
                            <button type="submit" class="primary" disabled={busy() || !reason().trim()}>{t('feedback.disputeSend')}</button>
                            <button type="button" onClick={() => setDisputing(undefined)}>{t('common.cancel')}</button>
                          </div>
                        </form>
                      </Show>
                    </Show>
                  </li>
                )}
              </For>
            </ol>
          </section>
        )}
      </For>
      <Show when={message()}>
        {(m) => <p class={`notice small ${m().kind}`} role={m().kind === 'error' ? 'alert' : 'status'} data-testid="eval-message">{m().text}</p>}
      </Show>
      <Show when={reviewable()}>
        <div class="review-actions">
          <button type="button" class="primary" disabled={busy()} onClick={() => void submit(true)} data-testid="submit-review">{t('eval.submit')}</button>
          <button type="button" disabled={busy()} onClick={() => void submit(false)}>{t('eval.saveDraft')}</button>
        </div>
      </Show>
    </div>
  );
}
