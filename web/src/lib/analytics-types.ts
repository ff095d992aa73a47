/** GET /api/analytics as the web app reads it (services/analytics/types.ts). Rates are fractions, durations ms. */
export interface AnalyticsQuery {
  from?: string;
  to?: string;
  tz?: string;
  team?: string;
  agent?: string;
  queue?: string;
}

export const ANALYTICS_TABLES = ['agents', 'teams', 'questions', 'heatmap', 'daily'] as const;
export type AnalyticsTable = (typeof ANALYTICS_TABLES)[number];

export interface QaSummary {
  evaluations: number;
  avgScore: number | null;
  passRate: number | null;
}

export interface CsatSummary {
  responses: number;
  average: number | null;
}

export interface GroupKpis extends QaSummary {
  calls: number;
  ahtMs: number | null;
  csat: CsatSummary;
}

export interface AgentKpis extends GroupKpis {
  agentId: string;
  externalId: string;
  name: string;
  teamId: string | null;
  teamName: string | null;
}

export interface TeamKpis extends GroupKpis {
  teamId: string;
  name: string;
}

export interface QuestionKpis {
  scorecardId: string;
  scorecardName: string;
  questionId: string;
  text: string;
  answered: number;
  yes: number;
  no: number;
  na: number;
  yesRate: number | null;
}

export interface DayKpis {
  day: string;
  calls: number;
  customerSentiment: number | null;
  sentimentCalls: number;
}

export interface AnalyticsReport {
  range: { from: string; to: string; tz: string };
  totals: {
    calls: number;
    endedCalls: number;
    ahtMs: number | null;
    nonTalkShare: number | null;
    callsWithNumber: number;
    repeatCalls: number;
    repeatCallRate: number | null;
    qa: QaSummary;
    csat: CsatSummary;
  };
  /** heatmap[weekday 0 = Sunday][hour]. */
  heatmap: number[][];
  daily: DayKpis[];
  agents: AgentKpis[];
  teams: TeamKpis[];
  questions: QuestionKpis[];
  options: {
    teams: { id: string; name: string }[];
    agents: { id: string; externalId: string; name: string; teamId: string | null }[];
    queues: { id: string; name: string }[];
  };
}

/** The CSV export's address for one table of the report (a plain link: the session cookie authenticates it). */
export function analyticsExportUrl(query: AnalyticsQuery, table: AnalyticsTable): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  params.set('table', table);
  return `/api/analytics/export.csv?${params.toString()}`;
}
