import type { CallScope, Queryable } from '../store/index.js';
import { callTotals, csatSummary, dailyTrend, volumeHeatmap } from './call-kpis.js';
import { filterOptions } from './filter-options.js';
import { agentKpis, qaSummary, teamKpis } from './group-kpis.js';
import { questionKpis } from './question-kpis.js';
import type { AnalyticsFilter, AnalyticsReport } from './types.js';

/** Every KPI of the report for the calls matching `filter` that `scope` may see. Queries run one after another (one connection is enough). */
export async function analyticsReport(db: Queryable, filter: AnalyticsFilter, scope: CallScope): Promise<AnalyticsReport> {
  const totals = await callTotals(db, filter, scope);
  const qa = await qaSummary(db, filter, scope);
  const csat = await csatSummary(db, filter, scope);
  return {
    range: { from: filter.from.toISOString(), to: filter.to.toISOString(), tz: filter.tz },
    totals: { ...totals, qa, csat },
    heatmap: await volumeHeatmap(db, filter, scope),
    daily: await dailyTrend(db, filter, scope),
    agents: await agentKpis(db, filter, scope),
    teams: await teamKpis(db, filter, scope),
    questions: await questionKpis(db, filter, scope),
    options: await filterOptions(db, scope),
  };
}

/**
 * The database's spelling of the IANA time zone `name`, matched without regard to case (`at time zone` does the same),
 * or undefined when the database does not know it: the one list that counts, on PGlite and PostgreSQL alike.
 */
export async function canonicalTimeZone(db: Queryable, name: string): Promise<string | undefined> {
  const [row] = await db.query<{ name: string }>('select name from pg_timezone_names where lower(name) = lower($1) order by name = $1 desc limit 1', [name]);
  return row?.name;
}
