import { createResource, createSignal, Show } from 'solid-js';
import { ActionStatus } from '../components/action-status';
import { AlertRuleForm } from '../components/alert-rule-form';
import { DataTable } from '../components/data-table';
import { LoadError } from '../components/load-error';
import { formatDuration, t } from '../i18n';
import { createAction } from '../lib/action';
import { RULE_FIELDS } from '../lib/alert-rule-params';
import { api } from '../lib/api';
import { usePageTitle } from '../lib/page-title';
import type { AlertRule } from '../lib/types';

/** A rule's parameters in one line, in its form's order: `key: value` pairs, phrase lists shortened. */
function paramSummary(rule: AlertRule): string {
  const order = RULE_FIELDS[rule.kind].map((f): string => f.key);
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.entries(rule.params).sort(([a], [b]) => rank(a) - rank(b)).map(([k, v]) => {
    if (Array.isArray(v)) return `${k}: ${v.slice(0, 3).join(', ')}${v.length > 3 ? ` (+${v.length - 3})` : ''}`;
    return `${k}: ${String(v)}`;
  }).join('; ');
}

/** Admin: the real-time alert rules — list, create, edit (server-validated parameters), enable or disable, delete. */
export default function AdminAlertRulesPage() {
  usePageTitle(() => t('alertRules.title'));
  const [rules, { refetch }] = createResource(() => api.admin.alertRules());
  const [editing, setEditing] = createSignal<AlertRule>();
  // A fresh create form after each creation (its fields back at the kind's usual values).
  const [formKey, setFormKey] = createSignal(0);
  const action = createAction();

  const saved = async (rule: AlertRule, created: boolean) => {
    setEditing(undefined);
    if (created) setFormKey((n) => n + 1);
    await action.run(async () => {
      await refetch();
      return created ? t('alertRules.createdOk', { name: rule.name }) : t('alertRules.savedOk', { name: rule.name });
    });
  };

  const setEnabled = (rule: AlertRule, enabled: boolean) => action.run(async () => {
    const r = await api.admin.updateAlertRule(rule.id, { enabled });
    await refetch();
    return t('alertRules.savedOk', { name: r.name });
  });

  const remove = async (rule: AlertRule) => {
    if (!confirm(t('alertRules.confirmDelete', { name: rule.name }))) return;
    await action.run(async () => {
      await api.admin.deleteAlertRule(rule.id);
      if (editing()?.id === rule.id) setEditing(undefined);
      await refetch();
      return t('alertRules.deletedOk', { name: rule.name });
    });
  };

  return (
    <section class="page" data-testid="admin-alert-rules-page">
      <h1>{t('alertRules.title')}</h1>
      <p class="hint">{t('alertRules.hint')}</p>
      <Show
        when={editing()}
        keyed
        fallback={<Show when={formKey() + 1} keyed><AlertRuleForm onSaved={(r, c) => void saved(r, c)} /></Show>}
      >
        {(rule) => <AlertRuleForm rule={rule} onSaved={(r, c) => void saved(r, c)} onCancel={() => setEditing(undefined)} />}
      </Show>
      <ActionStatus action={action} testId="rules-status" />
      <Show when={rules.error}>{(err) => <LoadError error={err()} retry={() => void refetch()} />}</Show>
      <Show when={rules.error ? undefined : rules()}>
        {(list) => (
          <DataTable
            testId="rules-table"
            rows={list().items}
            rowAttrs={(r) => ({ 'data-rule': r.name })}
            empty={<p class="muted">{t('alertRules.empty')}</p>}
            columns={[
              { label: t('alertRules.name'), cell: (r) => r.name },
              { label: t('alertRules.kind'), cell: (r) => t(`alertRules.kind.${r.kind}`) },
              { label: t('alertRules.severity'), cell: (r) => <span class={`badge severity-${r.severity}`}>{t(`alerts.severity.${r.severity}`)}</span> },
              {
                label: t('alertRules.status'),
                cell: (r) => <span class={`badge ${r.enabled ? 'on' : 'off'}`} data-testid="rule-status">{r.enabled ? t('alertRules.on') : t('alertRules.off')}</span>,
              },
              { label: t('alertRules.params'), cell: (r) => <span class="mono small" data-testid="rule-params-summary">{paramSummary(r)}</span>, dir: 'ltr', class: 'start' },
              {
                label: t('alertRules.cooldown'),
                cell: (r) => (r.cooldownMs === null ? t('alertRules.once') : t('alertRules.again', { time: formatDuration(r.cooldownMs) })),
              },
              {
                label: t('common.edit'),
                labelHidden: true,
                cell: (r) => (
                  <div class="row">
                    <button type="button" aria-label={t('alertRules.editNamed', { name: r.name })} onClick={() => setEditing(r)}>{t('common.edit')}</button>
                    <button type="button" aria-label={t(r.enabled ? 'alertRules.disableNamed' : 'alertRules.enableNamed', { name: r.name })}
                      disabled={action.busy()} onClick={() => void setEnabled(r, !r.enabled)}>
                      {r.enabled ? t('alertRules.disable') : t('alertRules.enable')}
                    </button>
                    <button type="button" class="danger" aria-label={t('alertRules.deleteNamed', { name: r.name })} disabled={action.busy()} onClick={() => void remove(r)}>
                      {t('common.delete')}
                    </button>
                  </div>
                ),
              },
            ]}
          />
        )}
      </Show>
    </section>
  );
}
