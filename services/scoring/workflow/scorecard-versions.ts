import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConflictError, NotFoundError, ValidationError, type Logger } from '../../core/index.js';
import { createAuditRepo, createScorecardRepo, type Db, type Queryable, type ScorecardVersion } from '../../store/index.js';
import { loadScorecardDir, parseScorecard } from '../index.js';

/** The shipped seed cards (repository `scorecards/`). */
export const SEED_SCORECARD_DIR = fileURLToPath(new URL('../../../scorecards/', import.meta.url));

export const sourceHash = (source: string) => createHash('sha256').update(source).digest('hex');

/** A scorecard id as it appears in URLs: the YAML `id`. */
const CARD_ID = /^[a-z0-9][a-z0-9._-]{0,99}$/iu;
export const isScorecardId = (id: string) => CARD_ID.test(id);

/**
 * Stores every seed card as a published version when its exact source is not stored yet: the first run makes
 * version 1, an edited file a new version, an unchanged one nothing (idempotent). Returns what it added.
 */
export async function seedScorecards(db: Db, opts: { dir?: string; log?: Logger } = {}): Promise<ScorecardVersion[]> {
  const loaded = await loadScorecardDir(opts.dir ?? SEED_SCORECARD_DIR);
  const added: ScorecardVersion[] = [];
  for (const { card, file, source } of loaded) {
    const sha = sourceHash(source);
    const version = await db.transaction(async (tx) => {
      const repo = createScorecardRepo(tx);
      await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`scorecard:${card.id}`]);
      if (await repo.findBySource(card.id, sha)) return undefined;
      const v = await repo.addVersion({
        scorecardId: card.id, name: card.name, status: 'published', source, sourceSha256: sha, definition: card, origin: basename(file), createdBy: null,
      });
      await createAuditRepo(tx).append({
        actorId: null, action: 'scorecard.seeded', targetType: 'scorecard', targetId: card.id, details: { version: v.version, file: basename(file) },
      });
      return v;
    });
    if (version) {
      added.push(version);
      opts.log?.info({ scorecard: card.id, version: version.version, file: basename(file) }, 'scorecard seeded');
    }
  }
  return added;
}

/**
 * A new draft version from YAML. Throws `ScorecardError` (400, with every issue's line and field) when it does not
 * validate; `scorecardId`, when given, must match the YAML's `id`. `mustExist`: 404 unless the card exists; otherwise 409 if it does.
 */
export async function createDraft(tx: Queryable, opts: { source: string; scorecardId?: string; userId: string }): Promise<ScorecardVersion> {
  const repo = createScorecardRepo(tx);
  const card = parseScorecard(opts.source, 'scorecard.yaml');
  if (opts.scorecardId !== undefined) {
    if (!(await repo.exists(opts.scorecardId))) throw new NotFoundError('scorecard');
    if (card.id !== opts.scorecardId) {
      throw new ValidationError(`the YAML's id "${card.id}" is not this scorecard's ("${opts.scorecardId}")`, 'id');
    }
  } else if (await repo.exists(card.id)) {
    throw new ConflictError(`scorecard "${card.id}" exists: add a version with POST /api/scorecards/${card.id}/versions`);
  }
  await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`scorecard:${card.id}`]);
  const v = await repo.addVersion({
    scorecardId: card.id, name: card.name, status: 'draft', source: opts.source, sourceSha256: sourceHash(opts.source), definition: card, createdBy: opts.userId,
  });
  await createAuditRepo(tx).append({
    actorId: opts.userId, action: opts.scorecardId ? 'scorecard.version_created' : 'scorecard.created', targetType: 'scorecard', targetId: card.id,
    details: { version: v.version, status: 'draft' },
  });
  return v;
}

/** Publishes a draft: from now on it is immutable and the version new calls are scored with. 409 when already published. */
export async function publishVersion(tx: Queryable, opts: { scorecardId: string; version: number; userId: string }): Promise<ScorecardVersion> {
  const repo = createScorecardRepo(tx);
  const existing = await repo.getVersion(opts.scorecardId, opts.version);
  if (!existing) throw new NotFoundError('scorecard version');
  if (existing.status === 'published') throw new ConflictError(`version ${opts.version} of "${opts.scorecardId}" is published and cannot change`);
  const v = await repo.publish(opts.scorecardId, opts.version, opts.userId);
  if (!v) throw new ConflictError(`version ${opts.version} of "${opts.scorecardId}" was published meanwhile`);
  await createAuditRepo(tx).append({
    actorId: opts.userId, action: 'scorecard.version_published', targetType: 'scorecard', targetId: opts.scorecardId, details: { version: v.version },
  });
  return v;
}
