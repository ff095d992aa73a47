import type { Evidence, RuleResult } from '../evaluation-types.js';
import { matchEvidence, type PhraseMatch, type PreparedSegment } from '../transcript.js';
import type { HoldRule } from '../types.js';
import { absenceConfidence, fmtS, NEAR_MISS_MARGIN, result, unknown, type RuleContext } from './context.js';

/** Slack for the difference between voice-activity and transcript timing at the edges of a silence. */
const EDGE_SLACK_MS = 1000;

interface Stretch { startMs: number; endMs: number }

/** Both-silent gaps between final segments (when the call has no metrics), with speech on both sides. */
export function transcriptGaps(segments: readonly PreparedSegment[]): Stretch[] {
  const gaps: Stretch[] = [];
  let end = -Infinity;
  for (const s of segments) {
    if (s.startMs > end && end > -Infinity) gaps.push({ startMs: end, endMs: s.startMs });
    end = Math.max(end, s.endMs);
  }
  return gaps;
}

interface Check { found: PhraseMatch | null; near: PhraseMatch | null }

function check(matches: readonly PhraseMatch[], minSimilarity: number, near: (m: PhraseMatch) => boolean): Check {
  const candidates = matches.filter(near);
  const hits = candidates.filter((m) => m.similarity >= minSimilarity);
  const misses = candidates.filter((m) => m.similarity < minSimilarity).sort((a, b) => b.similarity - a.similarity);
  return { found: hits[0] ?? null, near: misses[0] ?? null };
}

/**
 * Hold etiquette. The silences are the metrics' long pauses (both silent, speech on both sides) of at least
 * `minSilence` s, or gaps between transcript segments when there are no metrics. Each needs an agent
 * permission phrase ending at most `askWithin` s before it and a thank-you starting at most `thankWithin` s
 * after it. No such silence: not applicable.
 */
export function evaluateHold(rule: HoldRule, ctx: RuleContext): RuleResult {
  const segments = ctx.call.segments;
  if (!segments) return unknown('no transcript', ctx);
  const metrics = ctx.call.input.metrics;
  const minMs = rule.minSilence * 1000;
  const stretches = (metrics ? metrics.longPauses : transcriptGaps(segments)).filter((s) => s.endMs - s.startMs >= minMs);
  if (stretches.length === 0) return result('na', 1, `no silence of ${rule.minSilence} s or more`, ctx.final);

  const minSimilarity = rule.minSimilarity ?? ctx.card.matching.minSimilarity;
  const loose = Math.max(0.5, minSimilarity - NEAR_MISS_MARGIN);
  const evidence: Evidence[] = [];
  const problems: string[] = [];
  let passConfidence = 1;
  let failConfidence = 0;
  for (const s of stretches) {
    const asks = ctx.call.match('agent', rule.ask, loose, { fromMs: s.startMs - rule.askWithin * 1000, toMs: s.startMs + EDGE_SLACK_MS });
    const thanks = ctx.call.match('agent', rule.thank, loose, { fromMs: s.endMs - EDGE_SLACK_MS, toMs: s.endMs + rule.thankWithin * 1000 });
    const ask = check(asks, minSimilarity, (m) => m.endMs <= s.startMs + EDGE_SLACK_MS && m.endMs >= s.startMs - rule.askWithin * 1000);
    const thank = check(thanks, minSimilarity, (m) => m.startMs >= s.endMs - EDGE_SLACK_MS && m.startMs <= s.endMs + rule.thankWithin * 1000);
    const missing = [!ask.found && 'no hold request before it', !thank.found && 'no thanks for waiting after it'].filter(Boolean) as string[];
    evidence.push({ startMs: s.startMs, endMs: s.endMs, note: `silence ${fmtS(s.endMs - s.startMs)}${missing.length ? `: ${missing.join(', ')}` : ''}` });
    for (const [c, what] of [[ask, 'hold request'], [thank, 'thanks for waiting']] as const) {
      if (c.found) {
        evidence.push(matchEvidence(c.found, `${what}: "${c.found.phrase}" (${c.found.similarity.toFixed(2)})`));
        passConfidence = Math.min(passConfidence, c.found.similarity * c.found.asrConfidence);
      } else if (c.near) {
        evidence.push(matchEvidence(c.near, `closest ${what}: "${c.near.phrase}" (${c.near.similarity.toFixed(2)}), below ${minSimilarity}`));
      }
    }
    if (missing.length > 0) {
      problems.push(`silence at ${fmtS(s.startMs)} (${fmtS(s.endMs - s.startMs)}): ${missing.join(', ')}`);
      const near = [!ask.found && ask.near, !thank.found && thank.near].filter((m): m is PhraseMatch => !!m);
      const best = near.length ? Math.max(...near.map((m) => m.similarity)) : null;
      failConfidence = Math.max(failConfidence, absenceConfidence(best, minSimilarity));
    }
  }
  if (problems.length > 0) return result('fail', failConfidence, problems.join('; '), ctx.final, evidence);
  return result('pass', passConfidence, `${stretches.length} hold(s), each announced and followed by thanks`, ctx.final, evidence);
}
