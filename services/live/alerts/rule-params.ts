import { z } from 'zod';
import { ValidationError } from '../../core/index.js';
import type { AlertRuleKind } from '../../store/index.js';

const speaker = z.enum(['agent', 'customer']);
const phrases = z.array(z.string().trim().min(1).max(200)).min(1).max(500);
const score = z.number().min(-1).max(1);

/** The parameters of each rule kind (docs/alerts.md); unknown keys are refused. */
export const RULE_PARAMS = {
  /** Fires on `consecutive` scored utterances of `speaker` below `below`, or (when `meanBelow` is set) when the mean of the last `window` is below `meanBelow`. */
  'negative-sentiment': z.object({
    speaker: speaker.default('customer'),
    consecutive: z.number().int().min(1).max(50).default(3),
    below: score.default(-0.3),
    window: z.number().int().min(1).max(100).default(5),
    meanBelow: score.optional(),
  }).strict(),
  /** A final utterance of `speaker` contains one of `phrases` (whole words after normalisation; English and Persian). */
  'prohibited-phrase': z.object({ speaker: speaker.default('agent'), phrases }).strict(),
  'escalation-phrase': z.object({ speaker: speaker.default('customer'), phrases }).strict(),
  /** A both-silent stretch (non-talk, hold) of at least `minMs`, from the live metrics. */
  'long-hold': z.object({ minMs: z.number().int().min(1000).max(3_600_000) }).strict(),
  /** The call is still live `targetMs` after it started. */
  'handle-time': z.object({ targetMs: z.number().int().min(1000).max(86_400_000) }).strict(),
  /** An agitation episode of `speaker` lasting at least `minEpisodeMs` with a peak score of at least `minScore`. */
  agitation: z.object({
    speaker: speaker.default('customer'),
    minEpisodeMs: z.number().int().min(0).max(3_600_000).default(8000),
    minScore: z.number().min(0).max(1).default(0.6),
  }).strict(),
} satisfies Record<AlertRuleKind, z.ZodType>;

export type RuleParams<K extends AlertRuleKind> = z.infer<(typeof RULE_PARAMS)[K]>;

/** `params` validated (defaults filled) for `kind`; a ValidationError naming the field (`params.…`) otherwise. */
export function parseRuleParams<K extends AlertRuleKind>(kind: K, params: unknown): RuleParams<K> {
  const parsed = RULE_PARAMS[kind].safeParse(params ?? {});
  if (parsed.success) return parsed.data as RuleParams<K>;
  const issue = parsed.error.issues[0];
  const path = ['params', ...(issue?.path ?? [])].join('.');
  throw new ValidationError(`${path}: ${issue?.message ?? 'invalid'}`, path, { cause: parsed.error });
}
