import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../core/index.js';
import { isUuid } from '../../store/index.js';

function invalid(error: z.ZodError): ValidationError {
  const issue = error.issues[0];
  const path = issue?.path.join('.') ?? '';
  return new ValidationError(path ? `${path}: ${issue.message}` : (issue?.message ?? 'invalid request'), path, { cause: error });
}

/** The JSON body parsed by `schema`; 400 with the first problem otherwise. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch (cause) {
    throw new ValidationError('request body must be JSON', '', { cause });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw invalid(parsed.error);
  return parsed.data;
}

/** The query string parsed by `schema`; 400 with the first problem otherwise. */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw invalid(parsed.error);
  return parsed.data;
}

/** A path parameter that must be a UUID; anything else is simply not found (`what` names it). */
export function uuidParam(c: Context, name: string, what: string): string {
  const value = c.req.param(name) ?? '';
  if (!isUuid(value)) throw new NotFoundError(what);
  return value;
}

/** The peer address of the connection (proxies are not trusted). */
export function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export const uuid = () => z.string().refine(isUuid, 'must be a UUID');

/** limit/offset query parameters with defaults and bounds. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};
