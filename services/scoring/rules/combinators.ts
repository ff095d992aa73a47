import type { RuleResult } from '../evaluation-types.js';
import { result } from './context.js';

/**
 * all: fails when any applicable child fails (confidence: the surest failure); else unknown when any
 * child is unknown; else passes (confidence: the least sure child). N/A children are skipped; all N/A → N/A.
 * Settled once a failure is settled, or when every child is.
 */
export function combineAll(children: readonly RuleResult[]): RuleResult {
  const live = children.filter((c) => c.outcome !== 'na');
  const allSettled = children.every((c) => c.settled);
  if (live.length === 0) return result('na', 1, children.map((c) => c.detail).join('; '), allSettled);
  const fails = live.filter((c) => c.outcome === 'fail');
  if (fails.length > 0) {
    return result('fail', Math.max(...fails.map((c) => c.confidence)), fails.map((c) => c.detail).join('; '),
      fails.some((c) => c.settled) || allSettled, fails.flatMap((c) => c.evidence));
  }
  const unknowns = live.filter((c) => c.outcome === 'unknown');
  if (unknowns.length > 0) return result('unknown', 0, unknowns.map((c) => c.detail).join('; '), allSettled);
  return result('pass', Math.min(...live.map((c) => c.confidence)), live.map((c) => c.detail).join('; '), allSettled, live.flatMap((c) => c.evidence));
}

/**
 * any: passes when any child passes (confidence: the surest pass; its evidence); else unknown when any
 * child is unknown; else fails (confidence: the least sure failure). All N/A → N/A. Settled once a pass is
 * settled, or when every child is.
 */
export function combineAny(children: readonly RuleResult[]): RuleResult {
  const live = children.filter((c) => c.outcome !== 'na');
  const allSettled = children.every((c) => c.settled);
  if (live.length === 0) return result('na', 1, children.map((c) => c.detail).join('; '), allSettled);
  const passes = live.filter((c) => c.outcome === 'pass');
  if (passes.length > 0) {
    const best = passes.reduce((a, b) => (b.confidence > a.confidence ? b : a));
    return result('pass', best.confidence, best.detail, passes.some((c) => c.settled) || allSettled, best.evidence);
  }
  const unknowns = live.filter((c) => c.outcome === 'unknown');
  if (unknowns.length > 0) return result('unknown', 0, unknowns.map((c) => c.detail).join('; '), allSettled);
  return result('fail', Math.min(...live.map((c) => c.confidence)), live.map((c) => c.detail).join('; '), allSettled, live.flatMap((c) => c.evidence));
}

/** not: pass ↔ fail with the same confidence and evidence; N/A and unknown stay. */
export function negate(child: RuleResult): RuleResult {
  const outcome = child.outcome === 'pass' ? 'fail' : child.outcome === 'fail' ? 'pass' : child.outcome;
  return { ...child, outcome, detail: `not (${child.detail})` };
}
