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

/** True when the database knows the IANA time zone `name` (the one list `at time zone` uses, on PGlite and PostgreSQL). */
export async function isKnownTimeZone(db: Queryable, name: string): Promise<boolean> {
  const rows = await db.query('select 1 from pg_timezone_names where name = $1', [name]);
  return rows.length > 0;
}
