/**
 * What the analytics report holds (GET /api/analytics). Calls are selected by start time in [from, to); days,
 * weekdays and hours are those of `tz`. Rates are fractions (0–1), durations milliseconds; null where nothing was measured.
 */
export interface AnalyticsFilter {
  from: Date;
  to: Date;
  /** IANA time zone for the heat map and the days of the trend (e.g. 'Asia/Tehran'). */
  tz: string;
  /** Id or name, like the call list's filters. */
  team?: string;
  /** Agent id or the platform's agent id. */
  agent?: string;
  queue?: string;
}

export interface QaSummary {
  /** Final evaluations with a score: per call and scorecard, the reviewed one when reviewed, else the automatic one. */
  evaluations: number;
  avgScore: number | null;
  /** Passed among the final evaluations that have a pass/fail result. */
  passRate: number | null;
}

export interface CsatSummary {
  responses: number;
  average: number | null;
}

export interface Totals {
  calls: number;
  endedCalls: number;
  /** Mean duration of ended calls. */
  ahtMs: number | null;
  /** Non-talk time / call time covered by the stored conversation metrics. */
  nonTalkShare: number | null;
  /** Calls with a customer number. */
  callsWithNumber: number;
  /** Of those, calls whose number called again within 7 days after (any agent or queue). */
  repeatCalls: number;
  repeatCallRate: number | null;
  qa: QaSummary;
  csat: CsatSummary;
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
  /** The question as the scorecard's latest version words it. */
  text: string;
  /** Final answers that are not empty ("yes", "no", "na" or a number). */
  answered: number;
  yes: number;
  no: number;
  na: number;
  /** yes / (yes + no); null when the question had no yes or no answer. */
  yesRate: number | null;
}

export interface DayKpis {
  /** YYYY-MM-DD in the report's time zone. */
  day: string;
  calls: number;
  /** Mean of the calls' mean customer sentiment (−1…1); null when no call that day has one. */
  customerSentiment: number | null;
  sentimentCalls: number;
}

export interface FilterOptions {
  teams: { id: string; name: string }[];
  agents: { id: string; externalId: string; name: string; teamId: string | null }[];
  queues: { id: string; name: string }[];
}

export interface AnalyticsReport {
  range: { from: string; to: string; tz: string };
  totals: Totals;
  /** Calls per weekday (0 = Sunday … 6 = Saturday) and hour (0–23) in `tz`: heatmap[weekday][hour]. */
  heatmap: number[][];
  daily: DayKpis[];
  agents: AgentKpis[];
  teams: TeamKpis[];
  questions: QuestionKpis[];
  /** The teams, agents and queues the viewer may filter by. */
  options: FilterOptions;
}
