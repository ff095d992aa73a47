import type { CallScope, Queryable } from '../store/index.js';
import { FINAL_EVALUATIONS, selectCalls } from './call-selection.js';
import type { AnalyticsFilter, QuestionKpis } from './types.js';

interface Row {
  scorecard_id: string; scorecard_name: string; question_id: string; position: number; text: string | null;
  answered: number; yes: number; no: number; na: number;
}

/**
 * Per scorecard question, the final answers of the selected calls' final evaluations (the reviewed answer when the
 * evaluation was reviewed, else the automatic one) and the yes rate, in scorecard and question order.
 */
export async function questionKpis(db: Queryable, filter: AnalyticsFilter, scope: CallScope): Promise<QuestionKpis[]> {
  const s = selectCalls(filter, scope);
  const rows = await db.query<Row>(
    `with scoped as (select c.id as call_id, c.agent_id, a.team_id ${s.fromWhere}),
     final as (${FINAL_EVALUATIONS}),
     answers as (
       select f.scorecard_id, x.question_id, x.position,
         case when f.reviewed then coalesce(x.reviewed_value, x.auto_value) else x.auto_value end as value
       from final f join evaluation_answers x on x.evaluation_id = f.id)
     select ans.scorecard_id, sc.name as scorecard_name, ans.question_id, min(ans.position)::int as position,
       (select jsonb_path_query_first(v.definition, '$.sections[*].questions[*] ? (@.id == $q).text', jsonb_build_object('q', ans.question_id)) #>> '{}'
        from scorecard_versions v where v.scorecard_id = ans.scorecard_id order by v.version desc limit 1) as text,
       count(ans.value)::int as answered,
       count(*) filter (where ans.value = '"yes"'::jsonb)::int as yes,
       count(*) filter (where ans.value = '"no"'::jsonb)::int as no,
       count(*) filter (where ans.value = '"na"'::jsonb)::int as na
     from answers ans join scorecards sc on sc.id = ans.scorecard_id
     group by ans.scorecard_id, sc.name, ans.question_id
     order by sc.name, ans.scorecard_id, position, ans.question_id`,
    s.where.params,
  );
  return rows.map((r) => ({
    scorecardId: r.scorecard_id, scorecardName: r.scorecard_name, questionId: r.question_id, text: r.text ?? r.question_id,
    answered: r.answered, yes: r.yes, no: r.no, na: r.na, yesRate: r.yes + r.no ? r.yes / (r.yes + r.no) : null,
  }));
}
