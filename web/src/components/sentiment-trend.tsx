import { For, Show } from 'solid-js';
import { formatDate, formatNumber, t } from '../i18n';
import type { DayKpis } from '../lib/analytics-types';

const W = 600;
const H = 140;
const PAD = 10;
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of an instant in an IANA zone. */
const dayIn = (iso: string, tz: string) => new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** Mean customer sentiment (−1…1) per day of the range as a line chart (inline SVG); days run left to right in both languages. */
export function SentimentTrend(props: { daily: readonly DayKpis[]; from: string; to: string; tz: string }) {
  const points = () => {
    const first = dayMs(dayIn(props.from, props.tz));
    const last = Math.max(first + DAY_MS, dayMs(dayIn(new Date(Date.parse(props.to) - 1).toISOString(), props.tz)));
    return props.daily.flatMap((d) => (d.customerSentiment === null ? [] : [{
      d, value: d.customerSentiment,
      x: PAD + ((dayMs(d.day) - first) / (last - first)) * (W - 2 * PAD),
      y: PAD + ((1 - d.customerSentiment) / 2) * (H - 2 * PAD),
    }]));
  };
  const value = (v: number) => formatNumber(v, { maximumFractionDigits: 2 });
  const label = () => {
    const values = points().map((p) => p.value);
    return t('analytics.trend.label', { n: values.length, min: value(Math.min(...values)), max: value(Math.max(...values)) });
  };
  const pointLabel = (d: DayKpis) => t('analytics.trend.point', { day: formatDate(`${d.day}T12:00:00Z`), value: value(d.customerSentiment ?? 0), n: d.sentimentCalls });
  return (
    <section class="card" aria-labelledby="trend-title">
      <h2 id="trend-title">{t('analytics.trend.title')}</h2>
      <Show when={points().length > 0} fallback={<p class="muted">{t('analytics.trend.none')}</p>}>
        <div dir="ltr">
          <svg viewBox={`0 0 ${W} ${H}`} class="trend-chart" role="img" aria-label={label()} preserveAspectRatio="none" data-testid="sentiment-trend">
            <line x1={PAD} x2={W - PAD} y1={H / 2} y2={H / 2} class="threshold" />
            <polyline points={points().map((p) => `${p.x},${p.y}`).join(' ')} />
            <For each={points()}>{(p) => <circle cx={p.x} cy={p.y} r="4"><title>{pointLabel(p.d)}</title></circle>}</For>
          </svg>
        </div>
        <p class="hint">{label()} · +1 {t('sentiment.positive')} · −1 {t('sentiment.negative')}</p>
      </Show>
    </section>
  );
}
