import { Hono } from 'hono';
import { z } from 'zod';
import { currentUser, requireUser, scopeFor, type AuthEnv } from '../../auth/index.js';
import { createTranscriptRepo, isSearchable } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { pageQuery, readQuery } from './http.js';

export const MAX_QUERY_LENGTH = 200;

/** A transcript search text (web-search syntax): trimmed, 1–200 characters, with a word to search for. */
export const searchText = () => z.string({ error: 'is required' }).trim()
  .min(1, 'must not be empty')
  .max(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters`)
  .refine(isSearchable, 'must contain a word to search for');

const searchQuery = z.object({
  q: searchText(),
  speaker: z.enum(['agent', 'customer'], { error: 'must be agent or customer' }).optional(),
  agent: z.string().min(1).max(200).optional(),
  team: z.string().min(1).max(200).optional(),
  queue: z.string().min(1).max(200).optional(),
  from: z.coerce.date({ error: 'must be a date (ISO 8601)' }).optional(),
  to: z.coerce.date({ error: 'must be a date (ISO 8601)' }).optional(),
  ...pageQuery,
}).refine((s) => !s.from || !s.to || s.from < s.to, { message: 'must be after from', path: ['to'] });

/**
 * GET /api/search — full-text search over the transcripts of the calls the user may see: `q` (web-search
 * syntax), `speaker`, `agent`/`team`/`queue` (id or name), `from`/`to` (call start, from inclusive, to exclusive).
 */
export function createSearchRoutes(ctx: Pick<ServerContext, 'db'>): Hono<AuthEnv> {
  const transcripts = createTranscriptRepo(ctx.db);
  const app = new Hono<AuthEnv>();
  app.use('*', requireUser());
  app.get('/', async (c) => {
    const { limit, offset, ...search } = readQuery(c, searchQuery);
    return c.json(await transcripts.search(search, scopeFor(currentUser(c)), { limit, offset }));
  });
  return app;
}
