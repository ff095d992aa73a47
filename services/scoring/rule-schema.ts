import { z } from 'zod';
import { METADATA_FIELDS, METRIC_NAMES, SENTIMENT_MEASURES, type Rule } from './types.js';

const speaker = z.enum(['agent', 'customer', 'any']).default('agent');
const seconds = z.number().positive();
const similarity = z.number().min(0.5).max(1);
const phrases = z.array(z.string().trim().min(1, 'a phrase must not be empty')).min(1, 'at least one phrase');
const within = z.union([z.strictObject({ first: seconds }), z.strictObject({ last: seconds })], {
  error: 'within takes exactly one of { first: seconds } or { last: seconds }',
});

/** Adds "min ≤ max, at least one" issues at the right paths. */
function checkRange(v: { min?: number; max?: number }, ctx: z.RefinementCtx) {
  if (v.min === undefined && v.max === undefined) ctx.addIssue({ code: 'custom', message: 'give min, max or both', path: [] });
  if (v.min !== undefined && v.max !== undefined && v.min > v.max) {
    ctx.addIssue({ code: 'custom', message: `min (${v.min}) is above max (${v.max})`, path: ['min'] });
  }
}

const phraseRule = z.strictObject({
  type: z.literal('phrase'), speaker, phrases, within: within.optional(), minSimilarity: similarity.optional(),
});
const prohibitedRule = z.strictObject({
  type: z.literal('prohibited'), speaker, phrases, within: within.optional(), minSimilarity: similarity.optional(),
});
const regexRule = z.strictObject({
  type: z.literal('regex'),
  speaker,
  pattern: z.string().min(1),
  flags: z.string().regex(/^[imsu]*$/u, 'flags may only contain i, m, s, u').default('iu'),
  within: within.optional(),
  expect: z.enum(['present', 'absent']).default('present'),
}).superRefine((v, ctx) => {
  try {
    new RegExp(v.pattern, v.flags);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${(e as Error).message}`, path: ['pattern'] });
  }
});
const metricRule = z.strictObject({
  type: z.literal('metric'), metric: z.enum(METRIC_NAMES), min: z.number().optional(), max: z.number().optional(),
}).superRefine(checkRange);
const sentimentRule = z.strictObject({
  type: z.literal('sentiment'),
  speaker: z.enum(['agent', 'customer']).default('customer'),
  measure: z.enum(SENTIMENT_MEASURES),
  min: z.number().min(-2).max(2).optional(),
  max: z.number().min(-2).max(2).optional(),
}).superRefine(checkRange);
const holdRule = z.strictObject({
  type: z.literal('hold'),
  minSilence: seconds.default(5),
  askWithin: seconds.default(20),
  thankWithin: seconds.default(10),
  ask: phrases,
  thank: phrases,
  minSimilarity: similarity.optional(),
});
const metadataRule = z.strictObject({
  type: z.literal('metadata'),
  field: z.enum(METADATA_FIELDS),
  in: z.array(z.string().min(1)).min(1).optional(),
  min: z.number().min(0).optional(),
  max: z.number().min(0).optional(),
}).superRefine((v, ctx) => {
  if (v.field === 'duration') {
    if (v.in) ctx.addIssue({ code: 'custom', message: 'duration takes min/max (seconds), not in', path: ['in'] });
    else checkRange(v, ctx);
  } else if (!v.in) {
    ctx.addIssue({ code: 'custom', message: `${v.field} needs a list: in: [...]`, path: [] });
  } else if (v.min !== undefined || v.max !== undefined) {
    ctx.addIssue({ code: 'custom', message: `${v.field} takes in, not min/max`, path: [v.min !== undefined ? 'min' : 'max'] });
  }
});
const allRule = z.strictObject({ type: z.literal('all'), rules: z.array(z.lazy(() => ruleSchema)).min(1, 'at least one rule') });
const anyRule = z.strictObject({ type: z.literal('any'), rules: z.array(z.lazy(() => ruleSchema)).min(1, 'at least one rule') });
const notRule = z.strictObject({ type: z.literal('not'), rule: z.lazy(() => ruleSchema) });
const refRule = z.strictObject({ type: z.literal('ref'), name: z.string().min(1) });

/** Every rule type; an unknown `type` is reported at that field with the list of known ones. */
export const ruleSchema: z.ZodType<Rule> = z.lazy(() => z.discriminatedUnion('type', [
  phraseRule, prohibitedRule, regexRule, metricRule, sentimentRule, holdRule, metadataRule, allRule, anyRule, notRule, refRule,
]));
