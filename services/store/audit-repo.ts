import { createWhere, toNumber, type Page, type PageRequest, type Queryable } from './rows.js';

export interface AuditEntry {
  id: number;
  at: Date;
  actorId: string | null;
  actorUsername: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
}

export interface NewAuditEntry {
  /** The acting user; null for the system or the command line. */
  actorId: string | null;
  /** Dotted past-tense-ish verb: 'user.created', 'tap_key.revoked', … */
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

export interface AuditFilter {
  action?: string;
  actorId?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
}

interface Row {
  id: string | number; at: Date; actor_id: string | null; actor_username: string | null; action: string;
  target_type: string | null; target_id: string | null; details: Record<string, unknown>;
}
const toEntry = (r: Row): AuditEntry => ({
  id: toNumber(r.id), at: r.at, actorId: r.actor_id, actorUsername: r.actor_username, action: r.action,
  targetType: r.target_type, targetId: r.target_id, details: r.details,
});

/** Keys that never belong in the audit log, whatever a caller passes. */
const SECRET_KEY = /pass|secret|token|api_?key|hash/i;

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !SECRET_KEY.test(k)).map(([k, v]) => [k, scrub(v)]));
  }
  return value;
}

const SELECT = `select l.id, l.at, l.actor_id, u.username as actor_username, l.action, l.target_type, l.target_id, l.details
  from audit_log l left join users u on u.id = l.actor_id`;

export function createAuditRepo(db: Queryable) {
  return {
    /** Appends an entry; keys that look like secrets are dropped from `details`. */
    async append(e: NewAuditEntry): Promise<number> {
      const [row] = await db.query<{ id: string | number }>(
        'insert into audit_log (actor_id, action, target_type, target_id, details) values ($1, $2, $3, $4, $5::jsonb) returning id',
        [e.actorId, e.action, e.targetType ?? null, e.targetId ?? null, JSON.stringify(scrub(e.details ?? {}))],
      );
      return toNumber(row.id);
    },
    /** Entries matching `filter`, newest first. */
    async list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
      const w = createWhere();
      if (filter.action) w.add(`l.action = ${w.param(filter.action)}`);
      if (filter.actorId) w.add(`l.actor_id = ${w.param(filter.actorId)}`);
      if (filter.targetType) w.add(`l.target_type = ${w.param(filter.targetType)}`);
      if (filter.targetId) w.add(`l.target_id = ${w.param(filter.targetId)}`);
      if (filter.from) w.add(`l.at >= ${w.param(filter.from)}`);
      if (filter.to) w.add(`l.at < ${w.param(filter.to)}`);
      const [{ n }] = await db.query<{ n: number | string }>(`select count(*) as n from audit_log l ${w.sql()}`, w.params);
      const rows = await db.query<Row>(
        `${SELECT} ${w.sql()} order by l.id desc limit ${w.param(page.limit)} offset ${w.param(page.offset)}`, w.params,
      );
      return { items: rows.map(toEntry), total: toNumber(n), limit: page.limit, offset: page.offset };
    },
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
