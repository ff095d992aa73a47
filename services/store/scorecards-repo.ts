import type { Scorecard } from '../scoring/index.js';
import { toNumber, type Queryable } from './rows.js';

export type ScorecardVersionStatus = 'draft' | 'published';

/** One version of a scorecard: its YAML as written and the validated definition. Immutable once published. */
export interface ScorecardVersion {
  id: string;
  scorecardId: string;
  version: number;
  status: ScorecardVersionStatus;
  source: string;
  sourceSha256: string;
  definition: Scorecard;
  /** 'api', or the seed file's name. */
  origin: string;
  createdBy: string | null;
  createdAt: Date;
  publishedBy: string | null;
  publishedAt: Date | null;
}

/** A version without its source and definition, for lists. */
export type ScorecardVersionSummary = Omit<ScorecardVersion, 'source' | 'definition'>;

export interface ScorecardSummary {
  id: string;
  name: string;
  createdAt: Date;
  /** The newest version (draft or published). */
  latest: ScorecardVersionSummary | null;
  /** The version automatic evaluation uses: the most recently published one. */
  published: ScorecardVersionSummary | null;
}

export interface NewScorecardVersion {
  scorecardId: string;
  /** Stored on the scorecard row when it is new (and kept in step with the latest version). */
  name: string;
  status: ScorecardVersionStatus;
  source: string;
  sourceSha256: string;
  definition: Scorecard;
  origin?: string;
  createdBy: string | null;
}

interface VersionRow {
  id: string; scorecard_id: string; version: number; status: ScorecardVersionStatus; source?: string; source_sha256: string;
  definition?: Scorecard; origin: string; created_by: string | null; created_at: Date; published_by: string | null; published_at: Date | null;
}

const SUMMARY_COLUMNS = 'v.id, v.scorecard_id, v.version, v.status, v.source_sha256, v.origin, v.created_by, v.created_at, v.published_by, v.published_at';
const FULL_COLUMNS = `${SUMMARY_COLUMNS}, v.source, v.definition`;

const toSummary = (r: VersionRow): ScorecardVersionSummary => ({
  id: r.id, scorecardId: r.scorecard_id, version: toNumber(r.version), status: r.status, sourceSha256: r.source_sha256, origin: r.origin,
  createdBy: r.created_by, createdAt: r.created_at, publishedBy: r.published_by, publishedAt: r.published_at,
});
const toVersion = (r: VersionRow): ScorecardVersion => ({ ...toSummary(r), source: r.source ?? '', definition: r.definition as Scorecard });

/** Scorecards and their version history. Published versions are never updated (only drafts are published). */
export function createScorecardRepo(db: Queryable) {
  return {
    /** Adds the next version of a scorecard (creating the scorecard when new). */
    async addVersion(v: NewScorecardVersion): Promise<ScorecardVersion> {
      await db.query(
        `insert into scorecards (id, name, created_by) values ($1, $2, $3) on conflict (id) do update set name = excluded.name`,
        [v.scorecardId, v.name, v.createdBy],
      );
      const published = v.status === 'published';
      const [row] = await db.query<VersionRow>(
        `insert into scorecard_versions as v (scorecard_id, version, status, source, source_sha256, definition, origin, created_by, published_by, published_at)
         select $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9 from scorecard_versions where scorecard_id = $1
         returning ${FULL_COLUMNS}`,
        [v.scorecardId, v.status, v.source, v.sourceSha256, JSON.stringify(v.definition), v.origin ?? 'api', v.createdBy,
          published ? v.createdBy : null, published ? new Date() : null],
      );
      return toVersion(row);
    },
    /** Publishes a draft; undefined when there is no such draft (unknown, or already published). */
    async publish(scorecardId: string, version: number, by: string | null): Promise<ScorecardVersion | undefined> {
      const [row] = await db.query<VersionRow>(
        `update scorecard_versions v set status = 'published', published_by = $3, published_at = now()
         where scorecard_id = $1 and version = $2 and status = 'draft' returning ${FULL_COLUMNS}`,
        [scorecardId, version, by],
      );
      return row ? toVersion(row) : undefined;
    },
    async getVersion(scorecardId: string, version: number): Promise<ScorecardVersion | undefined> {
      const [row] = await db.query<VersionRow>(
        `select ${FULL_COLUMNS} from scorecard_versions v where scorecard_id = $1 and version = $2`, [scorecardId, version],
      );
      return row ? toVersion(row) : undefined;
    },
    async getVersionById(id: string): Promise<ScorecardVersion | undefined> {
      const [row] = await db.query<VersionRow>(`select ${FULL_COLUMNS} from scorecard_versions v where id = $1`, [id]);
      return row ? toVersion(row) : undefined;
    },
    /** Version history, newest first. */
    async listVersions(scorecardId: string): Promise<ScorecardVersionSummary[]> {
      const rows = await db.query<VersionRow>(
        `select ${SUMMARY_COLUMNS} from scorecard_versions v where scorecard_id = $1 order by version desc`, [scorecardId],
      );
      return rows.map(toSummary);
    },
    /** The newest version with this source, if any (seeding skips files already stored). */
    async findBySource(scorecardId: string, sourceSha256: string): Promise<ScorecardVersionSummary | undefined> {
      const [row] = await db.query<VersionRow>(
        `select ${SUMMARY_COLUMNS} from scorecard_versions v where scorecard_id = $1 and source_sha256 = $2 order by version desc limit 1`,
        [scorecardId, sourceSha256],
      );
      return row ? toSummary(row) : undefined;
    },
    async exists(scorecardId: string): Promise<boolean> {
      return (await db.query('select 1 from scorecards where id = $1', [scorecardId])).length > 0;
    },
    /** The version each scorecard evaluates with: its most recently published one. */
    async listActive(): Promise<ScorecardVersion[]> {
      const rows = await db.query<VersionRow>(
        `select distinct on (v.scorecard_id) ${FULL_COLUMNS} from scorecard_versions v
         where v.status = 'published' order by v.scorecard_id, v.published_at desc, v.version desc`,
      );
      return rows.map(toVersion);
    },
    /** Every scorecard with its newest and its active version. */
    async list(): Promise<ScorecardSummary[]> {
      const cards = await db.query<{ id: string; name: string; created_at: Date }>('select id, name, created_at from scorecards order by id');
      const latest = await db.query<VersionRow>(
        `select distinct on (v.scorecard_id) ${SUMMARY_COLUMNS} from scorecard_versions v order by v.scorecard_id, v.version desc`,
      );
      const active = await db.query<VersionRow>(
        `select distinct on (v.scorecard_id) ${SUMMARY_COLUMNS} from scorecard_versions v where v.status = 'published'
         order by v.scorecard_id, v.published_at desc, v.version desc`,
      );
      const byCard = (rows: VersionRow[]) => new Map(rows.map((r) => [r.scorecard_id, toSummary(r)]));
      const [l, a] = [byCard(latest), byCard(active)];
      return cards.map((c) => ({ id: c.id, name: c.name, createdAt: c.created_at, latest: l.get(c.id) ?? null, published: a.get(c.id) ?? null }));
    },
  };
}

export type ScorecardRepo = ReturnType<typeof createScorecardRepo>;
