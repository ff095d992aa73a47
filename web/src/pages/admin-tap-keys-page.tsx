import { createResource, createSignal, For, Show } from 'solid-js';
import { CopyField } from '../components/copy-field';
import { DataTable } from '../components/data-table';
import { LoadError } from '../components/load-error';
import { t } from '../i18n';
import { api } from '../lib/api';
import { usePageTitle } from '../lib/page-title';
import { TAP_PROTOCOLS, type CreatedTapKey, type TapKey, type TapProtocol } from '../lib/types';

/** Admin: API keys of the media taps. A new key's secret is shown once; revoking is confirmed. */
export default function AdminTapKeysPage() {
  usePageTitle(() => t('admin.tapKeys.title'));
  const [keys, { refetch }] = createResource(() => api.admin.tapKeys());
  const [fresh, setFresh] = createSignal<CreatedTapKey>();
  const [error, setError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);

  const create = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const protocols = TAP_PROTOCOLS.filter((p) => data.get(`protocol-${p}`) === 'on');
    setBusy(true);
    setError(undefined);
    try {
      const k = await api.admin.createTapKey({
        name: String(data.get('name') ?? '').trim(),
        protocols: protocols.length ? protocols : undefined,
        clientSecret: data.get('signatures') === 'on' ? true : undefined,
      });
      form.reset();
      setFresh(k);
      await refetch();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (k: TapKey) => {
    if (!confirm(t('admin.tapKeys.confirmRevoke', { name: k.name }))) return;
    setError(undefined);
    try {
      await api.admin.revokeTapKey(k.id);
      await refetch();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section class="page" data-testid="admin-tap-keys-page">
      <h1>{t('admin.tapKeys.title')}</h1>
      <form class="card form-grid" onSubmit={(e) => void create(e)} aria-labelledby="new-key-title">
        <h2 id="new-key-title">{t('admin.tapKeys.create')}</h2>
        <label class="field"><span>{t('admin.tapKeys.name')}</span><input name="name" required maxlength="100" autocomplete="off" /></label>
        <fieldset class="field">
          <legend>{t('admin.tapKeys.protocols')}</legend>
          <For each={TAP_PROTOCOLS}>
            {(p: TapProtocol) => <label class="check"><input type="checkbox" name={`protocol-${p}`} checked /><span>{p}</span></label>}
          </For>
        </fieldset>
        <label class="check"><input type="checkbox" name="signatures" /><span>{t('admin.tapKeys.signaturesRequired')}</span></label>
        <div class="actions"><button type="submit" class="primary" disabled={busy()}>{t('common.create')}</button></div>
      </form>

      <Show when={fresh()}>
        {(k) => (
          <div class="card secret" role="status" data-testid="tap-key-secret">
            <p><strong>{t('admin.tapKeys.secretOnce')}</strong></p>
            <CopyField label={t('admin.tapKeys.apiKey')} value={k().apiKey} testId="tap-key-api-key" />
            <Show when={k().clientSecret}>{(s) => <CopyField label={t('admin.tapKeys.clientSecret')} value={s()} />}</Show>
            <button type="button" onClick={() => setFresh(undefined)}>{t('admin.tapKeys.dismiss')}</button>
          </div>
        )}
      </Show>
      <Show when={error()}>{(err) => <LoadError error={err()} />}</Show>
      <Show when={keys.error}>{(err) => <LoadError error={err()} retry={() => void refetch()} />}</Show>
      <Show when={keys.error ? undefined : keys()}>
        {(list) => (
          <DataTable
            testId="tap-keys-table"
            rows={list().items}
            rowAttrs={(k) => ({ 'data-key-name': k.name })}
            columns={[
              { label: t('admin.tapKeys.name'), cell: (k) => k.name },
              { label: t('admin.tapKeys.prefix'), cell: (k) => `${k.keyPrefix}…`, dir: 'ltr', class: 'start mono' },
              { label: t('admin.tapKeys.protocols'), cell: (k) => k.protocols.join(', ') },
              { label: t('admin.tapKeys.signatures'), cell: (k) => (k.signaturesRequired ? t('common.yes') : t('common.no')) },
              {
                label: t('admin.tapKeys.status'),
                cell: (k) => <span class={`badge ${k.revoked ? 'off' : 'on'}`}>{k.revoked ? t('admin.tapKeys.revoked') : t('admin.tapKeys.active')}</span>,
              },
              {
                label: t('admin.tapKeys.revoke'),
                labelHidden: true,
                cell: (k) => (
                  <Show when={!k.revoked}>
                    <button type="button" class="danger" onClick={() => void revoke(k)}>{t('admin.tapKeys.revoke')}</button>
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
