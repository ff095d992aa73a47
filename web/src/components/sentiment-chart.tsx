import { For, Show } from 'solid-js';
import { formatNumber, t } from '../i18n';
import { CHANNELS, type CallMetrics, type Channel } from '../lib/types';

const W = 600;
const H = 160;
const PAD = 8;

/**
 * Sentiment per speaker over the call (inline SVG: each final segment's score in [-1, 1] at its midpoint), with
 * the playhead; clicking the chart plays from that moment. Time runs left to right in both languages.
 */
export function SentimentChart(props: { sentiment: CallMetrics['sentiment']; durationMs: number; timeMs: number; onSeek: (ms: number) => void }) {
  const x = (ms: number) => PAD + (props.durationMs > 0 ? (ms / props.durationMs) * (W - 2 * PAD) : 0);
  const y = (score: number) => PAD + ((1 - score) / 2) * (H - 2 * PAD);
  const points = (speaker: Channel) => props.sentiment?.speakers[speaker].timeline.map((p) => ({ x: x((p.startMs + p.endMs) / 2), y: y(p.score) })) ?? [];
  const summary = () => {
    const c = props.sentiment?.customer;
    return c ? t('sentiment.summary', { mean: c.mean === null ? t('common.none') : formatNumber(c.mean, { maximumFractionDigits: 2 }), trend: t(`sentiment.trend.${c.trend}`) }) : '';
  };
  const onClick = (e: MouseEvent) => {
    const svg = e.currentTarget as SVGSVGElement;
    const r = svg.getBoundingClientRect();
    const fx = ((e.clientX - r.left) / r.width) * W;
    props.onSeek(Math.max(0, ((fx - PAD) / (W - 2 * PAD)) * props.durationMs));
  };

  return (
    <section class="card sentiment" aria-labelledby="sentiment-title">
      <h2 id="sentiment-title">{t('sentiment.title')}</h2>
      <Show when={props.sentiment && props.durationMs > 0} fallback={<p class="muted">{t('sentiment.none')}</p>}>
        <p class="small" data-testid="sentiment-summary">{summary()}</p>
        <div dir="ltr" class="chart-wrap">
          <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary()} onClick={onClick} class="chart" preserveAspectRatio="none">
            <line x1={PAD} x2={W - PAD} y1={y(0)} y2={y(0)} class="axis" />
            <For each={CHANNELS}>
              {(s) => (
                <g class={`series ${s}`}>
                  <polyline points={points(s).map((p) => `${p.x},${p.y}`).join(' ')} fill="none" />
                  <For each={points(s)}>{(p) => <circle cx={p.x} cy={p.y} r="3" />}</For>
                </g>
              )}
            </For>
            <line x1={x(props.timeMs)} x2={x(props.timeMs)} y1={0} y2={H} class="playhead" />
          </svg>
        </div>
        <div class="legend small">
          <span class="key agent">{t('speaker.agent')}</span>
          <span class="key customer">{t('speaker.customer')}</span>
          <span class="muted">+1 {t('sentiment.positive')} · −1 {t('sentiment.negative')}</span>
        </div>
      </Show>
    </section>
  );
}
