import { z } from 'zod';
import { ruleSchema } from './rule-schema.js';
import type { Rule, Scorecard } from './types.js';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/u, 'ids are lower-case letters, digits and dashes');
const text = z.string().trim().min(1);

const base = {
  id,
  text,
  weight: z.number().positive().default(1),
  na: z.boolean().default(false),
  critical: z.boolean().default(false),
  guidance: z.string().optional(),
  auto: ruleSchema.optional(),
};
const yesNo = z.strictObject({ ...base, type: z.literal('yes-no') });
const scale = z.strictObject({ ...base, type: z.literal('scale'), min: z.number().int().default(1), max: z.number().int().default(5) })
  .superRefine((q, ctx) => {
    if (q.max <= q.min) ctx.addIssue({ code: 'custom', message: `max (${q.max}) must be above min (${q.min})`, path: ['max'] });
  });
const points = z.strictObject({ ...base, type: z.literal('points'), max: z.number().positive() });
const question = z.discriminatedUnion('type', [yesNo, scale, points]).superRefine((q, ctx) => {
  if (q.critical && q.type !== 'yes-no') {
    ctx.addIssue({ code: 'custom', message: 'only yes-no questions can be critical', path: ['critical'] });
  }
});

const section = z.strictObject({
  id,
  title: text,
  weight: z.number().positive(),
  questions: z.array(question).min(1, 'a section needs at least one question'),
});

const applicability = z.strictObject({
  directions: z.array(z.enum(['inbound', 'outbound'])).min(1).optional(),
  queues: z.array(text).min(1).optional(),
  departments: z.array(text).min(1).optional(),
  languages: z.array(z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$/u, 'a BCP-47 language tag such as en or fa-IR')).min(1).optional(),
});

/** Named rules referenced by `ref`: each path to a ref, with the name it points to. */
function refsIn(rule: Rule, path: (string | number)[], out: Array<{ name: string; path: (string | number)[] }>) {
  switch (rule.type) {
    case 'ref': out.push({ name: rule.name, path: [...path, 'name'] }); break;
    case 'all': case 'any': rule.rules.forEach((r, i) => refsIn(r, [...path, 'rules', i], out)); break;
    case 'not': refsIn(rule.rule, [...path, 'rule'], out); break;
    case 'phrase': case 'prohibited': case 'regex': case 'metric': case 'sentiment': case 'hold': case 'metadata': break;
  }
  return out;
}

/** Cross-field checks: unique ids, section weights adding up to 100, known refs, no ref cycles. */
function checkCard(card: Scorecard, ctx: z.RefinementCtx) {
  const total = card.sections.reduce((sum, s) => sum + s.weight, 0);
  if (Math.abs(total - 100) > 1e-6) {
    ctx.addIssue({ code: 'custom', message: `section weights add up to ${+total.toFixed(6)}, expected 100`, path: ['sections'] });
  }
  const sectionIds = new Set<string>();
  const questionIds = new Set<string>();
  card.sections.forEach((s, si) => {
    if (sectionIds.has(s.id)) ctx.addIssue({ code: 'custom', message: `duplicate section id "${s.id}"`, path: ['sections', si, 'id'] });
    sectionIds.add(s.id);
    s.questions.forEach((q, qi) => {
      if (questionIds.has(q.id)) {
        ctx.addIssue({ code: 'custom', message: `duplicate question id "${q.id}"`, path: ['sections', si, 'questions', qi, 'id'] });
      }
      questionIds.add(q.id);
    });
  });
  const uses: Array<{ name: string; path: (string | number)[] }> = [];
  for (const [name, rule] of Object.entries(card.rules)) refsIn(rule, ['rules', name], uses);
  card.sections.forEach((s, si) => s.questions.forEach((q, qi) => {
    if (q.auto) refsIn(q.auto, ['sections', si, 'questions', qi, 'auto'], uses);
  }));
  for (const u of uses) {
    if (!Object.hasOwn(card.rules, u.name)) {
      const known = Object.keys(card.rules);
      ctx.addIssue({ code: 'custom', message: `unknown rule "${u.name}"${known.length ? ` (defined: ${known.join(', ')})` : ' (the card defines no rules)'}`, path: u.path });
    }
  }
  const cycle = findCycle(card.rules);
  if (cycle) ctx.addIssue({ code: 'custom', message: `rules refer to each other in a cycle: ${cycle.join(' → ')}`, path: ['rules', cycle[0]] });
}

/** The first cycle among named rules, as the list of names around it (first name repeated at the end). */
export function findCycle(rules: Record<string, Rule>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'done' || !Object.hasOwn(rules, name)) return null;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const ref of refsIn(rules[name], [], [])) {
      const found = visit(ref.name);
      if (found) return found;
    }
    stack.pop();
    state.set(name, 'done');
    return null;
  };
  for (const name of Object.keys(rules)) {
    const found = visit(name);
    if (found) return found;
  }
  return null;
}

export const scorecardSchema: z.ZodType<Scorecard> = z.strictObject({
  id,
  name: text,
  description: z.string().optional(),
  appliesTo: applicability.default({}),
  passThreshold: z.number().min(0).max(100),
  matching: z.strictObject({ minSimilarity: z.number().min(0.5).max(1).default(0.8) }).default({ minSimilarity: 0.8 }),
  review: z.strictObject({ minConfidence: z.number().min(0).max(1).default(0.7) }).default({ minConfidence: 0.7 }),
  rules: z.record(id, ruleSchema).default({}),
  sections: z.array(section).min(1, 'a scorecard needs at least one section'),
}).superRefine(checkCard);
