import { useSearchParams } from '@solidjs/router';
import { createResource, For, Show, Suspense } from 'solid-js';
import { AuditAction, AuditTarget, auditDetails, auditDuration, LABELLED_ACTIONS, OTHER_ACTIONS } from '../components/audit-cells';
import { DataTable } from '../components/data-table';
import { LoadError } from '../components/load-error';
import { Pager } from '../components/pager';
import { formatDateTime, t } from '../i18n';
import { api } from '../lib/api';
import { dayEnd, dayStart } from '../lib/dates';
import { usePageTitle } from '../lib/page-title';
import type { AuditQuery } from '../lib/types';

const LIMIT = 50;
type Params = { action?: string; actor?: string; targetType?: string; targetId?: string; from?: string; to?: string; offset?: string };

/**
 * Admin: the audit log, newest first — monitoring (who listened, whispered or barged into which call, when, for how
 * long) and every other audited change; filtered by action, who, target and date, the filters in the URL.
 */
export default function AdminAuditPage() {
  usePageTitle(() => t('audit.title'));
  const [params, setParams] = useSearchParams<Params>();
  const [users] = createResource(() => api.admin.users());
  const query = (): AuditQuery => ({
    action: params.action || undefined,
    actor: params.actor || undefined,
    targetType: params.targetType || undefined,
    targetId: params.targetId || undefined,
    from: dayStart(params.from),
    to: dayEnd(params.to),
    limit: LIMIT,
    offset: Math.max(0, Number(params.offset) || 0),
  });
  const [page, { refetch }] = createResource(query, (q) => api.admin.audit(q));

  const apply = (e: SubmitEvent) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const get = (k: string) => String(data.get(k) ?? '').trim() || undefined;
    setParams({ action: get('action'), actor: get('actor'), targetType: get('targetType'), targetId: get('targetId'), from: get('from'), to: get('to'), offset: undefined });
  };
  const clear = () => setParams({ action: undefined, actor: undefined, targetType: undefined, targetId: undefined, from: undefined, to: undefined, offset: undefined });

  return (
    <section class="page" data-testid="admin-audit-page">
      <h1>{t('audit.title')}</h1>
      <form class="filters" onSubmit={apply} aria-label={t('audit.filters')}>
        <label class="field">
          <span>{t('audit.action')}</span>
          <input name="action" list="audit-actions" dir="ltr" value={params.action ?? ''} aria-describedby="audit-action-hint" autocomplete="off" />
          <small id="audit-action-hint" class="hint">{t('audit.actionHint')}</small>
        </label>
        <datalist id="audit-actions">
          <For each={[...LABELLED_ACTIONS, ...OTHER_ACTIONS]}>{(a) => <option value={a} />}</For>
        </datalist>
        <label class="field">
          <span>{t('audit.actor')}</span>
          <select name="actor">
            <option value="">{t('audit.anyone')}</option>
            <For each={users()?.items ?? []}>{(u) => <option value={u.id} selected={u.id === params.actor}>{u.displayName} ({u.username})</option>}</For>
          </select>
        </label>
        <label class="field"><span>{t('audit.targetType')}</span><input name="targetType" dir="ltr" value={params.targetType ?? ''} autocomplete="off" /></label>
        <label class="field"><span>{t('audit.targetId')}</span><input name="targetId" dir="ltr" value={params.targetId ?? ''} autocomplete="off" /></label>
        <label class="field"><span>{t('common.from')}</span><input name="from" type="date" value={params.from ?? ''} /></label>
        <label class="field"><span>{t('common.to')}</span><input name="to" type="date" value={params.to ?? ''} /></label>
        <div class="actions">
          <button type="submit" class="primary">{t('common.apply')}</button>
          <button type="button" onClick={clear}>{t('common.clear')}</button>
        </div>
      </form>

      <Show when={page.error}>{(err) => <LoadError error={err()} retry={() => void refetch()} />}</Show>
      <Suspense fallback={<p class="muted">{t('app.loading')}</p>}>
        <Show when={page.error ? undefined : page()}>
          {(p) => (
            <>
              <DataTable
                testId="audit-table"
                rows={p().items}
                rowAttrs={(e) => ({ 'data-action': e.action, 'data-entry-id': String(e.id) })}
                empty={<p class="muted" data-testid="audit-empty">{t('audit.empty')}</p>}
                columns={[
                  { label: t('audit.col.at'), cell: (e) => formatDateTime(e.at, { dateStyle: 'medium', timeStyle: 'medium' }) },
                  { label: t('audit.col.actor'), cell: (e) => <span dir="ltr">{e.actorUsername ?? t('audit.system')}</span> },
                  { label: t('audit.col.action'), cell: (e) => <AuditAction action={e.action} /> },
                  { label: t('audit.col.target'), cell: (e) => <AuditTarget entry={e} /> },
                  { label: t('audit.col.duration'), cell: (e) => <span data-testid="audit-duration">{auditDuration(e)}</span>, class: 'num' },
                  { label: t('audit.col.details'), cell: (e) => <span class="mono small">{auditDetails(e)}</span>, dir: 'ltr', class: 'start' },
                ]}
              />
              <Pager total={p().total} limit={p().limit} offset={p().offset} onChange={(offset) => setParams({ offset: offset ? String(offset) : undefined })} />
            </>
          )}
        </Show>
      </Suspense>
    </section>
  );
}
