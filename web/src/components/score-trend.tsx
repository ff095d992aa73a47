import { For, Show } from 'solid-js';
import { formatDate, formatNumber, t } from '../i18n';
import type { Evaluation } from '../lib/types';

const W = 600;
const H = 120;
const PAD = 10;

/** Overall scores (0–100) in call order as a small line chart; time runs left to right in both languages. */
export function ScoreTrend(props: { evaluations: readonly Evaluation[] }) {
  const points = () => props.evaluations
    .filter((e) => e.overall !== null)
    .sort((a, b) => a.callStartedAt.localeCompare(b.callStartedAt))
    .map((e, i, all) => ({ e, x: all.length > 1 ? PAD + (i / (all.length - 1)) * (W - 2 * PAD) : W / 2, y: PAD + (1 - (e.overall ?? 0) / 100) * (H - 2 * PAD) }));
  const label = () => {
    const scores = points().map((p) => p.e.overall ?? 0);
    return t('feedback.trendLabel', { n: scores.length, min: formatNumber(Math.min(...scores)), max: formatNumber(Math.max(...scores)) });
  };
  return (
    <Show when={points().length > 0}>
      <section class="card" aria-labelledby="trend-title">
        <h2 id="trend-title">{t('feedback.trend')}</h2>
        <div dir="ltr">
          <svg viewBox={`0 0 ${W} ${H}`} class="trend-chart" role="img" aria-label={label()} preserveAspectRatio="none" data-testid="score-trend">
            <line x1={PAD} x2={W - PAD} y1={PAD + (H - 2 * PAD) / 2} y2={PAD + (H - 2 * PAD) / 2} class="threshold" />
            <polyline points={points().map((p) => `${p.x},${p.y}`).join(' ')} />
            <For each={points()}>{(p) => <circle cx={p.x} cy={p.y} r="4"><title>{formatDate(p.e.callStartedAt)}: {formatNumber(p.e.overall ?? 0)}</title></circle>}</For>
          </svg>
        </div>
        <p class="hint">{label()}</p>
      </section>
    </Show>
  );
}
