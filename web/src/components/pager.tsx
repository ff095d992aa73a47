import { Show } from 'solid-js';
import { t } from '../i18n';

/** Previous / next over a limit-offset page, with "21–40 of 113". */
export function Pager(props: { total: number; limit: number; offset: number; onChange: (offset: number) => void }) {
  const from = () => (props.total === 0 ? 0 : props.offset + 1);
  const to = () => Math.min(props.offset + props.limit, props.total);
  return (
    <Show when={props.total > 0}>
      <nav class="pager" aria-label={t('pager.label')}>
        <button type="button" disabled={props.offset === 0} onClick={() => props.onChange(Math.max(0, props.offset - props.limit))}>
          {t('pager.previous')}
        </button>
        <span aria-live="polite" data-testid="pager-range">{t('pager.range', { from: from(), to: to(), total: props.total })}</span>
        <button type="button" disabled={to() >= props.total} onClick={() => props.onChange(props.offset + props.limit)}>
          {t('pager.next')}
        </button>
      </nav>
    </Show>
  );
}
