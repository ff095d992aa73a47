import { For, type JSX } from 'solid-js';
import { formatDuration, formatNumber, formatPercent, t } from '../i18n';
import type { AnalyticsReport } from '../lib/analytics-types';

interface Tile { id: string; label: string; value: string; detail: string }

const none = () => t('common.none');
const percent = (v: number | null) => (v === null ? none() : formatPercent(v));

/** The headline figures of the report as tiles: calls, handle time, non-talk, QA score and pass rate, repeat calls, CSAT. */
export function AnalyticsKpis(props: { totals: AnalyticsReport['totals'] }): JSX.Element {
  const tiles = (): Tile[] => {
    const x = props.totals;
    return [
      { id: 'calls', label: t('analytics.kpi.calls'), value: formatNumber(x.calls), detail: t('analytics.kpi.endedCalls', { n: x.endedCalls }) },
      { id: 'aht', label: t('analytics.kpi.aht'), value: x.ahtMs === null ? none() : formatDuration(x.ahtMs), detail: t('analytics.kpi.ahtDetail') },
      { id: 'non-talk', label: t('analytics.kpi.nonTalk'), value: percent(x.nonTalkShare), detail: t('analytics.kpi.nonTalkDetail') },
      {
        id: 'score', label: t('analytics.kpi.score'), detail: t('analytics.kpi.evaluations', { n: x.qa.evaluations }),
        value: x.qa.avgScore === null ? none() : formatNumber(x.qa.avgScore, { maximumFractionDigits: 1 }),
      },
      { id: 'pass-rate', label: t('analytics.kpi.passRate'), value: percent(x.qa.passRate), detail: t('analytics.kpi.evaluations', { n: x.qa.evaluations }) },
      {
        id: 'repeat', label: t('analytics.kpi.repeat'), value: percent(x.repeatCallRate),
        detail: t('analytics.kpi.repeatDetail', { n: x.repeatCalls, total: x.callsWithNumber }),
      },
      {
        id: 'csat', label: t('analytics.kpi.csat'), detail: t('analytics.kpi.csatDetail', { n: x.csat.responses }),
        value: x.csat.average === null ? none() : t('analytics.kpi.csatValue', { value: formatNumber(x.csat.average, { maximumFractionDigits: 1 }) }),
      },
    ];
  };
  return (
    <section aria-labelledby="kpis-title">
      <h2 id="kpis-title" class="visually-hidden">{t('analytics.kpis')}</h2>
      <dl class="kpis">
        <For each={tiles()}>
          {(tile) => (
            <div class="kpi card" data-testid={`kpi-${tile.id}`}>
              <dt>{tile.label}</dt>
              <dd class="kpi-value num" data-testid={`kpi-${tile.id}-value`}>{tile.value}</dd>
              <dd class="kpi-detail small muted">{tile.detail}</dd>
            </div>
          )}
        </For>
      </dl>
    </section>
  );
}
