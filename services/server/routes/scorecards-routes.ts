import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { currentUser, requireRole, type AuthEnv } from '../../auth/index.js';
import { NotFoundError, ValidationError } from '../../core/index.js';
import { parseScorecard, ScorecardError } from '../../scoring/index.js';
import { createDraft, isScorecardId, publishVersion } from '../../scoring/workflow/index.js';
import { createEvaluationRepo, createScorecardRepo } from '../../store/index.js';
import { previewScorecard } from '../../scoring/workflow/preview.js';
import type { ServerContext } from '../context.js';
import { readJson, readQuery } from './http.js';

const MAX_SOURCE = 1_000_000;

const PreviewRange = z.object({
  last: z.coerce.number().int().min(1).max(1000).default(50),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});

/** The YAML of a request: a raw YAML body, or JSON `{ source }`. */
async function readSource(c: Context): Promise<string> {
  if ((c.req.header('content-type') ?? '').includes('json')) {
    return (await readJson(c, z.object({ source: z.string().min(1).max(MAX_SOURCE) }))).source;
  }
  const text = await c.req.text();
  if (!text.trim()) throw new ValidationError('send the scorecard YAML as the body (or JSON { "source": "…" })', 'source');
  if (text.length > MAX_SOURCE) throw new ValidationError(`the scorecard is larger than ${MAX_SOURCE} characters`, 'source');
  return text;
}

/** 400 with every problem (file, line, column, field, message) for a scorecard that does not validate. */
async function withIssues(c: Context, fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ScorecardError) return c.json({ error: err.message, issues: err.issues }, 400);
    throw err;
  }
}

function cardParam(c: Context): string {
  const id = c.req.param('id') ?? '';
  if (!isScorecardId(id)) throw new NotFoundError('scorecard');
  return id;
}

function versionParam(c: Context): number {
  const n = Number(c.req.param('n'));
  if (!Number.isInteger(n) || n < 1) throw new NotFoundError('scorecard version');
  return n;
}

/**
 * Scorecards and their versions under /api/scorecards. Trainers and admins create drafts from YAML and publish
 * them (published versions never change); QA and supervisors read.
 */
export function createScorecardRoutes(ctx: Pick<ServerContext, 'db'>): Hono<AuthEnv> {
  const { db } = ctx;
  const repo = createScorecardRepo(db);
  const app = new Hono<AuthEnv>();
  const read = requireRole('admin', 'trainer', 'qa', 'supervisor');
  const edit = requireRole('admin', 'trainer');

  app.get('/', read, async (c) => c.json({ items: await repo.list() }));

  app.post('/', edit, async (c) => withIssues(c, async () => {
    const source = await readSource(c);
    const version = await db.transaction((tx) => createDraft(tx, { source, userId: currentUser(c).id }));
    return c.json(version, 201);
  }));

  app.get('/:id/versions', read, async (c) => {
    const id = cardParam(c);
    if (!(await repo.exists(id))) throw new NotFoundError('scorecard');
    return c.json({ scorecardId: id, items: await repo.listVersions(id) });
  });

  app.post('/:id/versions', edit, async (c) => withIssues(c, async () => {
    const id = cardParam(c);
    const source = await readSource(c);
    const version = await db.transaction((tx) => createDraft(tx, { source, scorecardId: id, userId: currentUser(c).id }));
    return c.json(version, 201);
  }));

  app.get('/:id/versions/:n', read, async (c) => {
    const version = await repo.getVersion(cardParam(c), versionParam(c));
    if (!version) throw new NotFoundError('scorecard version');
    return c.json(version);
  });

  /** Trust in automation: how often reviewers kept or changed each automatic answer over the last N reviewed evaluations. */
  app.get('/:id/trust', requireRole('admin', 'trainer', 'qa'), async (c) => {
    const id = cardParam(c);
    if (!(await repo.exists(id))) throw new NotFoundError('scorecard');
    const { last } = readQuery(c, z.object({ last: z.coerce.number().int().min(1).max(10_000).default(100) }));
    return c.json({ scorecardId: id, last, ...(await createEvaluationRepo(db).trust(id, last)) });
  });

  /** Validation only (the editor's check as you type): 200 `{ valid: true, id, name }` or 400 with every issue. Stores nothing. */
  app.post('/:id/validate', edit, async (c) => withIssues(c, async () => {
    const id = cardParam(c);
    const card = parseScorecard(await readSource(c), 'scorecard.yaml');
    if (card.id !== id) throw new ScorecardError([{ file: 'scorecard.yaml', line: 1, column: 1, field: 'id', message: `the YAML's id "${card.id}" is not this scorecard's ("${id}")` }]);
    return c.json({ valid: true, id: card.id, name: card.name });
  }));

  /**
   * Dry run of a draft: validates the YAML (400 with issues, like a new version) and scores it against recent ended
   * calls (`last`, default 50; `from`/`to`), compared with the published version. Stores nothing. Body: JSON
   * `{ source, last?, from?, to? }`, or the raw YAML with `?last=&from=&to=`.
   */
  app.post('/:id/preview', edit, async (c) => withIssues(c, async () => {
    const id = cardParam(c);
    let source: string, range: z.infer<typeof PreviewRange>;
    if ((c.req.header('content-type') ?? '').includes('json')) {
      ({ source, ...range } = await readJson(c, PreviewRange.extend({ source: z.string().min(1).max(MAX_SOURCE) })));
    } else {
      range = readQuery(c, PreviewRange);
      source = await readSource(c);
    }
    return c.json(await previewScorecard(db, { scorecardId: id, source, ...range }));
  }));

  app.post('/:id/versions/:n/publish', edit, async (c) => {
    const [id, n] = [cardParam(c), versionParam(c)];
    const version = await db.transaction((tx) => publishVersion(tx, { scorecardId: id, version: n, userId: currentUser(c).id }));
    return c.json(version);
  });
  return app;
}
