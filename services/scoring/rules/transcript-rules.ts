import type { Evidence, RuleResult } from '../evaluation-types.js';
import { describeWindow, inWindow, matchEvidence, type PhraseMatch } from '../transcript.js';
import type { PhraseRule, ProhibitedRule, RegexRule, Speaker } from '../types.js';
import {
  absenceConfidence, absenceSettled, NEAR_MISS_MARGIN, presenceSettled, result, unknown, windowRange, type RuleContext,
} from './context.js';

const MAX_EVIDENCE = 10;
const who = (s: Speaker) => (s === 'any' ? 'anyone' : `the ${s}`);
const quote = (m: PhraseMatch) => `"${m.phrase}" (${m.similarity.toFixed(2)})`;

interface Found {
  hits: PhraseMatch[];
  /** The closest occurrence below the threshold, in the window. */
  near: PhraseMatch | null;
  minSimilarity: number;
}

function find(rule: PhraseRule | ProhibitedRule, ctx: RuleContext): Found {
  const minSimilarity = rule.minSimilarity ?? ctx.card.matching.minSimilarity;
  const loose = Math.max(0.5, minSimilarity - NEAR_MISS_MARGIN);
  const inside = ctx.call.match(rule.speaker, rule.phrases, loose, windowRange(rule.within, ctx.endMs))
    .filter((m) => inWindow(m.startMs, m.endMs, rule.within, ctx.endMs));
  const hits = inside.filter((m) => m.similarity >= minSimilarity);
  const near = inside.filter((m) => m.similarity < minSimilarity).sort((a, b) => b.similarity - a.similarity)[0] ?? null;
  return { hits, near, minSimilarity };
}

/** Occurrences outside the rule's window (said, but too early or too late): searched only to explain a miss. */
function outside(rule: PhraseRule, f: Found, ctx: RuleContext): PhraseMatch[] {
  if (!rule.within) return [];
  return ctx.call.match(rule.speaker, rule.phrases, Math.max(0.5, f.minSimilarity - NEAR_MISS_MARGIN))
    .filter((m) => m.similarity >= f.minSimilarity && !inWindow(m.startMs, m.endMs, rule.within, ctx.endMs));
}

const sure = (m: PhraseMatch) => m.similarity * m.asrConfidence;

function missEvidence(f: Found, rule: PhraseRule, ctx: RuleContext): Evidence[] {
  const out: Evidence[] = [];
  if (f.near) out.push(matchEvidence(f.near, `closest: ${quote(f.near)}, below ${f.minSimilarity}`));
  for (const m of outside(rule, f, ctx).slice(0, 3)) out.push(matchEvidence(m, `${quote(m)} said outside the window${describeWindow(rule.within)}`));
  return out;
}

/** Any of the phrases said by the speaker in the window. */
export function evaluatePhrase(rule: PhraseRule, ctx: RuleContext): RuleResult {
  if (!ctx.call.segments) return unknown('no transcript', ctx);
  const f = find(rule, ctx);
  if (f.hits.length > 0) {
    const best = f.hits.reduce((a, b) => (sure(b) > sure(a) ? b : a));
    return result('pass', sure(best), `${who(rule.speaker)} said ${quote(best)}${describeWindow(rule.within)}`,
      presenceSettled(rule.within, ctx), f.hits.slice(0, MAX_EVIDENCE).map((m) => matchEvidence(m, `matched ${quote(m)}`)));
  }
  return result('fail', absenceConfidence(f.near?.similarity ?? null, f.minSimilarity),
    `${who(rule.speaker)} said none of ${rule.phrases.length} phrase(s)${describeWindow(rule.within)}`,
    absenceSettled(rule.within, ctx), missEvidence(f, rule, ctx));
}

/** None of the phrases said by the speaker in the window; every occurrence is evidence. */
export function evaluateProhibited(rule: ProhibitedRule, ctx: RuleContext): RuleResult {
  if (!ctx.call.segments) return unknown('no transcript', ctx);
  const f = find(rule, ctx);
  if (f.hits.length > 0) {
    const best = f.hits.reduce((a, b) => (sure(b) > sure(a) ? b : a));
    return result('fail', sure(best), `${who(rule.speaker)} said ${f.hits.map(quote).join(', ')}${describeWindow(rule.within)}`,
      presenceSettled(rule.within, ctx), f.hits.slice(0, MAX_EVIDENCE).map((m) => matchEvidence(m, `prohibited ${quote(m)}`)));
  }
  return result('pass', absenceConfidence(f.near?.similarity ?? null, f.minSimilarity),
    `${who(rule.speaker)} said none of the prohibited phrases${describeWindow(rule.within)}`,
    absenceSettled(rule.within, ctx), f.near ? [matchEvidence(f.near, `closest: ${quote(f.near)}, below ${f.minSimilarity}`)] : []);
}

/** A regular expression over each segment's normalised text. */
export function evaluateRegex(rule: RegexRule, ctx: RuleContext): RuleResult {
  const segments = ctx.call.segments;
  if (!segments) return unknown('no transcript', ctx);
  const re = new RegExp(rule.pattern, rule.flags.includes('g') ? rule.flags : `${rule.flags}g`);
  const evidence: Evidence[] = [];
  for (const seg of segments) {
    if (rule.speaker !== 'any' && seg.speaker !== rule.speaker) continue;
    for (const m of seg.key.matchAll(re)) {
      const len = Math.max(1, seg.key.length);
      const span = seg.endMs - seg.startMs;
      const startMs = Math.round(seg.startMs + (span * (m.index ?? 0)) / len);
      const endMs = Math.round(seg.startMs + (span * ((m.index ?? 0) + m[0].length)) / len);
      if (!inWindow(startMs, endMs, rule.within, ctx.endMs)) continue;
      const s = seg.source;
      evidence.push({
        ...(s.id !== undefined && { segmentId: s.id }), ...(s.utteranceId !== undefined && { utteranceId: s.utteranceId }),
        speaker: seg.speaker, startMs, endMs, text: s.text, note: `matched /${rule.pattern}/: "${m[0]}"`,
      });
    }
  }
  const found = evidence.length > 0;
  const pass = found === (rule.expect === 'present');
  const detail = `/${rule.pattern}/ ${found ? `matched ${evidence.length} time(s)` : 'did not match'} in what ${who(rule.speaker)} said${describeWindow(rule.within)}`;
  const settled = found ? presenceSettled(rule.within, ctx) : absenceSettled(rule.within, ctx);
  return result(pass ? 'pass' : 'fail', 1, detail, settled, evidence.slice(0, MAX_EVIDENCE));
}
