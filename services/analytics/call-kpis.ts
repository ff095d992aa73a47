import type { CallScope, Queryable } from '../store/index.js';
import { selectCalls } from './call-selection.js';
import type { AnalyticsFilter, CsatSummary, DayKpis, Totals } from './types.js';

const METRICS_JOIN = 'left join call_metrics m on m.call_id = c.id';
const ratio = (part: number, whole: number | null) => (whole ? part / whole : null);

interface TotalsRow {
  calls: number; ended: number; aht_ms: number | null; non_talk_ms: number | null; covered_ms: number | null;
  with_number: number; repeated: number;
}

/** Call counts, handle time, non-talk share and the repeat-call rate of the selected calls. */
export async function callTotals(db: Queryable, filter: AnalyticsFilter, scope: CallScope): Promise<Omit<Totals, 'qa' | 'csat'>> {
  const s = selectCalls(filter, scope, METRICS_JOIN);
  const [r] = await db.query<TotalsRow>(
    `select count(*)::int as calls,
       count(*) filter (where c.status = 'ended')::int as ended,
       (avg(c.duration_ms) filter (where c.status = 'ended'))::double precision as aht_ms,
       sum((m.metrics -> 'nonTalk' ->> 'totalMs')::double precision) filter (where (m.metrics ->> 'horizonMs')::double precision > 0) as non_talk_ms,
       sum((m.metrics ->> 'horizonMs')::double precision) filter (where (m.metrics ->> 'horizonMs')::double precision > 0) as covered_ms,
       count(*) filter (where c.customer_number <> '')::int as with_number,
       count(*) filter (where c.customer_number <> '' and exists (
         select 1 from calls r where r.customer_number = c.customer_number
           and r.started_at > c.started_at and r.started_at <= c.started_at + interval '7 days'))::int as repeated
     ${s.fromWhere}`,
    s.where.params,
  );
  return {
    calls: r.calls, endedCalls: r.ended, ahtMs: r.aht_ms, nonTalkShare: r.covered_ms ? (r.non_talk_ms ?? 0) / r.covered_ms : null,
    callsWithNumber: r.with_number, repeatCalls: r.repeated, repeatCallRate: ratio(r.repeated, r.with_number),
  };
}

/** Calls per weekday (0 = Sunday) and hour of their start in the filter's time zone: `[weekday][hour]`. */
export async function volumeHeatmap(db: Queryable, filter: AnalyticsFilter, scope: CallScope): Promise<number[][]> {
  const s = selectCalls(filter, scope);
  const tz = s.tz();
  const rows = await db.query<{ weekday: number; hour: number; calls: number }>(
    `select extract(dow from c.started_at at time zone ${tz})::int as weekday, extract(hour from c.started_at at time zone ${tz})::int as hour,
       count(*)::int as calls
     ${s.fromWhere} group by 1, 2`,
    s.where.params,
  );
  const grid = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  for (const r of rows) grid[r.weekday][r.hour] = r.calls;
  return grid;
}

/** Per day (in the filter's time zone) with calls: their count and the mean of their mean customer sentiment. */
export async function dailyTrend(db: Queryable, filter: AnalyticsFilter, scope: CallScope): Promise<DayKpis[]> {
  const s = selectCalls(filter, scope, METRICS_JOIN);
  const tz = s.tz();
  const rows = await db.query<{ day: string; calls: number; sentiment: number | null; sentiment_calls: number }>(
    `select to_char(c.started_at at time zone ${tz}, 'YYYY-MM-DD') as day, count(*)::int as calls,
       avg((m.sentiment -> 'customer' ->> 'mean')::double precision) as sentiment,
       count((m.sentiment -> 'customer' ->> 'mean')::double precision)::int as sentiment_calls
     ${s.fromWhere} group by 1 order by 1`,
    s.where.params,
  );
  return rows.map((r) => ({ day: r.day, calls: r.calls, customerSentiment: r.sentiment, sentimentCalls: r.sentiment_calls }));
}

/** Survey results posted for the selected calls. */
export async function csatSummary(db: Queryable, filter: AnalyticsFilter, scope: CallScope): Promise<CsatSummary> {
  const s = selectCalls(filter, scope, 'join csat_responses r on r.call_id = c.id');
  const [r] = await db.query<{ responses: number; average: number | null }>(
    `select count(r.score)::int as responses, avg(r.score)::double precision as average
     ${s.fromWhere}`,
    s.where.params,
  );
  return { responses: r.responses, average: r.average };
}
