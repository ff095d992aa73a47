import type { SentimentPoint } from '../../speech/index.js';
import type { Evidence, RuleResult } from '../evaluation-types.js';
import type { SentimentRule } from '../types.js';
import { result, unknown, type RuleContext } from './context.js';

/** Below this many segments a speaker's arc is a guess: the answer goes to review. */
const MIN_SEGMENTS = 3;

/** `min ≤ measure ≤ max` of a speaker's sentiment arc (start, end, mean or end − start). */
export function evaluateSentiment(rule: SentimentRule, ctx: RuleContext): RuleResult {
  const sentiment = ctx.call.input.sentiment;
  if (!sentiment) return unknown('no sentiment', ctx);
  const arc = sentiment.speakers[rule.speaker];
  const value = arc[rule.measure];
  if (value === null) return unknown(`no ${rule.speaker} segments with sentiment`, ctx);
  const n = arc.timeline.length;
  const k = Math.ceil(n / 3);
  const points: SentimentPoint[] = rule.measure === 'start' ? arc.timeline.slice(0, k)
    : rule.measure === 'end' ? arc.timeline.slice(n - k)
      : rule.measure === 'delta' ? [...arc.timeline.slice(0, k), ...arc.timeline.slice(Math.max(k, n - k))]
        : arc.timeline;
  const bySegment = new Map((ctx.call.segments ?? []).map((s) => [s.source.utteranceId, s.source]));
  const evidence: Evidence[] = points.map((p) => {
    const seg = bySegment.get(p.utteranceId);
    return {
      ...(seg?.id !== undefined && { segmentId: seg.id }),
      utteranceId: p.utteranceId, speaker: rule.speaker, startMs: p.startMs, endMs: p.endMs,
      ...(seg && { text: seg.text }),
      note: `sentiment ${p.score.toFixed(2)} (${p.label})`,
    };
  });
  const fail = (rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max);
  const bound = [rule.min !== undefined && `≥ ${rule.min}`, rule.max !== undefined && `≤ ${rule.max}`].filter(Boolean).join(' and ');
  const detail = `${rule.speaker} sentiment ${rule.measure} ${value.toFixed(2)} over ${n} segment(s) (expected ${bound})`;
  return result(fail ? 'fail' : 'pass', n >= MIN_SEGMENTS ? 1 : 0.5, detail, ctx.final, evidence);
}
