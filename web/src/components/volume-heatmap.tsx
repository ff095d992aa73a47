import { For } from 'solid-js';
import { formatNumber, lang, locale, t } from '../i18n';

const HOURS = Array.from({ length: 24 }, (_, h) => h);
/** Rows from the week's first day: Saturday in Persian, Monday in English (0 = Sunday, as the API counts). */
const weekOrder = () => (lang() === 'fa' ? [6, 0, 1, 2, 3, 4, 5] : [1, 2, 3, 4, 5, 6, 0]);
/** 7 January 2024 was a Sunday. */
const dayName = (weekday: number) => new Intl.DateTimeFormat(locale(), { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 7 + weekday)));
const twoDigits = (h: number) => formatNumber(h, { minimumIntegerDigits: 2, useGrouping: false });

/**
 * Calls per weekday and hour as a CSS grid: each cell's colour grows with its count (relative to the busiest cell) and
 * it carries the count as text and as its accessible name. Hours run left to right in both languages, like the charts.
 */
export function VolumeHeatmap(props: { heatmap: number[][]; tz: string }) {
  const max = () => Math.max(1, ...props.heatmap.flat());
  return (
    <section class="card" aria-labelledby="heatmap-title">
      <h2 id="heatmap-title">{t('analytics.heatmap.title')}</h2>
      <p class="hint">{t('analytics.heatmap.hint', { tz: props.tz })}</p>
      <div class="heatmap-scroll" dir="ltr">
        <div class="heatmap" role="table" aria-labelledby="heatmap-title" data-testid="heatmap">
          <div class="heat-row" role="row">
            <span class="heat-corner" role="columnheader">{t('analytics.heatmap.weekday')}</span>
            <For each={HOURS}>{(h) => <span class="heat-hour" role="columnheader">{twoDigits(h)}</span>}</For>
          </div>
          <For each={weekOrder()}>
            {(day) => (
              <div class="heat-row" role="row">
                <span class="heat-day" role="rowheader" dir="auto">{dayName(day)}</span>
                <For each={HOURS}>
                  {(hour) => {
                    const n = () => props.heatmap[day]?.[hour] ?? 0;
                    const label = () => t('analytics.heatmap.cell', { day: dayName(day), hour: twoDigits(hour), n: n() });
                    return (
                      <span
                        class="heat-cell num" classList={{ strong: n() / max() > 0.5 }} role="cell" aria-label={label()} title={label()}
                        data-weekday={day} data-hour={hour} data-count={n()} style={{ '--level': String(n() / max()) }}
                      >
                        {n() ? formatNumber(n()) : ''}
                      </span>
                    );
                  }}
                </For>
              </div>
            )}
          </For>
        </div>
      </div>
    </section>
  );
}
