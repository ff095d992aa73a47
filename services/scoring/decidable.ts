import type { Rule } from './types.js';

/**
 * The call time (ms) after which a rule's outcome can no longer change, whatever is said later; null when
 * only the call end decides. A `phrase` or `prohibited` rule limited to the first N s is decided at N s
 * (greeting missed, or prohibited phrase not said, in the opening); call metadata other than the duration
 * is decided from the start. Data can decide a rule earlier (a phrase already said, a prohibited phrase
 * already heard, a bound already exceeded): `evaluatePartial` reports that as `settled`.
 * Callers must account for recognition latency: decide at `decidableAt` only once the transcript is final
 * up to that time.
 */
export function decidableAt(rule: Rule, rules: Readonly<Record<string, Rule>> = {}, seen: ReadonlySet<string> = new Set()): number | null {
  switch (rule.type) {
    case 'phrase': case 'prohibited': case 'regex':
      return rule.within && 'first' in rule.within ? rule.within.first * 1000 : null;
    case 'metadata': return rule.field === 'duration' ? null : 0;
    case 'metric': case 'sentiment': case 'hold': return null;
    case 'not': return decidableAt(rule.rule, rules, seen);
    case 'all': case 'any': {
      let latest = 0;
      for (const r of rule.rules) {
        const t = decidableAt(r, rules, seen);
        if (t === null) return null;
        latest = Math.max(latest, t);
      }
      return latest;
    }
    case 'ref': {
      const named = rules[rule.name];
      if (!named || seen.has(rule.name)) return null;
      return decidableAt(named, rules, new Set([...seen, rule.name]));
    }
  }
}
