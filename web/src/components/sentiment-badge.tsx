import { Show } from 'solid-js';
import { formatNumber, t } from '../i18n';
import type { SentimentLabel } from '../lib/types';

const SYMBOL: Record<SentimentLabel, string> = { negative: '▼', neutral: '●', positive: '▲' };

/** A customer-sentiment indicator: colour, a shape (not colour alone) and the label with the score. */
export function SentimentBadge(props: { sentiment: { score: number; label: SentimentLabel } | null }) {
  return (
    <Show when={props.sentiment} fallback={<span class="muted small">{t('sentiment.notYet')}</span>}>
      {(s) => (
        <span class={`sentiment-badge ${s().label}`} data-testid="sentiment-badge" data-label={s().label}>
          <span aria-hidden="true">{SYMBOL[s().label]}</span> {t(`sentiment.label.${s().label}`)}{' '}
          <span class="num">({formatNumber(s().score, { maximumFractionDigits: 2, signDisplay: 'exceptZero' })})</span>
        </span>
      )}
    </Show>
  );
}
