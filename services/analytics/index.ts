export { analyticsReport, canonicalTimeZone } from './report.js';
export { toCsv, type CsvValue } from './csv.js';
export { CSV_TABLES, csvTable, type CsvTable } from './csv-tables.js';
export type {
  AgentKpis, AnalyticsFilter, AnalyticsReport, CsatSummary, DayKpis, FilterOptions, GroupKpis, QaSummary, QuestionKpis, TeamKpis, Totals,
} from './types.js';
