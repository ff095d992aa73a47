import { Navigate, useNavigate, useSearchParams } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { LanguageSwitch } from '../components/language-switch';
import { t } from '../i18n';
import { ApiError } from '../lib/api';
import { usePageTitle } from '../lib/page-title';
import { login, user } from '../lib/session';
import { homeFor } from '../screens';

/** Only same-app paths are followed after sign-in (no open redirect). */
function safeNext(next: string | undefined): string | undefined {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : undefined;
}

export function LoginPage() {
  usePageTitle(() => t('login.title'));
  const [params] = useSearchParams<{ next?: string }>();
  const navigate = useNavigate();
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const u = await login(username(), password());
      navigate(safeNext(params.next) ?? homeFor(u.role), { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) setError(t('login.throttled'));
      else if (err instanceof ApiError && (err.status === 401 || err.status === 400)) setError(t('login.failed'));
      else setError(t('app.error', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Show when={!user()} fallback={<Navigate href={safeNext(params.next) ?? homeFor(user()?.role ?? 'agent')} />}>
      <main class="login">
        <form class="card login-card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
          <h1 id="login-title">{t('login.title')}</h1>
          <label class="field">
            <span>{t('login.username')}</span>
            <input name="username" autocomplete="username" required value={username()} onInput={(e) => setUsername(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>{t('login.password')}</span>
            <input name="password" type="password" autocomplete="current-password" required value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
          </label>
          <Show when={error()}>{(msg) => <p class="notice error" role="alert" data-testid="login-error">{msg()}</p>}</Show>
          <button type="submit" class="primary" disabled={busy()}>{busy() ? t('login.busy') : t('login.submit')}</button>
          <LanguageSwitch />
        </form>
      </main>
    </Show>
  );
}
