import type { RuleResult } from './evaluation-types.js';
import { combineAll, combineAny, negate } from './rules/combinators.js';
import { result, type RuleContext } from './rules/context.js';
import { evaluateHold } from './rules/hold-rule.js';
import { evaluateMetadata } from './rules/metadata-rule.js';
import { evaluateMetric } from './rules/metric-rules.js';
import { evaluateSentiment } from './rules/sentiment-rule.js';
import { evaluatePhrase, evaluateProhibited, evaluateRegex } from './rules/transcript-rules.js';
import type { Rule } from './types.js';

/** Evaluates one rule (recursively) in a card's context; named rules are evaluated once per context. */
export function evaluateRule(rule: Rule, ctx: RuleContext): RuleResult {
  switch (rule.type) {
    case 'phrase': return evaluatePhrase(rule, ctx);
    case 'prohibited': return evaluateProhibited(rule, ctx);
    case 'regex': return evaluateRegex(rule, ctx);
    case 'metric': return evaluateMetric(rule, ctx);
    case 'sentiment': return evaluateSentiment(rule, ctx);
    case 'hold': return evaluateHold(rule, ctx);
    case 'metadata': return evaluateMetadata(rule, ctx);
    case 'all': return combineAll(rule.rules.map((r) => evaluateRule(r, ctx)));
    case 'any': return combineAny(rule.rules.map((r) => evaluateRule(r, ctx)));
    case 'not': return negate(evaluateRule(rule.rule, ctx));
    case 'ref': {
      const cached = ctx.refs.get(rule.name);
      if (cached) return cached;
      const named = ctx.card.rules[rule.name];
      // The loader rejects unknown names and cycles; a hand-built card may still have them.
      const r = named ? evaluateRule(named, ctx) : result('unknown', 0, `unknown rule "${rule.name}"`, true);
      ctx.refs.set(rule.name, r);
      return r;
    }
  }
}
