import { A, Navigate, useLocation, type RouteSectionProps } from '@solidjs/router';
import { createSignal, For, Match, onCleanup, onMount, Suspense, Switch } from 'solid-js';
import { t } from '../i18n';
import { onUnauthorized } from '../lib/api';
import { loadSession, logout, sessionExpired, user } from '../lib/session';
import { navFor } from '../screens';
import { LanguageSwitch } from './language-switch';
import { LoadError } from './load-error';

/** The frame around every screen: header with navigation for the user's role, language, sign-out. */
export function Shell(props: RouteSectionProps) {
  const location = useLocation();
  const [loadError, setLoadError] = createSignal<unknown>();
  const load = () => {
    setLoadError(undefined);
    loadSession().catch(setLoadError);
  };
  onMount(load);
  onCleanup(onUnauthorized(sessionExpired));
  const isLogin = () => location.pathname === '/login';
  const next = () => encodeURIComponent(location.pathname + location.search);

  return (
    <Switch>
      <Match when={isLogin()}>{props.children}</Match>
      <Match when={loadError()}>{(err) => <main class="page"><LoadError error={err()} retry={load} /></main>}</Match>
      <Match when={user() === null}><Navigate href={`/login?next=${next()}`} /></Match>
      <Match when={user()}>
        {(u) => (
          <div class="shell">
            <a class="skip-link" href="#main">{t('app.skipToContent')}</a>
            <header class="topbar">
              <A href="/" class="brand">{t('app.name')}</A>
              <nav aria-label={t('nav.label')} class="mainnav" data-testid="mainnav">
                <ul>
                  <For each={navFor(u().role)}>
                    {(s) => <li><A href={s.path} activeClass="active" end={false}>{t(s.nav.label)}</A></li>}
                  </For>
                </ul>
              </nav>
              <div class="userbox">
                <span class="who" data-testid="who" title={t('user.signedInAs', { name: u().displayName, role: t(`role.${u().role}`) })}>
                  {u().displayName} <span class="role-tag">{t(`role.${u().role}`)}</span>
                </span>
                <LanguageSwitch />
                <button type="button" data-testid="logout" onClick={() => void logout()}>{t('logout')}</button>
              </div>
            </header>
            <main id="main" tabindex="-1">
              <Suspense fallback={<p class="page muted">{t('app.loading')}</p>}>{props.children}</Suspense>
            </main>
          </div>
        )}
      </Match>
      <Match when={user() === undefined}><p class="page muted" aria-busy="true">{t('app.loading')}</p></Match>
    </Switch>
  );
}
