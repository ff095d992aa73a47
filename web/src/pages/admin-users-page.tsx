import { createResource, createSignal, For, Show } from 'solid-js';
import { DataTable } from '../components/data-table';
import { LoadError } from '../components/load-error';
import { formatDate, t } from '../i18n';
import { api } from '../lib/api';
import { usePageTitle } from '../lib/page-title';
import { user as me } from '../lib/session';
import { ROLES, type Role, type User } from '../lib/types';

/** Admin: every account with its role and state; create accounts, enable or disable them. */
export default function AdminUsersPage() {
  usePageTitle(() => t('admin.users.title'));
  const [users, { refetch, mutate }] = createResource(() => api.admin.users());
  const [error, setError] = createSignal<unknown>();
  const [created, setCreated] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);

  const create = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    setBusy(true);
    setError(undefined);
    setCreated(undefined);
    try {
      const u = await api.admin.createUser({
        username: String(data.get('username') ?? '').trim(),
        displayName: String(data.get('displayName') ?? '').trim(),
        role: String(data.get('role')) as Role,
        password: String(data.get('password') ?? ''),
      });
      form.reset();
      setCreated(u.username);
      await refetch();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const setDisabled = async (u: User, disabled: boolean) => {
    setError(undefined);
    try {
      const updated = await api.admin.updateUser(u.id, { disabled });
      mutate((list) => list && { items: list.items.map((x) => (x.id === updated.id ? updated : x)) });
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section class="page" data-testid="admin-users-page">
      <h1>{t('admin.users.title')}</h1>
      <form class="card form-grid" onSubmit={(e) => void create(e)} aria-labelledby="new-user-title">
        <h2 id="new-user-title">{t('admin.users.create')}</h2>
        <label class="field"><span>{t('admin.users.username')}</span><input name="username" required maxlength="64" autocomplete="off" /></label>
        <label class="field"><span>{t('admin.users.displayName')}</span><input name="displayName" required maxlength="200" autocomplete="off" /></label>
        <label class="field">
          <span>{t('admin.users.role')}</span>
          <select name="role" required>
            <For each={ROLES}>{(r) => <option value={r} selected={r === 'agent'}>{t(`role.${r}`)}</option>}</For>
          </select>
        </label>
        <label class="field"><span>{t('admin.users.password')}</span><input name="password" type="password" required autocomplete="new-password" /></label>
        <div class="actions"><button type="submit" class="primary" disabled={busy()}>{t('common.create')}</button></div>
      </form>
      <Show when={created()}>{(name) => <p class="notice ok" role="status">{t('admin.users.createdOk', { username: name() })}</p>}</Show>
      <Show when={error()}>{(err) => <LoadError error={err()} />}</Show>
      <Show when={users.error}>{(err) => <LoadError error={err()} retry={() => void refetch()} />}</Show>
      <Show when={users.error ? undefined : users()}>
        {(list) => (
          <DataTable
            testId="users-table"
            rows={list().items}
            rowAttrs={(u) => ({ 'data-username': u.username })}
            columns={[
              { label: t('admin.users.username'), cell: (u) => u.username, dir: 'ltr', class: 'start' },
              { label: t('admin.users.displayName'), cell: (u) => u.displayName },
              { label: t('admin.users.role'), cell: (u) => t(`role.${u.role}`) },
              {
                label: t('admin.users.status'),
                cell: (u) => <span class={`badge ${u.disabled ? 'off' : 'on'}`}>{u.disabled ? t('admin.users.disabled') : t('admin.users.enabled')}</span>,
              },
              { label: t('admin.users.created'), cell: (u) => formatDate(u.createdAt) },
              {
                label: t('admin.users.status'),
                labelHidden: true,
                cell: (u) => (
                  <Show when={u.id !== me()?.id}>
                    <button type="button" onClick={() => void setDisabled(u, !u.disabled)}>
                      {u.disabled ? t('admin.users.enable') : t('admin.users.disable')}
                    </button>
                  </Show>
                ),
              },
            ]}
          />
        )}
      </Show>
    </section>
  );
}
