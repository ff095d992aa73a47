import { DEFAULT_LEXICON_SCORING, normalizePersian, type SentimentLabel } from '../speech/index.js';
import type { Where } from './rows.js';

/**
 * What the calls list shows and filters by beyond the call itself, as SQL over the call `c` (see CALL_JOINS):
 * its QA score, its customer's mean sentiment, its alerts, and whether its transcript matches a search.
 */

export type AlertPresence = 'any' | 'open' | 'none';
export const ALERT_PRESENCES: readonly AlertPresence[] = ['any', 'open', 'none'];
export const SENTIMENT_LABELS: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];

/**
 * Which evaluation of a call and scorecard is the final one, as SQL over evaluations `e` (and scorecard_versions `v`):
 * the submitted review if any, else the automatic one as scored; calibration answers and unsubmitted reviews never
 * count. The calls list and the analytics both use it.
 */
export const FINAL_EVALUATION = {
  /** Evaluations that can be a final one: automatic ones, and reviews once submitted. */
  counts: `(e.kind = 'auto' or (e.kind = 'review' and e.reviewed_at is not null))`,
  /** Their score: the reviewed one when reviewed (with accepted disputes), else the automatic result. */
  score: `case when e.reviewed_at is not null then e.overall else (e.auto_result ->> 'overall')::double precision end`,
  passed: `case when e.reviewed_at is not null then e.passed else (e.auto_result ->> 'passed')::boolean end`,
  /** `distinct on (…, v.scorecard_id)` order after the call and scorecard: reviewed first, then the newest. */
  order: 'e.reviewed_at desc nulls last, e.created_at desc, e.id',
};

/**
 * The call's QA score: the lowest final score among its scorecards. Per scorecard the final evaluation is the
 * submitted review if any, else the automatic one as scored; calibration answers and unsubmitted reviews never
 * count (FINAL_EVALUATION). Null without any.
 */
export const CALL_SCORE = `(
  select min(f.score) from (
    select distinct on (v.scorecard_id) ${FINAL_EVALUATION.score} as score
    from evaluations e
    join scorecard_versions v on v.id = e.scorecard_version_id
    where e.call_id = c.id and ${FINAL_EVALUATION.counts}
    order by v.scorecard_id, ${FINAL_EVALUATION.order}) f)`;

/** The mean sentiment of the customer's segments (call_metrics), null when not summarised yet or without any. */
export const CUSTOMER_SENTIMENT = `(
  select (m.sentiment -> 'customer' ->> 'mean')::double precision from call_metrics m where m.call_id = c.id)`;

/** Alert counts of the call as columns `alerts` and `open_alerts` (not acknowledged): join it laterally. */
export const ALERT_COUNTS = `(
  select count(*)::int as alerts, (count(*) filter (where al.acknowledged_at is null))::int as open_alerts
  from alerts al where al.call_id = c.id)`;

/** The label of a mean sentiment, with the segments' threshold (|score| ≥ labelThreshold is positive or negative). */
export function sentimentLabel(mean: number): SentimentLabel {
  const threshold = DEFAULT_LEXICON_SCORING.labelThreshold;
  return mean >= threshold ? 'positive' : mean <= -threshold ? 'negative' : 'neutral';
}

/** Calls whose customer's mean sentiment has `label` (calls without one never match). */
export function sentimentCondition(w: Where, label: SentimentLabel): string {
  const threshold = w.param(DEFAULT_LEXICON_SCORING.labelThreshold);
  switch (label) {
    case 'positive':
      return `${CUSTOMER_SENTIMENT} >= ${threshold}::double precision`;
    case 'negative':
      return `${CUSTOMER_SENTIMENT} <= -${threshold}::double precision`;
    case 'neutral':
      return `abs(${CUSTOMER_SENTIMENT}) < ${threshold}::double precision`;
  }
}

export function alertsCondition(presence: AlertPresence): string {
  switch (presence) {
    case 'any':
      return 'exists (select 1 from alerts al where al.call_id = c.id)';
    case 'open':
      return 'exists (select 1 from alerts al where al.call_id = c.id and al.acknowledged_at is null)';
    case 'none':
      return 'not exists (select 1 from alerts al where al.call_id = c.id)';
  }
}

/**
 * Calls with at least one transcript segment matching `q` (web-search syntax, exact words or English stems,
 * Persian spelling folded), as the transcript search matches them.
 */
export function transcriptMatchCondition(w: Where, q: string): string {
  const text = w.param(normalizePersian(q));
  return `exists (select 1 from transcript_segments s where s.call_id = c.id
    and s.tsv @@ (websearch_to_tsquery('simple', ${text}) || websearch_to_tsquery('english', ${text})))`;
}
