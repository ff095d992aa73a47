import { CHANNELS, type Channel } from '../../calls/index.js';
import { ValidationError } from '../../core/index.js';
import type { TranscriptSegment } from '../types.js';
import { activityLanes, activityPieces } from './activity.js';
import { createAgitationTracker } from './agitation.js';
import { resolveMetricsOptions } from './options.js';
import { createSweepState, finishSweep, sweepPieces, type SweepState } from './sweep.js';
import type { AgitationSummary, ConversationMetrics, ConversationTimeline, MetricsOptions, MetricsOptionsInput, SpeakerMetrics } from './types.js';

/** Words in a segment: its recognised words, or whitespace-separated tokens when the engine gave none. */
export function countWords(segment: Pick<TranscriptSegment, 'words' | 'text'>): number {
  if (segment.words.length > 0) return segment.words.length;
  const text = segment.text.trim();
  return text === '' ? 0 : text.split(/\s+/u).length;
}

/** Keeps the latest final per utterance (a re-sent final replaces the earlier one); partials are ignored. */
export function collectFinalWords(segments: Iterable<TranscriptSegment>, into = new Map<string, { speaker: Channel; words: number }>()) {
  for (const s of segments) {
    if (s.final) into.set(s.utteranceId, { speaker: s.speaker, words: countWords(s) });
  }
  return into;
}

export function assertHorizon(ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) throw new ValidationError(`invalid horizon ${ms} ms`, 'endMs');
}

/** Builds the result from a finished sweep. Shared by the batch function and the incremental tracker. */
export function assembleMetrics(
  s: SweepState,
  horizonMs: number,
  words: Record<Channel, number>,
  agitation: Record<Channel, AgitationSummary>,
  o: MetricsOptions,
): ConversationMetrics {
  const totalTalk = s.talkMs.agent + s.talkMs.customer;
  const speaker = (ch: Channel): SpeakerMetrics => {
    const talkMs = s.talkMs[ch];
    return {
      talkMs,
      talkShare: totalTalk > 0 ? talkMs / totalTalk : null,
      words: words[ch],
      wordsPerMinute: talkMs > 0 && talkMs >= o.minTalkMsForRate ? words[ch] / (talkMs / 60_000) : null,
      interruptionsMade: s.interruptions.filter((i) => i.by === ch).length,
      interruptionsReceived: s.interruptions.filter((i) => i.of === ch).length,
      longPauses: {
        withinTurn: s.longPauses.filter((p) => p.speaker === ch && p.kind === 'within-turn').length,
        betweenTurns: s.longPauses.filter((p) => p.speaker === ch && p.kind === 'between-turns').length,
      },
      agitation: agitation[ch],
    };
  };
  return {
    horizonMs,
    firstSpeechMs: s.firstSpeechMs,
    talkToListenRatio: s.talkMs.customer > 0 ? s.talkMs.agent / s.talkMs.customer : null,
    overtalkMs: s.overtalkMs,
    nonTalk: { ...s.nonTalk, longest: s.nonTalk.longest && { ...s.nonTalk.longest } },
    interruptions: s.interruptions.map((i) => ({ ...i })),
    longPauses: s.longPauses.map((p) => ({ ...p })),
    speakers: { agent: speaker('agent'), customer: speaker('customer') },
  };
}

export function wordsBySpeaker(finals: Map<string, { speaker: Channel; words: number }>): Record<Channel, number> {
  const out = { agent: 0, customer: 0 };
  for (const f of finals.values()) out[f.speaker] += f.words;
  return out;
}

/**
 * Conversation metrics of a whole timeline (docs/metrics.md). Pure: the same input gives the same result,
 * and `createMetricsTracker` fed the same input in any order of channels and chunks gives this result too.
 */
export function computeConversationMetrics(timeline: ConversationTimeline, options?: MetricsOptionsInput): ConversationMetrics {
  const o = resolveMetricsOptions(options);
  const lanes = activityLanes(timeline.spans);
  const lastEnd = Math.max(0, ...CHANNELS.map((ch) => lanes[ch].at(-1)?.endMs ?? 0));
  const horizonMs = timeline.endMs ?? lastEnd;
  assertHorizon(horizonMs);

  const state = createSweepState();
  sweepPieces(state, activityPieces(lanes, 0, horizonMs), o);
  finishSweep(state, o);

  const agitation = {} as Record<Channel, AgitationSummary>;
  for (const ch of CHANNELS) {
    const tracker = createAgitationTracker(o.agitation);
    tracker.push(timeline.prosody?.[ch] ?? []);
    agitation[ch] = tracker.summary();
  }
  return assembleMetrics(state, horizonMs, wordsBySpeaker(collectFinalWords(timeline.segments ?? [])), agitation, o);
}
