import { CALL_JOINS, callFilterWhere, FINAL_EVALUATION, type CallScope } from '../store/index.js';
import type { AnalyticsFilter } from './types.js';

/** calls c (with agents a, teams t, queues q) matching the filter within the scope. */
export interface CallSelection {
  where: ReturnType<typeof callFilterWhere>;
  /** `from ${CALL_JOINS} ${joins} where …`. */
  fromWhere: string;
  /** The placeholder of the report's time zone (a parameter is added on first use: PostgreSQL refuses unused ones). */
  tz(): string;
}

/** A fresh selection (each query gets its own parameter list); `joins` adds tables joined to c. */
export function selectCalls(filter: AnalyticsFilter, scope: CallScope, joins = ''): CallSelection {
  const where = callFilterWhere({ team: filter.team, agent: filter.agent, queue: filter.queue, from: filter.from, to: filter.to }, scope);
  let tz: string | undefined;
  return { where, fromWhere: `from ${CALL_JOINS} ${joins} ${where.sql()}`, tz: () => (tz ??= `${where.param(filter.tz)}::text`) };
}

/**
 * The final evaluation per call and scorecard among the selected calls (`scoped` must be a CTE of them with
 * call_id, agent_id, team_id): the reviewed one when a review was submitted (its current result, with accepted
 * disputes), else the automatic one as scored. Calibration answers and unsubmitted reviews never count.
 */
export const FINAL_EVALUATIONS = `
  select distinct on (e.call_id, v.scorecard_id) e.id, e.call_id, v.scorecard_id, s.agent_id, s.team_id,
    (e.reviewed_at is not null) as reviewed,
    ${FINAL_EVALUATION.score} as score,
    ${FINAL_EVALUATION.passed} as passed
  from evaluations e
  join scorecard_versions v on v.id = e.scorecard_version_id
  join scoped s on s.call_id = e.call_id
  where ${FINAL_EVALUATION.counts}
  order by e.call_id, v.scorecard_id, ${FINAL_EVALUATION.order}`;
