import { For, Show } from 'solid-js';
import { formatNumber, formatPercent, t } from '../i18n';
import type { QuestionKpis } from '../lib/analytics-types';

/** Per scorecard question: the final answers (yes, no, N/A) and the share of yes among yes and no. */
export function QuestionTable(props: { rows: readonly QuestionKpis[] }) {
  return (
    <section class="card" aria-labelledby="questions-title">
      <h2 id="questions-title">{t('analytics.questions.title')}</h2>
      <Show when={props.rows.length > 0} fallback={<p class="muted">{t('analytics.questions.none')}</p>}>
        <div class="table-scroll">
          <table class="data" data-testid="analytics-questions">
            <thead>
              <tr>
                <th scope="col">{t('analytics.col.scorecard')}</th>
                <th scope="col">{t('analytics.col.question')}</th>
                <th scope="col">{t('analytics.col.answered')}</th>
                <th scope="col">{t('analytics.col.yes')}</th>
                <th scope="col">{t('analytics.col.no')}</th>
                <th scope="col">{t('analytics.col.na')}</th>
                <th scope="col">{t('analytics.col.yesRate')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={props.rows}>
                {(q) => (
                  <tr data-question={q.questionId}>
                    <td data-label={t('analytics.col.scorecard')}>{q.scorecardName}</td>
                    <th scope="row" data-label={t('analytics.col.question')} dir="auto">{q.text}</th>
                    <td class="num" data-label={t('analytics.col.answered')}>{formatNumber(q.answered)}</td>
                    <td class="num" data-label={t('analytics.col.yes')}>{formatNumber(q.yes)}</td>
                    <td class="num" data-label={t('analytics.col.no')}>{formatNumber(q.no)}</td>
                    <td class="num" data-label={t('analytics.col.na')}>{formatNumber(q.na)}</td>
                    <td class="num" data-label={t('analytics.col.yesRate')}>{q.yesRate === null ? t('common.none') : formatPercent(q.yesRate)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  );
}
