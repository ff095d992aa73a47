import { useSearchParams } from '@solidjs/router';
import { createResource, For, Show, Suspense } from 'solid-js';
import { AnalyticsFilters, type AnalyticsParams } from '../components/analytics-filters';
import { AnalyticsKpis } from '../components/analytics-kpis';
import { KpiGroupTable } from '../components/kpi-group-table';
import { LoadError } from '../components/load-error';
import { QuestionTable } from '../components/question-table';
import { SentimentTrend } from '../components/sentiment-trend';
import { VolumeHeatmap } from '../components/volume-heatmap';
import { formatDate, t } from '../i18n';
import { ANALYTICS_TABLES, analyticsExportUrl, type AnalyticsQuery } from '../lib/analytics-types';
import { api } from '../lib/api';
import { dayEnd, dayStart } from '../lib/dates';
import { usePageTitle } from '../lib/page-title';

type Params = { from?: string; to?: string; tz?: string; team?: string; agent?: string; queue?: string };

const DEFAULT_DAYS = 30;
const localDay = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const daysAgo = (n: number) => {
  const d = new Date();
  d.setDate(d.getDate() - n);
  return localDay(d);
};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * Analytics for admins, QA, trainers and supervisors (their teams): KPI tiles, call volume by weekday and hour,
 * customer sentiment per day, tables by agent, team and question, CSV exports. Filters live in the URL; the default
 * range is the last 30 days in the browser's time zone.
 */
export default function AnalyticsPage() {
  usePageTitle(() => t('analytics.title'));
  const [params, setParams] = useSearchParams<Params>();
  const current = (): AnalyticsParams => ({
    from: params.from || daysAgo(DEFAULT_DAYS - 1), to: params.to || localDay(new Date()), tz: params.tz || browserZone(),
    team: params.team || undefined, agent: params.agent || undefined, queue: params.queue || undefined,
  });
  const query = (): AnalyticsQuery => {
    const p = current();
    return { from: dayStart(p.from), to: dayEnd(p.to), tz: p.tz, team: p.team, agent: p.agent, queue: p.queue };
  };
  const [report, { refetch }] = createResource(query, (q) => api.analytics(q));
  const apply = (p: AnalyticsParams) => setParams({ ...p });

  return (
    <section class="page analytics" data-testid="analytics-page">
      <h1>{t('analytics.title')}</h1>
      <AnalyticsFilters value={current()} options={report.latest?.options} onApply={apply} />
      <Show when={report.error}>{(err) => <LoadError error={err()} retry={() => void refetch()} />}</Show>
      <Suspense fallback={<p class="muted">{t('app.loading')}</p>}>
        <Show when={report.error ? undefined : report()}>
          {(r) => (
            <div class="analytics-body">
              <p class="muted" data-testid="analytics-summary">
                {t('analytics.summary', {
                  calls: r().totals.calls, from: formatDate(r().range.from), to: formatDate(new Date(Date.parse(r().range.to) - 1)), tz: r().range.tz,
                })}
              </p>
              <AnalyticsKpis totals={r().totals} />
              <div class="analytics-charts">
                <VolumeHeatmap heatmap={r().heatmap} tz={r().range.tz} />
                <SentimentTrend daily={r().daily} from={r().range.from} to={r().range.to} tz={r().range.tz} />
              </div>
              <KpiGroupTable
                title={t('analytics.agents.title')} nameLabel={t('analytics.col.agent')} withTeam testId="analytics-agents"
                rows={r().agents.map((a) => ({ ...a, key: a.agentId, team: a.teamName }))}
              />
              <KpiGroupTable
                title={t('analytics.teams.title')} nameLabel={t('analytics.col.team')} testId="analytics-teams"
                rows={r().teams.map((x) => ({ ...x, key: x.teamId }))}
              />
              <QuestionTable rows={r().questions} />
              <nav class="card export-links" aria-labelledby="export-title">
                <h2 id="export-title">{t('analytics.export.title')}</h2>
                <ul>
                  <For each={ANALYTICS_TABLES}>
                    {(table) => <li><a href={analyticsExportUrl(query(), table)} download="" data-testid={`export-${table}`}>{t(`analytics.export.${table}`)}</a></li>}
                  </For>
                </ul>
              </nav>
            </div>
          )}
        </Show>
      </Suspense>
    </section>
  );
}
