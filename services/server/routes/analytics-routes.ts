import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { analyticsReport, canonicalTimeZone, CSV_TABLES, csvTable, toCsv, type AnalyticsFilter } from '../../analytics/index.js';
import { currentUser, requireRole, scopeFor, type AuthEnv } from '../../auth/index.js';
import { ValidationError } from '../../core/index.js';
import type { Queryable } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { readQuery } from './http.js';

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;
export const MAX_RANGE_DAYS = 366;

const date = () => z.coerce.date({ error: 'must be a date (ISO 8601)' }).optional();
const name = () => z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional();

const filterQuery = {
  from: date(),
  to: date(),
  tz: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters').default('UTC'),
  team: name(),
  agent: name(),
  queue: name(),
};
const reportQuery = z.object(filterQuery);
const exportQuery = z.object({
  ...filterQuery,
  table: z.enum(CSV_TABLES, { error: `must be one of ${CSV_TABLES.join(', ')}` }),
});

/** Time zone names as given → the database's spelling (the zone list only changes with a database upgrade). */
type ZoneCache = Map<string, string>;

/** The filter with its defaults (the last 30 days up to now, UTC); 400 for an empty or too long range or an unknown zone. */
async function toFilter(db: Queryable, zones: ZoneCache, q: z.infer<typeof reportQuery>): Promise<AnalyticsFilter> {
  const to = q.to ?? new Date();
  const from = q.from ?? new Date(to.getTime() - DEFAULT_DAYS * DAY_MS);
  if (from >= to) throw new ValidationError('to: must be after from', 'to');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) throw new ValidationError(`to: the range may span at most ${MAX_RANGE_DAYS} days`, 'to');
  const tz = zones.get(q.tz) ?? await canonicalTimeZone(db, q.tz);
  if (!tz) throw new ValidationError(`tz: unknown time zone ${JSON.stringify(q.tz)} (use an IANA name such as Asia/Tehran)`, 'tz');
  if (zones.size < 1000) zones.set(q.tz, tz);
  return { from, to, tz, team: q.team, agent: q.agent, queue: q.queue };
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * GET /api/analytics — the KPI report (services/analytics) for calls started in [from, to) (default: the last 30
 * days), by `tz` (IANA, default UTC), optionally one `team`, `agent`, `queue` (id or name). GET /api/analytics/export.csv
 * with `table` = agents | teams | questions | heatmap | daily: that table as CSV. Admin, QA, trainers (everything),
 * supervisors (their teams' agents); agents are refused.
 */
export function createAnalyticsRoutes(ctx: Pick<ServerContext, 'db'>): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const zones: ZoneCache = new Map();
  app.use('*', requireRole('admin', 'supervisor', 'qa', 'trainer'));

  app.get('/', async (c) => {
    const filter = await toFilter(ctx.db, zones, readQuery(c, reportQuery));
    return c.json(await analyticsReport(ctx.db, filter, scopeFor(currentUser(c))));
  });

  app.get('/export.csv', async (c: Context<AuthEnv>) => {
    const { table, ...q } = readQuery(c, exportQuery);
    const filter = await toFilter(ctx.db, zones, q);
    const { header, rows } = await csvTable(ctx.db, table, filter, scopeFor(currentUser(c)));
    const filename = `callsight-${table}-${day(filter.from)}-${day(new Date(filter.to.getTime() - 1))}.csv`;
    return c.body(toCsv(header, rows), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
    });
  });
  return app;
}
