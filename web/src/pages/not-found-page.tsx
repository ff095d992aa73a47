import { A } from '@solidjs/router';
import { t } from '../i18n';
import { usePageTitle } from '../lib/page-title';

export function NotFoundPage() {
  usePageTitle(() => t('app.notFound'));
  return (
    <section class="page">
      <h1>{t('app.notFound')}</h1>
      <A href="/">{t('app.backHome')}</A>
    </section>
  );
}
