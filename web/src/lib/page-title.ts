import { createEffect } from 'solid-js';
import { t } from '../i18n';

/** Keeps document.title as "<page> · Callsight" in the current language. */
export function usePageTitle(title: () => string): void {
  createEffect(() => {
    document.title = `${title()} · ${t('app.name')}`;
  });
}
