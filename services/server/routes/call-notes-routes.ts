import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { currentUser, requireRole, scopeFor, type AuthEnv } from '../../auth/index.js';
import { AuthError, NotFoundError } from '../../core/index.js';
import { createCallNoteRepo, createCallRepo, type CallRecord, type Queryable } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { auditAction } from './audit.js';
import { readJson, uuidParam } from './http.js';

const MAX_AT_MS = 86_400_000;

const createBody = z.object({
  atMs: z.number().int('must be a whole number of milliseconds').min(0, 'must be 0 or more (ms from the call start)').max(MAX_AT_MS, 'must be within 24 hours of the call start'),
  text: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'),
}).strict();

/** Who writes notes; who reads them (the call's own agent too — agents are scoped to their own calls). */
const WRITERS = ['supervisor', 'admin', 'qa'] as const;
const READERS = [...WRITERS, 'agent'] as const;

/** The call of `:id` within the user's scope; out of scope is simply not found. */
async function scopedCall(db: Queryable, c: Context<AuthEnv>): Promise<CallRecord> {
  const call = await createCallRepo(db).get(uuidParam(c, 'id', 'call'), scopeFor(currentUser(c)));
  if (!call) throw new NotFoundError('call');
  return call;
}

/**
 * Coaching notes under /api/calls: GET /:id/notes (supervisors, QA, admins and the call's own agent, within their
 * scope), POST /:id/notes {atMs, text} (supervisors of the call's team, QA, admins; audited), DELETE
 * /:id/notes/:noteId (the note's author only; audited). Both changes are published on the bus (`note.added`,
 * `note.deleted`: ids only, the text stays behind the scoped API) for the supervisors watching the call.
 */
export function createCallNoteRoutes(ctx: Pick<ServerContext, 'db' | 'bus'>): Hono<AuthEnv> {
  const { db, bus } = ctx;
  const notes = createCallNoteRepo(db);
  const app = new Hono<AuthEnv>();

  app.get('/:id/notes', requireRole(...READERS), async (c) => {
    const call = await scopedCall(db, c);
    return c.json({ callId: call.id, items: await notes.list(call.id) });
  });

  app.post('/:id/notes', requireRole(...WRITERS), async (c) => {
    const call = await scopedCall(db, c);
    const body = await readJson(c, createBody);
    const note = await db.transaction(async (tx) => {
      const n = await createCallNoteRepo(tx).insert({ callId: call.id, authorId: currentUser(c).id, atMs: body.atMs, text: body.text });
      await auditAction(tx, c, 'call_note.created', { type: 'call', id: call.id }, { noteId: n.id, atMs: n.atMs });
      return n;
    });
    // Supervisors watching the live call see it at once (their live call page lists the call's notes).
    bus.publish({ type: 'note.added', callId: call.id, noteId: note.id, atMs: note.atMs });
    return c.json(note, 201);
  });

  app.delete('/:id/notes/:noteId', requireRole(...WRITERS), async (c) => {
    const call = await scopedCall(db, c);
    const noteId = uuidParam(c, 'noteId', 'note');
    await db.transaction(async (tx) => {
      const repo = createCallNoteRepo(tx);
      const note = await repo.get(noteId);
      if (!note || note.callId !== call.id) throw new NotFoundError('note');
      if (note.author?.id !== currentUser(c).id) throw new AuthError('only its author may delete a note', 403);
      await repo.delete(noteId, call.id);
      await auditAction(tx, c, 'call_note.deleted', { type: 'call', id: call.id }, { noteId, atMs: note.atMs });
    });
    bus.publish({ type: 'note.deleted', callId: call.id, noteId });
    return c.body(null, 204);
  });
  return app;
}
