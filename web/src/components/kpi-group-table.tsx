import { For, Show } from 'solid-js';
import { formatDuration, formatNumber, formatPercent, t } from '../i18n';
import type { GroupKpis } from '../lib/analytics-types';

export type GroupRow = GroupKpis & { key: string; name: string; team?: string | null };

const none = () => t('common.none');

/** Calls, handle time, QA and CSAT per agent or per team. */
export function KpiGroupTable(props: { title: string; nameLabel: string; rows: readonly GroupRow[]; withTeam?: boolean; testId: string }) {
  return (
    <section class="card" aria-labelledby={`${props.testId}-title`}>
      <h2 id={`${props.testId}-title`}>{props.title}</h2>
      <Show when={props.rows.length > 0} fallback={<p class="muted">{t('analytics.empty')}</p>}>
        <div class="table-scroll">
          <table class="data" data-testid={props.testId}>
            <thead>
              <tr>
                <th scope="col">{props.nameLabel}</th>
                <Show when={props.withTeam}><th scope="col">{t('analytics.col.team')}</th></Show>
                <th scope="col">{t('analytics.col.calls')}</th>
                <th scope="col">{t('analytics.col.aht')}</th>
                <th scope="col">{t('analytics.col.evaluations')}</th>
                <th scope="col">{t('analytics.col.score')}</th>
                <th scope="col">{t('analytics.col.passRate')}</th>
                <th scope="col">{t('analytics.col.csat')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={props.rows}>
                {(r) => (
                  <tr data-key={r.key}>
                    <th scope="row" data-label={props.nameLabel}>{r.name}</th>
                    <Show when={props.withTeam}><td data-label={t('analytics.col.team')}>{r.team ?? none()}</td></Show>
                    <td class="num" data-label={t('analytics.col.calls')}>{formatNumber(r.calls)}</td>
                    <td class="num" data-label={t('analytics.col.aht')}>{r.ahtMs === null ? none() : formatDuration(r.ahtMs)}</td>
                    <td class="num" data-label={t('analytics.col.evaluations')}>{formatNumber(r.evaluations)}</td>
                    <td class="num" data-label={t('analytics.col.score')}>{r.avgScore === null ? none() : formatNumber(r.avgScore, { maximumFractionDigits: 1 })}</td>
                    <td class="num" data-label={t('analytics.col.passRate')}>{r.passRate === null ? none() : formatPercent(r.passRate)}</td>
                    <td class="num" data-label={t('analytics.col.csat')}>
                      {r.csat.average === null ? none() : `${formatNumber(r.csat.average, { maximumFractionDigits: 1 })} (${formatNumber(r.csat.responses)})`}
                    </td>
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
