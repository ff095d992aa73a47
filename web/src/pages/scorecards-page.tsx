import { useSearchParams } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { LoadError } from '../components/load-error';
import { ScorecardEditor } from '../components/scorecard-editor';
import { formatDateTime, formatNumber, t } from '../i18n';
import { api } from '../lib/api';
import { usePageTitle } from '../lib/page-title';
import { hasRole } from '../lib/session';
import type { ScorecardVersionSummary } from '../lib/types';

const StatusBadge = (props: { status: ScorecardVersionSummary['status'] }) => (
  <span class={`badge ${props.status === 'published' ? 'on' : ''}`}>{t(`scorecards.status.${props.status}`)}</span>
);

/**
 * Scorecards (trainer, admin; read-only for QA and supervisors): every card with its newest and published version,
 * a card's version history, and the editor for a new draft with validation, preview and publish.
 */
export default function ScorecardsPage() {
  usePageTitle(() => t('scorecards.title'));
  const canEdit = () => hasRole(['trainer', 'admin']);
  const [params, setParams] = useSearchParams<{ card?: string; version?: string }>();
  const [cards, { refetch: refetchCards }] = createResource(() => api.scorecards.list());
  const [versions, { refetch: refetchVersions }] = createResource(() => params.card, (id) => api.scorecards.versions(id));
  const chosen = () => {
    const list = versions()?.items;
    if (!list?.length) return undefined;
    const n = Number(params.version);
    return list.find((v) => v.version === n)?.version ?? Math.max(...list.map((v) => v.version));
  };
  const [base, { mutate: setBase }] = createResource(
    () => (params.card && chosen() ? { id: params.card, n: chosen() as number } : undefined),
    ({ id, n }) => api.scorecards.version(id, n),
  );
  const latestDraft = () => {
    const list = versions()?.items ?? [];
    const newest = list.reduce<ScorecardVersionSummary | undefined>((a, v) => (!a || v.version > a.version ? v : a), undefined);
    return newest?.status === 'draft' ? newest.version : null;
  };
  const [announce, setAnnounce] = createSignal('');

  return (
    <section class="page" data-testid="scorecards-page">
      <h1>{t('scorecards.title')}</h1>
      <Show when={!canEdit()}><p class="hint">{t('scorecards.readOnly')}</p></Show>
      <Show when={cards.error}>{(err) => <LoadError error={err()} retry={() => void refetchCards()} />}</Show>
      <Show when={cards.error ? undefined : cards()}>
        {(list) => (
          <table class="data" data-testid="scorecards-table">
            <thead>
              <tr>
                <th scope="col">{t('scorecards.col.name')}</th>
                <th scope="col">{t('scorecards.col.latest')}</th>
                <th scope="col">{t('scorecards.col.published')}</th>
                <th scope="col"><span class="visually-hidden">{t('scorecards.open')}</span></th>
              </tr>
            </thead>
            <tbody>
              <For each={list().items}>
                {(c) => (
                  <tr data-card-id={c.id} classList={{ selected: params.card === c.id }}>
                    <td data-label={t('scorecards.col.name')}>{c.name} <span class="muted small mono" dir="ltr">{c.id}</span></td>
                    <td data-label={t('scorecards.col.latest')}>
                      <Show when={c.latest} fallback="—">{(v) => <>{t('scorecards.versionN', { n: formatNumber(v().version) })} <StatusBadge status={v().status} /></>}</Show>
                    </td>
                    <td data-label={t('scorecards.col.published')}>
                      <Show when={c.published} fallback="—">{(v) => <>{t('scorecards.versionN', { n: formatNumber(v().version) })} <span class="muted small">{v().publishedAt ? formatDateTime(v().publishedAt as string) : ''}</span></>}</Show>
                    </td>
                    <td>
                      <button type="button" onClick={() => setParams({ card: c.id, version: undefined })} aria-label={t('scorecards.openNamed', { name: c.name })}>
                        {t('scorecards.open')}
                      </button>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        )}
      </Show>

      <Show when={params.card}>
        <div class="sc-layout">
          <aside class="card sc-history" aria-labelledby="history-title">
            <h2 id="history-title">{t('scorecards.history')}</h2>
            <Show when={versions.error}>{(err) => <LoadError error={err()} retry={() => void refetchVersions()} />}</Show>
            <ol class="versions" data-testid="scorecard-versions">
              <For each={[...(versions()?.items ?? [])].sort((a, b) => b.version - a.version)}>
                {(v) => (
                  <li data-version={v.version} data-status={v.status}>
                    <button type="button" class="linkish" aria-current={chosen() === v.version ? 'true' : undefined}
                      onClick={() => setParams({ version: String(v.version) })}>{t('scorecards.versionN', { n: formatNumber(v.version) })}</button>
                    {' '}<StatusBadge status={v.status} />
                    <div class="muted small">{formatDateTime(v.publishedAt ?? v.createdAt)}{v.origin !== 'api' ? ` · ${v.origin}` : ''}</div>
                  </li>
                )}
              </For>
            </ol>
          </aside>
          <div class="sc-main">
            <Show when={base.error}>{(err) => <LoadError error={err()} />}</Show>
            <Show when={base.error ? undefined : base()}>
              {(b) => (
                <ScorecardEditor scorecardId={params.card as string} base={b()} draft={latestDraft()} canEdit={canEdit()}
                  onSaved={(v) => {
                    setBase(v);
                    setAnnounce(v.status);
                    setParams({ version: String(v.version) });
                    void refetchVersions();
                    void refetchCards();
                  }} />
              )}
            </Show>
          </div>
        </div>
      </Show>
      <span class="visually-hidden" aria-live="polite">{announce() ? t(`scorecards.status.${announce() === 'published' ? 'published' : 'draft'}`) : ''}</span>
    </section>
  );
}
