import { z } from 'zod';
import type { CallDirection, Channel } from '../calls/index.js';
import { ValidationError } from '../core/index.js';

/**
 * What is known about an imported call besides its audio. Every field is optional: command-line flags or form
 * fields give defaults for a batch, a CSV row overrides them per file. `left` says whose voice is on the left
 * channel of a stereo file (the other party is on the right); `mono` mixes a stereo file down to one channel.
 */
export interface ImportMeta {
  agent?: string;
  queue?: string;
  direction?: CallDirection;
  language?: string;
  customerNumber?: string;
  startedAt?: Date;
  left?: Channel;
  mono?: boolean;
}

export const IMPORT_META_FIELDS = ['agent', 'queue', 'direction', 'language', 'customerNumber', 'startedAt', 'left', 'mono'] as const;
export type ImportMetaField = (typeof IMPORT_META_FIELDS)[number];

const text = (max: number) => z.string().trim().min(1).max(max);
const flag = z.union([z.boolean(), z.enum(['true', 'false', 'yes', 'no', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === 'yes' || v === '1');
const date = z.union([z.date(), z.string()]).transform((v, ctx) => {
  const d = v instanceof Date ? v : new Date(v);
  if (Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'must be a date and time, e.g. 2026-11-20T14:03:00Z' });
    return z.NEVER;
  }
  return d;
});

const schema = z.object({
  agent: text(200).optional(),
  queue: text(200).optional(),
  direction: z.enum(['inbound', 'outbound'], { error: 'must be inbound or outbound' }).optional(),
  language: z.string().trim().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en-US').optional(),
  customerNumber: text(64).optional(),
  startedAt: date.optional(),
  left: z.enum(['agent', 'customer'], { error: 'must be agent or customer' }).optional(),
  mono: flag.optional(),
}).strict();

/**
 * Validates metadata given as strings (flags, form fields, CSV cells); empty values count as not given.
 * `where` names the source in the error ("--direction", "meta.csv line 3"). Throws ValidationError.
 */
export function parseImportMeta(input: Partial<Record<string, string | boolean | Date | undefined>>, where = ''): ImportMeta {
  const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(given);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
  const problem = issue.code === 'unrecognized_keys' ? `unknown field (known: ${IMPORT_META_FIELDS.join(', ')})` : issue.message;
  throw new ValidationError(`${where ? `${where}: ` : ''}${field} ${problem}`, field, { cause: parsed.error });
}

/** `over` wins where it has a value. */
export function mergeImportMeta(base: ImportMeta, over: ImportMeta | undefined): ImportMeta {
  if (!over) return base;
  const out: ImportMeta = { ...base };
  for (const [k, v] of Object.entries(over)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
