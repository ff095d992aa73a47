import { createSignal } from 'solid-js';
import { t } from '../i18n';

/** A read-only value (a secret shown once) with a copy button. */
export function CopyField(props: { label: string; value: string; testId?: string }) {
  const [copied, setCopied] = createSignal(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.value);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // clipboard refused (not a secure context): the field is selectable
    }
  };
  return (
    <label class="field copy-field">
      <span>{props.label}</span>
      <span class="row">
        <input readonly value={props.value} dir="ltr" data-testid={props.testId} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={() => void copy()}>{copied() ? t('common.copied') : t('common.copy')}</button>
      </span>
    </label>
  );
}
