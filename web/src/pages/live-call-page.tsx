import { A, useParams } from '@solidjs/router';
import { createEffect, createMemo, createSignal, on, onCleanup, Show } from 'solid-js';
import { CallNotes } from '../components/call-notes';
import { LiveStatus } from '../components/live-status';
import { LiveTranscript } from '../components/live-transcript';
import { MetricsPanel } from '../components/metrics-panel';
import { MonitorControls } from '../components/monitor-controls';
import { SentimentBadge } from '../components/sentiment-badge';
import { SentimentChart } from '../components/sentiment-chart';
import { formatDuration, t } from '../i18n';
import { connectLive } from '../lib/live-socket';
import type { CallSentimentSummary, LiveCall, LiveSegment } from '../lib/live-types';
import { usePageTitle } from '../lib/page-title';
import { CHANNELS, type CallMetrics, type ConversationMetrics, type SpeakerSentiment } from '../lib/types';
import { useNow } from '../lib/use-now';

/** Sentiment per speaker from the scored segments so far (the chart's shape); the summary's trend once there is one. */
function sentimentOf(segments: readonly LiveSegment[], summary: CallSentimentSummary | null): CallMetrics['sentiment'] {
  const speaker = (s: 'agent' | 'customer'): SpeakerSentiment => {
    const timeline = segments
      .filter((g) => g.speaker === s && g.final && g.sentiment)
      .map((g) => ({ utteranceId: g.utteranceId, startMs: g.startMs, endMs: g.endMs, score: g.sentiment?.score ?? 0, label: g.sentiment?.label ?? 'neutral' }))
      .sort((a, b) => a.startMs - b.startMs);
    const mean = timeline.length ? timeline.reduce((sum, p) => sum + p.score, 0) / timeline.length : null;
    return { timeline, mean, trend: summary?.speakers[s].trend ?? 'unknown' };
  };
  const speakers = { agent: speaker('agent'), customer: speaker('customer') };
  return CHANNELS.some((c) => speakers[c].timeline.length > 0) ? { speakers, customer: speakers.customer } : null;
}

/**
 * One live call over the supervisor WebSocket: subscribe (history first, then live events), a rolling transcript
 * with partials, a sentiment timeline, metrics, listen / whisper / barge, and coaching notes at the call's time.
 */
export default function LiveCallPage() {
  usePageTitle(() => t('live.title'));
  const params = useParams<{ id: string }>();
  const socket = connectLive();
  const now = useNow();
  const [call, setCall] = createSignal<{ call: LiveCall; originMs: number }>();
  const [endedAt, setEndedAt] = createSignal<number>();
  const seen = (c: LiveCall) => setCall((prev) => ({ call: c, originMs: prev?.originMs ?? Date.now() - c.durationMs }));
  const [segments, setSegments] = createSignal<LiveSegment[]>([]);
  const [metrics, setMetrics] = createSignal<ConversationMetrics | null>(null);
  const [summary, setSummary] = createSignal<CallSentimentSummary | null>(null);
  const [missing, setMissing] = createSignal(false);
  const [ended, setEndedSignal] = createSignal(false);
  const setEnded = (v: boolean) => {
    if (v && !ended()) setEndedAt(Date.now());
    setEndedSignal(v);
  };

  const upsert = (seg: LiveSegment) => setSegments((list) => {
    const i = list.findIndex((s) => s.utteranceId === seg.utteranceId);
    if (i < 0) return [...list, seg];
    if (list[i].final && !seg.final) return list; // a late partial never replaces the final
    return list.map((s, j) => (j === i ? { ...seg, sentiment: seg.sentiment ?? s.sentiment } : s));
  });

  const [noteChanges, setNoteChanges] = createSignal(0);
  const off = socket.onMessage((m) => {
    if ('callId' in m && m.callId !== params.id) return;
    switch (m.type) {
      case 'subscribed':
        seen(m.call);
        for (const s of m.transcript) upsert({ ...s, final: true });
        if (m.metrics) setMetrics(m.metrics);
        if (m.sentiment) setSummary(m.sentiment);
        break;
      case 'call.added':
      case 'call.updated':
        if (m.call.callId === params.id) seen(m.call);
        break;
      case 'transcript.partial':
      case 'transcript.final':
        upsert({ ...m.segment, final: m.type === 'transcript.final' });
        break;
      case 'sentiment.scored':
        setSegments((list) => list.map((s) => (s.utteranceId === m.utteranceId ? { ...s, sentiment: m.sentiment } : s)));
        break;
      case 'metrics.updated':
        setMetrics(m.metrics);
        break;
      case 'sentiment.summarized':
        setSummary(m.sentiment);
        break;
      case 'note.added':
      case 'note.deleted':
        setNoteChanges((n) => n + 1); // another supervisor's note (or ours): the list reloads
        break;
      case 'unsubscribed':
        if (m.reason !== 'requested') setEnded(true);
        break;
      case 'call.removed':
        setEnded(true);
        break;
      case 'hello': case 'calls': case 'error': case 'pong':
      case 'monitor.started': case 'monitor.updated': case 'monitor.refused': case 'monitor.stopped':
        break; // replies, or the monitor controls' concern
    }
  });

  // (Re)subscribe whenever the socket opens: after a reconnect the history comes again and segments merge by id.
  createEffect(on(() => [socket.state(), params.id] as const, ([state, id]) => {
    if (state !== 'open') return;
    setMissing(false);
    void socket.request({ type: 'subscribe', callId: id }).then((reply) => {
      if (reply.type === 'error' && reply.code === 'not_found') setMissing(true);
    }).catch(() => undefined);
  }));
  onCleanup(() => {
    off();
    socket.close();
  });

  const durationMs = () => {
    const c = call();
    if (!c) return 0;
    return Math.max(c.call.durationMs, (endedAt() ?? now()) - c.originMs);
  };
  const sentiment = createMemo(() => sentimentOf(segments(), summary()));

  return (
    <section class="page live-call" data-testid="live-call-page">
      <A href="/wallboard" class="back">{t('live.back')}</A>
      <div class="section-head">
        <h1>{t('live.title')}</h1>
        <LiveStatus socket={socket} />
      </div>
      <Show when={missing() && !call()}>
        <p class="notice error" role="alert" data-testid="live-missing">{t('live.notFound')}</p>
      </Show>
      <Show when={ended()}>
        <p class="notice" role="status" data-testid="live-ended">
          {t('live.ended')} <A href={`/calls/${params.id}`}>{t('live.review')}</A>
        </p>
      </Show>
      <Show when={call()}>
        {(c) => (
          <>
            <dl class="facts" aria-label={t('review.details')}>
              <div><dt>{t('calls.col.agent')}</dt><dd data-testid="live-agent">{c().call.agent?.displayName ?? c().call.agent?.externalId ?? t('common.none')}</dd></div>
              <div><dt>{t('calls.col.duration')}</dt><dd class="num">{formatDuration(durationMs())}</dd></div>
              <div><dt>{t('calls.col.team')}</dt><dd>{c().call.team?.name ?? t('common.none')}</dd></div>
              <div><dt>{t('calls.col.queue')}</dt><dd>{c().call.queue ?? t('common.none')}</dd></div>
              <div><dt>{t('wallboard.col.sentiment')}</dt><dd><SentimentBadge sentiment={c().call.customerSentiment} /></dd></div>
              <div><dt>{t('wallboard.col.alerts')}</dt><dd>{c().call.openAlerts > 0 ? <span class="badge alert">{t('wallboard.alerts', { n: c().call.openAlerts })}</span> : t('wallboard.noAlerts')}</dd></div>
            </dl>
            <div class="review-grid">
              <div class="review-main">
                <MonitorControls socket={socket} call={c().call} ended={ended()} />
                <LiveTranscript segments={segments()} />
              </div>
              <aside class="review-side">
                <CallNotes callId={params.id} timeMs={durationMs()} canWrite changes={noteChanges()} />
                <SentimentChart sentiment={sentiment()} durationMs={durationMs()} timeMs={durationMs()} onSeek={() => undefined} />
                <MetricsPanel metrics={metrics()} />
              </aside>
            </div>
          </>
        )}
      </Show>
    </section>
  );
}
