import type { CallScope, Queryable } from '../store/index.js';
import { dailyTrend, volumeHeatmap } from './call-kpis.js';
import type { CsvValue } from './csv.js';
import { agentKpis, teamKpis } from './group-kpis.js';
import { questionKpis } from './question-kpis.js';
import type { AnalyticsFilter, GroupKpis } from './types.js';

export const CSV_TABLES = ['agents', 'teams', 'questions', 'heatmap', 'daily'] as const;
export type CsvTable = (typeof CSV_TABLES)[number];

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const round = (v: number | null, digits: number) => (v === null ? null : Number(v.toFixed(digits)));
const seconds = (ms: number | null) => round(ms === null ? null : ms / 1000, 1);

const GROUP_HEADER = ['calls', 'aht_seconds', 'evaluations', 'avg_score', 'pass_rate', 'csat_responses', 'csat_average'];
const groupCells = (g: GroupKpis): CsvValue[] => [
  g.calls, seconds(g.ahtMs), g.evaluations, round(g.avgScore, 2), round(g.passRate, 4), g.csat.responses, round(g.csat.average, 2),
];

/** One table of the report (only its query runs) as a CSV header and rows: rates as fractions, handle time in seconds. */
export async function csvTable(db: Queryable, table: CsvTable, filter: AnalyticsFilter, scope: CallScope): Promise<{ header: string[]; rows: CsvValue[][] }> {
  switch (table) {
    case 'agents':
      return {
        header: ['agent_id', 'agent', 'team', ...GROUP_HEADER],
        rows: (await agentKpis(db, filter, scope)).map((a) => [a.externalId, a.name, a.teamName, ...groupCells(a)]),
      };
    case 'teams':
      return { header: ['team', ...GROUP_HEADER], rows: (await teamKpis(db, filter, scope)).map((t) => [t.name, ...groupCells(t)]) };
    case 'questions':
      return {
        header: ['scorecard', 'question_id', 'question', 'answered', 'yes', 'no', 'na', 'yes_rate'],
        rows: (await questionKpis(db, filter, scope)).map((q) => [q.scorecardName, q.questionId, q.text, q.answered, q.yes, q.no, q.na, round(q.yesRate, 4)]),
      };
    case 'heatmap':
      return {
        header: ['weekday', ...Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'))],
        rows: (await volumeHeatmap(db, filter, scope)).map((hours, day) => [WEEKDAYS[day], ...hours]),
      };
    case 'daily':
      return {
        header: ['day', 'calls', 'customer_sentiment', 'sentiment_calls'],
        rows: (await dailyTrend(db, filter, scope)).map((d) => [d.day, d.calls, round(d.customerSentiment, 4), d.sentimentCalls]),
      };
  }
}
