import { A, useParams, useSearchParams } from '@solidjs/router';
import { createResource, createSignal, Show } from 'solid-js';
import { CallNotes } from '../components/call-notes';
import { CallStatusBadge, TranscriptionBadge } from '../components/call-status';
import { EvaluationPanel } from '../components/evaluation-panel';
import { LoadError } from '../components/load-error';
import { MetricsPanel } from '../components/metrics-panel';
import { SentimentChart } from '../components/sentiment-chart';
import { TranscriptView } from '../components/transcript-view';
import { WaveformPlayer, type PlayerControls } from '../components/waveform-player';
import { formatDateTime, formatDuration, t } from '../i18n';
import { api } from '../lib/api';
import { usePageTitle } from '../lib/page-title';
import { hasRole } from '../lib/session';
import type { Role } from '../lib/types';

/** Who reads a call's coaching notes (agents only their own calls' — the API scopes) and who writes them. */
const NOTE_READERS: readonly Role[] = ['supervisor', 'admin', 'qa', 'agent'];
const NOTE_WRITERS: readonly Role[] = ['supervisor', 'admin', 'qa'];

/**
 * One call: recording with a two-lane waveform, the transcript synced to it, sentiment and metrics. `?t=ms` starts
 * at a moment (search hits link there). The side column holds the evaluation panel (evidence links seek the player)
 * and the coaching notes (each note's time seeks the player; writers add notes at the player's position).
 */
export default function CallReviewPage() {
  usePageTitle(() => t('review.title'));
  const params = useParams<{ id: string }>();
  const [search] = useSearchParams<{ t?: string }>();
  const [call, { refetch }] = createResource(() => params.id, (id) => api.call(id));
  const [transcript] = createResource(() => params.id, (id) => api.transcript(id));
  const [metrics] = createResource(() => params.id, (id) => api.metrics(id));
  const [timeMs, setTimeMs] = createSignal(0);
  let player: PlayerControls | undefined;
  const seek = (ms: number) => player?.seek(ms);
  const initialMs = Number(search.t) || 0;

  return (
    <section class="page review" data-testid="review-page">
      <A href="/calls" class="back">{t('review.back')}</A>
      <Show when={call.error}>{(err) => <LoadError error={err()} retry={() => void refetch()} />}</Show>
      <Show when={call.error ? undefined : call()}>
        {(c) => (
          <>
            <header class="review-head">
              <h1>{t('review.title')}</h1>
              <dl class="facts" aria-label={t('review.details')}>
                <div><dt>{t('calls.col.started')}</dt><dd>{formatDateTime(c().startedAt)}</dd></div>
                <div><dt>{t('calls.col.duration')}</dt><dd class="num">{c().durationMs === null ? t('common.none') : formatDuration(c().durationMs ?? 0)}</dd></div>
                <div><dt>{t('calls.col.agent')}</dt><dd>{c().agent?.displayName ?? t('common.none')}</dd></div>
                <div><dt>{t('calls.col.team')}</dt><dd>{c().agent?.teamName ?? t('common.none')}</dd></div>
                <div><dt>{t('calls.col.queue')}</dt><dd>{c().queue?.name ?? t('common.none')}</dd></div>
                <div><dt>{t('calls.col.direction')}</dt><dd>{t(`call.direction.${c().direction}`)}</dd></div>
                <div><dt>{t('review.customerNumber')}</dt><dd dir="ltr">{c().customerNumber ?? t('common.none')}</dd></div>
                <div><dt>{t('calls.col.status')}</dt><dd><CallStatusBadge status={c().status} /> <TranscriptionBadge status={c().transcription.status} note={c().transcription.note} /></dd></div>
                <Show when={c().csat}>
                  {(csat) => (
                    <div data-testid="review-csat">
                      <dt>{t('review.csat')}</dt>
                      <dd>{t('review.csatScore', { score: csat().score })}<Show when={csat().comment}>{(note) => <> · <q dir="auto">{note()}</q></>}</Show></dd>
                    </div>
                  )}
                </Show>
              </dl>
            </header>
            <div class="review-grid">
              <div class="review-main">
                <Show when={c().recording} fallback={<p class="notice">{t('review.noRecording')}</p>}>
                  {(rec) => <WaveformPlayer src={rec().url} onTime={setTimeMs} controls={(p) => (player = p)} initialMs={initialMs} />}
                </Show>
                <Show when={c().transcription.note}>{(note) => <p class="notice small">{t('transcript.note', { note: note() })}</p>}</Show>
                <Show when={transcript.error}>{(err) => <LoadError error={err()} />}</Show>
                <Show when={transcript.error ? undefined : transcript()} fallback={<p class="muted">{t('app.loading')}</p>}>
                  {(tr) => <TranscriptView segments={tr().segments} timeMs={timeMs()} onSeek={seek} />}
                </Show>
              </div>
              <aside class="review-side">
                <EvaluationPanel callId={c().id} timeMs={timeMs()} onSeek={seek} />
                <Show when={hasRole(NOTE_READERS)}>
                  <CallNotes callId={c().id} timeMs={timeMs()} canWrite={hasRole(NOTE_WRITERS)} onSeek={seek} />
                </Show>
                <Show when={metrics.error}>{(err) => <LoadError error={err()} />}</Show>
                <Show when={metrics.error ? undefined : metrics()}>
                  {(m) => (
                    <>
                      <SentimentChart sentiment={m().sentiment} durationMs={c().durationMs ?? m().metrics?.horizonMs ?? 0} timeMs={timeMs()} onSeek={seek} />
                      <MetricsPanel metrics={m().metrics} />
                    </>
                  )}
                </Show>
              </aside>
            </div>
          </>
        )}
      </Show>
    </section>
  );
}
