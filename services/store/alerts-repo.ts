import { CALL_JOINS, callFilterWhere } from './calls-repo.js';
import { isUuid, toNumber, type Page, type PageRequest, type Queryable } from './rows.js';
import type { CallScope } from './scope.js';

export type AlertSeverity = 'info' | 'warning' | 'critical';
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['info', 'warning', 'critical'];

/** What a configurable rule watches (the parameters of each are validated by services/live/alerts). */
export type AlertRuleKind = 'negative-sentiment' | 'prohibited-phrase' | 'escalation-phrase' | 'long-hold' | 'handle-time' | 'agitation';
export const ALERT_RULE_KINDS: readonly AlertRuleKind[] = [
  'negative-sentiment', 'prohibited-phrase', 'escalation-phrase', 'long-hold', 'handle-time', 'agitation',
];

export interface AlertRule {
  id: string;
  name: string;
  kind: AlertRuleKind;
  severity: AlertSeverity;
  enabled: boolean;
  params: Record<string, unknown>;
  /** Null: at most once per call; otherwise the rule may fire again on the same call after this long. */
  cooldownMs: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewAlertRule = Pick<AlertRule, 'name' | 'kind' | 'severity' | 'params'> & Partial<Pick<AlertRule, 'enabled' | 'cooldownMs'>>;
export type AlertRulePatch = Partial<Pick<AlertRule, 'name' | 'severity' | 'enabled' | 'params' | 'cooldownMs'>>;

/** Where in the call an alert comes from (as far as it applies to its kind). */
export interface AlertEvidence {
  /** Call time (ms from its start) when the alert was raised. */
  atMs?: number;
  utteranceId?: string;
  speaker?: 'agent' | 'customer';
  startMs?: number;
  endMs?: number;
  text?: string;
  phrase?: string;
  value?: number;
  threshold?: number;
  [key: string]: unknown;
}

export interface Alert {
  id: string;
  callId: string;
  ruleId: string | null;
  kind: string;
  severity: AlertSeverity;
  message: string;
  evidence: AlertEvidence;
  raisedAt: Date;
  acknowledgedBy: { id: string; username: string } | null;
  acknowledgedAt: Date | null;
  /** The call's agent, for lists. */
  agent: { externalId: string; displayName: string } | null;
}

export interface NewAlert {
  callId: string;
  ruleId: string | null;
  kind: string;
  severity: AlertSeverity;
  message: string;
  evidence: AlertEvidence;
  raisedAt?: Date;
}

export interface AlertFilter {
  callId?: string;
  /** true: not acknowledged yet; false: acknowledged. */
  open?: boolean;
  severity?: AlertSeverity;
  from?: Date;
  to?: Date;
}

interface RuleRow {
  id: string; name: string; kind: AlertRuleKind; severity: AlertSeverity; enabled: boolean; params: Record<string, unknown>;
  cooldown_ms: number | null; created_at: Date; updated_at: Date;
}
const toRule = (r: RuleRow): AlertRule => ({
  id: r.id, name: r.name, kind: r.kind, severity: r.severity, enabled: r.enabled, params: r.params,
  cooldownMs: r.cooldown_ms, createdAt: r.created_at, updatedAt: r.updated_at,
});

interface AlertRow {
  id: string; call_id: string; rule_id: string | null; kind: string; severity: AlertSeverity; message: string; evidence: AlertEvidence;
  raised_at: Date; acknowledged_by: string | null; acknowledged_by_username: string | null; acknowledged_at: Date | null;
  agent_external_id: string | null; agent_display_name: string | null;
}
const toAlert = (r: AlertRow): Alert => ({
  id: r.id, callId: r.call_id, ruleId: r.rule_id, kind: r.kind, severity: r.severity, message: r.message, evidence: r.evidence,
  raisedAt: r.raised_at,
  acknowledgedBy: r.acknowledged_by ? { id: r.acknowledged_by, username: r.acknowledged_by_username ?? '' } : null,
  acknowledgedAt: r.acknowledged_at,
  agent: r.agent_external_id ? { externalId: r.agent_external_id, displayName: r.agent_display_name ?? '' } : null,
});

const RULE_SELECT = 'select id, name, kind, severity, enabled, params, cooldown_ms, created_at, updated_at from alert_rules';
/** Alerts x of calls c (with CALL_JOINS' aliases, for scope) and the acknowledging user k. */
const ALERT_FROM = `from ${CALL_JOINS} join alerts x on x.call_id = c.id left join users k on k.id = x.acknowledged_by`;
const ALERT_SELECT = `select x.id, x.call_id, x.rule_id, x.kind, x.severity, x.message, x.evidence, x.raised_at, x.acknowledged_by,
  k.username as acknowledged_by_username, x.acknowledged_at, a.external_id as agent_external_id, a.display_name as agent_display_name
  ${ALERT_FROM}`;

export function createAlertRepo(db: Queryable) {
  const getRule = async (id: string): Promise<AlertRule | undefined> => {
    if (!isUuid(id)) return undefined;
    const [row] = await db.query<RuleRow>(`${RULE_SELECT} where id = $1`, [id]);
    return row ? toRule(row) : undefined;
  };
  const get = async (id: string, scope: CallScope): Promise<Alert | undefined> => {
    if (!isUuid(id)) return undefined;
    const w = callFilterWhere({}, scope);
    w.add(`x.id = ${w.param(id)}`);
    const [row] = await db.query<AlertRow>(`${ALERT_SELECT} ${w.sql()}`, w.params);
    return row ? toAlert(row) : undefined;
  };

  return {
    getRule,
    async listRules(filter: { enabled?: boolean } = {}): Promise<AlertRule[]> {
      const rows = filter.enabled === undefined
        ? await db.query<RuleRow>(`${RULE_SELECT} order by created_at, name`)
        : await db.query<RuleRow>(`${RULE_SELECT} where enabled = $1 order by created_at, name`, [filter.enabled]);
      return rows.map(toRule);
    },
    async findRuleByName(name: string): Promise<AlertRule | undefined> {
      const [row] = await db.query<RuleRow>(`${RULE_SELECT} where name = $1`, [name]);
      return row ? toRule(row) : undefined;
    },
    /** Creates a rule; undefined when the name is taken. */
    async createRule(r: NewAlertRule): Promise<AlertRule | undefined> {
      const [row] = await db.query<{ id: string }>(
        `insert into alert_rules (name, kind, severity, enabled, params, cooldown_ms) values ($1, $2, $3, $4, $5::jsonb, $6)
         on conflict (name) do nothing returning id`,
        [r.name, r.kind, r.severity, r.enabled ?? true, JSON.stringify(r.params), r.cooldownMs ?? null],
      );
      return row ? getRule(row.id) : undefined;
    },
    /** Applies the fields present in `patch` (cooldownMs: null clears it); undefined when the rule does not exist. */
    async updateRule(id: string, patch: AlertRulePatch): Promise<AlertRule | undefined> {
      if (!isUuid(id)) return undefined;
      const [row] = await db.query<{ id: string }>(
        `update alert_rules set name = coalesce($2, name), severity = coalesce($3, severity), enabled = coalesce($4, enabled),
           params = coalesce($5::jsonb, params), cooldown_ms = case when $6 then $7::integer else cooldown_ms end, updated_at = now()
         where id = $1 returning id`,
        [id, patch.name ?? null, patch.severity ?? null, patch.enabled ?? null, patch.params ? JSON.stringify(patch.params) : null,
          patch.cooldownMs !== undefined, patch.cooldownMs ?? null],
      );
      return row ? getRule(row.id) : undefined;
    },
    /** False when the rule did not exist. Its alerts stay (their rule_id becomes null). */
    async deleteRule(id: string): Promise<boolean> {
      if (!isUuid(id)) return false;
      return (await db.query('delete from alert_rules where id = $1 returning id', [id])).length > 0;
    },

    async insert(a: NewAlert): Promise<Alert> {
      const [row] = await db.query<{ id: string }>(
        `insert into alerts (call_id, rule_id, kind, severity, message, evidence, raised_at)
         values ($1, $2, $3, $4, $5, $6::jsonb, coalesce($7, now())) returning id`,
        [a.callId, a.ruleId, a.kind, a.severity, a.message, JSON.stringify(a.evidence), a.raisedAt ?? null],
      );
      const alert = await get(row.id, { kind: 'all' });
      if (!alert) throw new Error(`alert ${row.id} vanished after insert`);
      return alert;
    },
    /** The alert if it exists and `scope` may see its call. */
    get,
    /** Alerts matching `filter` within `scope`, newest first. */
    async list(filter: AlertFilter, scope: CallScope, page: PageRequest): Promise<Page<Alert>> {
      const w = callFilterWhere({}, scope);
      if (filter.callId) w.add(isUuid(filter.callId) ? `x.call_id = ${w.param(filter.callId)}` : 'false');
      if (filter.open !== undefined) w.add(filter.open ? 'x.acknowledged_at is null' : 'x.acknowledged_at is not null');
      if (filter.severity) w.add(`x.severity = ${w.param(filter.severity)}`);
      if (filter.from) w.add(`x.raised_at >= ${w.param(filter.from)}`);
      if (filter.to) w.add(`x.raised_at < ${w.param(filter.to)}`);
      const [{ n }] = await db.query<{ n: number | string }>(`select count(*) as n ${ALERT_FROM} ${w.sql()}`, w.params);
      const rows = await db.query<AlertRow>(
        `${ALERT_SELECT} ${w.sql()} order by x.raised_at desc, x.id desc limit ${w.param(page.limit)} offset ${w.param(page.offset)}`,
        w.params,
      );
      return { items: rows.map(toAlert), total: toNumber(n), limit: page.limit, offset: page.offset };
    },
    /** Marks an open alert acknowledged by `userId`; undefined when it does not exist or was already acknowledged. */
    async acknowledge(id: string, userId: string): Promise<Alert | undefined> {
      if (!isUuid(id)) return undefined;
      const [row] = await db.query<{ id: string }>(
        'update alerts set acknowledged_by = $2, acknowledged_at = now() where id = $1 and acknowledged_at is null returning id',
        [id, userId],
      );
      return row ? get(row.id, { kind: 'all' }) : undefined;
    },
  };
}

export type AlertRepo = ReturnType<typeof createAlertRepo>;
