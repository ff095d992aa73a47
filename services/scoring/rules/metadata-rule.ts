import type { RuleResult } from '../evaluation-types.js';
import type { MetadataRule } from '../types.js';
import { result, unknown, type RuleContext } from './context.js';

/** `en` matches `en` and `en-US`; case-insensitive. */
export function languageMatches(tag: string, wanted: string): boolean {
  const t = tag.toLowerCase();
  const w = wanted.toLowerCase();
  return t === w || t.startsWith(`${w}-`);
}

/** A call metadata field in a list, or the duration (s) in a range. */
export function evaluateMetadata(rule: MetadataRule, ctx: RuleContext): RuleResult {
  const call = ctx.call.input.call;
  if (rule.field === 'duration') {
    if (!ctx.final) return result('unknown', 0, 'the call is still going', false);
    const ms = call.durationMs;
    if (ms === null || ms === undefined) return unknown('call duration unknown', ctx);
    const s = ms / 1000;
    const fail = (rule.min !== undefined && s < rule.min) || (rule.max !== undefined && s > rule.max);
    return result(fail ? 'fail' : 'pass', 1, `duration ${s.toFixed(1)} s`, true, [{ startMs: 0, endMs: ms, note: 'call duration' }]);
  }
  const value = call[rule.field];
  if (value === null || value === undefined) return result('unknown', 0, `call ${rule.field} unknown`, true);
  const list = rule.in ?? [];
  const ok = rule.field === 'language' ? list.some((l) => languageMatches(value, l)) : list.includes(value);
  return result(ok ? 'pass' : 'fail', 1, `${rule.field} "${value}" ${ok ? 'is' : 'is not'} in [${list.join(', ')}]`, true);
}
