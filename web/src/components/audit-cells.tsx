import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import { formatDuration, t } from '../i18n';
import type { AuditEntry } from '../lib/types';

/** Actions with a label of their own (monitoring and notes); every other action shows its code only. */
export const LABELLED_ACTIONS = [
  'monitor.listen_started', 'monitor.listen_stopped', 'monitor.whisper_started', 'monitor.whisper_stopped',
  'monitor.barge_started', 'monitor.barge_stopped', 'call_note.created', 'call_note.deleted',
] as const;
type LabelledAction = (typeof LABELLED_ACTIONS)[number];
const isLabelled = (a: string): a is LabelledAction => (LABELLED_ACTIONS as readonly string[]).includes(a);

/** Further actions offered in the action filter's suggestions. */
export const OTHER_ACTIONS = [
  'auth.login', 'auth.login_failed', 'user.created', 'user.disabled', 'user.role_changed', 'team.created', 'team.supervisor_added',
  'team.supervisor_removed', 'agent.team_assigned', 'alert_rule.created', 'alert_rule.updated', 'alert_rule.deleted', 'tap_key.created',
  'tap_key.revoked', 'evaluation.reviewed', 'dispute.raised', 'scorecard.version_published',
] as const;

export function AuditAction(props: { action: string }) {
  return (
    <Show when={isLabelled(props.action) ? props.action : undefined} fallback={<code dir="ltr">{props.action}</code>}>
      {(a) => <><span>{t(`audit.action.${a()}`)}</span> <code class="muted small" dir="ltr">{a()}</code></>}
    </Show>
  );
}

/** The target: a link to the call for call entries, else its type and id. */
export function AuditTarget(props: { entry: AuditEntry }) {
  return (
    <Show when={props.entry.targetType === 'call' && props.entry.targetId} fallback={<span dir="ltr" class="mono small">{[props.entry.targetType, props.entry.targetId].filter(Boolean).join(' ')}</span>}>
      {(id) => <A href={`/calls/${id()}`} class="mono small" data-testid="audit-call-link" aria-label={t('audit.openCall', { id: id() })}>{id().slice(0, 8)}…</A>}
    </Show>
  );
}

/** How long a monitor stop lasted (`durationMs`), else nothing. */
export function auditDuration(entry: AuditEntry): string {
  const ms = entry.details.durationMs;
  return typeof ms === 'number' ? formatDuration(ms) : '';
}

/** The remaining details as `key: value` (the duration has its own column). */
export function auditDetails(entry: AuditEntry): string {
  return Object.entries(entry.details)
    .filter(([k]) => k !== 'durationMs')
    .map(([k, v]) => `${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join('; ')
    .slice(0, 300);
}
