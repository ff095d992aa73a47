import { A } from '@solidjs/router';
import { Show, type JSX } from 'solid-js';
import { t } from '../i18n';
import { hasRole, user } from '../lib/session';
import type { Role } from '../lib/types';

/** Renders the screen for the given roles; anyone else is told plainly that their role does not allow it. */
export function RoleGate(props: { roles: readonly Role[]; children: JSX.Element }) {
  return (
    <Show
      when={hasRole(props.roles)}
      fallback={
        <section class="page" data-testid="forbidden">
          <h1>{t('app.forbidden', { role: t(`role.${user()?.role ?? 'agent'}`) })}</h1>
          <A href="/">{t('app.backHome')}</A>
        </section>
      }
    >
      {props.children}
    </Show>
  );
}
