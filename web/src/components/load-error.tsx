import { t } from '../i18n';

/** A failed load, said plainly, with a retry. */
export function LoadError(props: { error: unknown; retry?: () => void }) {
  const message = () => (props.error instanceof Error ? props.error.message : String(props.error));
  return (
    <div class="notice error" role="alert">
      <p>{t('app.error', { message: message() })}</p>
      {props.retry && <button type="button" onClick={() => props.retry?.()}>{t('app.retry')}</button>}
    </div>
  );
}
