import type { CallDirection, CallStatus, Capabilities, TapProtocol } from '../calls/index.js';
import type { SentimentLabel } from '../speech/index.js';
import {
  ALERT_COUNTS, alertsCondition, CALL_SCORE, CUSTOMER_SENTIMENT, sentimentCondition, sentimentLabel, transcriptMatchCondition, type AlertPresence,
} from './call-facets.js';
import { createWhere, idOrName, isUuid, toNumber, toNumberOrNull, type Page, type PageRequest, type Queryable, type Where } from './rows.js';
import { scopeCondition, type CallScope } from './scope.js';
import type { Transcription } from './transcription.js';

export type RecordingFormat = 'wav' | 'ogg';

export interface CallRecording {
  /** File path as the recorder wrote it (absolute, or relative to the data directory). Never sent to clients. */
  path: string;
  format: RecordingFormat;
  bytes: number | null;
}

export interface CallRecord {
  id: string;
  protocol: TapProtocol;
  externalId: string;
  direction: CallDirection;
  status: CallStatus;
  startedAt: Date;
  endedAt: Date | null;
  durationMs: number | null;
  sampleRate: number;
  customerNumber: string | null;
  language: string | null;
  agent: { id: string; externalId: string; displayName: string; teamId: string | null; teamName: string | null } | null;
  queue: { id: string; name: string; department: string } | null;
  recording: CallRecording | null;
  capabilities: Partial<Capabilities>;
  stats: Record<string, unknown>;
  metadata: Record<string, unknown>;
  tapKeyId: string | null;
  transcription: Transcription;
}

export interface NewCall {
  id: string;
  protocol: TapProtocol;
  externalId: string;
  direction: CallDirection;
  startedAt: Date;
  sampleRate: number;
  agentId?: string | null;
  queueId?: string | null;
  customerNumber?: string | null;
  language?: string | null;
  capabilities?: Capabilities;
  metadata?: Record<string, unknown>;
  tapKeyId?: string | null;
  /** The server node that holds the live call (config.nodeId). */
  nodeId?: string | null;
}

export interface CallFinish {
  status: Exclude<CallStatus, 'live'>;
  endedAt: Date;
  durationMs: number;
  /** Stored as JSON (e.g. the session's CallStats). */
  stats?: object;
  recording?: CallRecording;
}

/** `agent`, `team` and `queue` take an id, or an external id (agent) or a name (team, queue). `from` inclusive, `to` exclusive. */
export interface CallFilter {
  agent?: string;
  team?: string;
  queue?: string;
  status?: CallStatus;
  from?: Date;
  to?: Date;
  /** Full text: calls with at least one transcript segment matching (web-search syntax, as the transcript search). */
  q?: string;
  /** Bounds (inclusive) on the call's QA score (CALL_SCORE); calls without a score never match. */
  scoreMin?: number;
  scoreMax?: number;
  /** The label of the customer's mean sentiment; calls without one never match. */
  sentiment?: SentimentLabel;
  /** Calls with an alert, with an unacknowledged one, or with none. */
  alerts?: AlertPresence;
}

/** A call as the calls list shows it: with its QA score, customer sentiment and alert counts. */
export interface CallListItem extends CallRecord {
  /** The lowest final score among its scorecards (CALL_SCORE), null when not scored. */
  score: number | null;
  /** The customer's mean sentiment and its label, null when not summarised. */
  customerSentiment: number | null;
  customerSentimentLabel: SentimentLabel | null;
  alerts: number;
  openAlerts: number;
}

interface Row {
  id: string; protocol: TapProtocol; external_id: string; direction: CallDirection; status: CallStatus;
  started_at: Date; ended_at: Date | null; duration_ms: number | null; sample_rate: number;
  customer_number: string | null; language: string | null;
  agent_id: string | null; agent_external_id: string | null; agent_display_name: string | null; agent_team_id: string | null; team_name: string | null;
  queue_id: string | null; queue_name: string | null; queue_department: string | null;
  recording_path: string | null; recording_format: RecordingFormat | null; recording_bytes: string | number | null;
  capabilities: Partial<Capabilities>; stats: Record<string, unknown>; metadata: Record<string, unknown>; tap_key_id: string | null;
  transcription_status: Transcription['status']; transcription_note: string | null; asr_engine: string | null; transcription_lost: Transcription['lost'];
}

/** calls c with their agent a, the agent's team t and the queue q. */
export const CALL_JOINS = `
  calls c
  left join agents a on a.id = c.agent_id
  left join teams t on t.id = a.team_id
  left join queues q on q.id = c.queue_id`;
const FROM = `from ${CALL_JOINS}`;
const COLUMNS = `
    c.id, c.protocol, c.external_id, c.direction, c.status, c.started_at, c.ended_at, c.duration_ms, c.sample_rate,
    c.customer_number, c.language, c.agent_id, a.external_id as agent_external_id, a.display_name as agent_display_name,
    a.team_id as agent_team_id, t.name as team_name, c.queue_id, q.name as queue_name, q.department as queue_department,
    c.recording_path, c.recording_format, c.recording_bytes, c.capabilities, c.stats, c.metadata, c.tap_key_id,
    c.transcription_status, c.transcription_note, c.asr_engine, c.transcription_lost`;
const SELECT = `select ${COLUMNS} ${FROM}`;

interface ListRow extends Row { score: number | null; customer_sentiment: number | null; alerts: number; open_alerts: number }

/** The list's columns besides the call's: its score, its customer's mean sentiment and its alert counts (one round trip). */
const LIST_SELECT = `select ${COLUMNS}, ${CALL_SCORE} as score, ${CUSTOMER_SENTIMENT} as customer_sentiment, ac.alerts, ac.open_alerts
  from ${CALL_JOINS} cross join lateral ${ALERT_COUNTS} ac`;

function toListItem(r: ListRow): CallListItem {
  const customerSentiment = toNumberOrNull(r.customer_sentiment);
  return {
    ...toCall(r), score: toNumberOrNull(r.score), customerSentiment,
    customerSentimentLabel: customerSentiment === null ? null : sentimentLabel(customerSentiment),
    alerts: toNumber(r.alerts), openAlerts: toNumber(r.open_alerts),
  };
}

function toCall(r: Row): CallRecord {
  return {
    id: r.id, protocol: r.protocol, externalId: r.external_id, direction: r.direction, status: r.status,
    startedAt: r.started_at, endedAt: r.ended_at, durationMs: r.duration_ms, sampleRate: r.sample_rate,
    customerNumber: r.customer_number, language: r.language,
    agent: r.agent_id ? {
      id: r.agent_id, externalId: r.agent_external_id ?? '', displayName: r.agent_display_name ?? '', teamId: r.agent_team_id, teamName: r.team_name,
    } : null,
    queue: r.queue_id ? { id: r.queue_id, name: r.queue_name ?? '', department: r.queue_department ?? '' } : null,
    recording: r.recording_path && r.recording_format
      ? { path: r.recording_path, format: r.recording_format, bytes: toNumberOrNull(r.recording_bytes) } : null,
    capabilities: r.capabilities, stats: r.stats, metadata: r.metadata, tapKeyId: r.tap_key_id,
    transcription: { status: r.transcription_status, note: r.transcription_note, engine: r.asr_engine, lost: r.transcription_lost },
  };
}

/**
 * The conditions selecting the calls matching `filter` within `scope`, over the aliases of `CALL_JOINS`
 * (c calls, a agents, t teams, q queues). Anything listed per call (segments, evaluations) filters with it.
 */
export function callFilterWhere(filter: CallFilter, scope: CallScope): Where {
  const w = createWhere();
  w.add(scopeCondition(scope, 'a', w));
  if (filter.agent) w.add(idOrName(w, filter.agent, 'c.agent_id', 'a.external_id'));
  if (filter.team) w.add(idOrName(w, filter.team, 'a.team_id', 't.name'));
  if (filter.queue) w.add(idOrName(w, filter.queue, 'c.queue_id', 'q.name'));
  if (filter.status) w.add(`c.status = ${w.param(filter.status)}`);
  if (filter.from) w.add(`c.started_at >= ${w.param(filter.from)}`);
  if (filter.to) w.add(`c.started_at < ${w.param(filter.to)}`);
  if (filter.q) w.add(transcriptMatchCondition(w, filter.q));
  if (filter.scoreMin !== undefined) w.add(`${CALL_SCORE} >= ${w.param(filter.scoreMin)}::double precision`);
  if (filter.scoreMax !== undefined) w.add(`${CALL_SCORE} <= ${w.param(filter.scoreMax)}::double precision`);
  if (filter.sentiment) w.add(sentimentCondition(w, filter.sentiment));
  if (filter.alerts) w.add(alertsCondition(filter.alerts));
  return w;
}

export function createCallRepo(db: Queryable) {
  return {
    /** Records a call at its start; false when a call with this id already exists (a resumed call). */
    async insert(call: NewCall): Promise<boolean> {
      const rows = await db.query(
        `insert into calls (id, protocol, external_id, direction, queue_id, agent_id, customer_number, language, status,
           started_at, sample_rate, capabilities, metadata, tap_key_id, node_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, 'live', $9, $10, $11::jsonb, $12::jsonb, $13, $14)
         on conflict (id) do nothing returning id`,
        [call.id, call.protocol, call.externalId, call.direction, call.queueId ?? null, call.agentId ?? null,
          call.customerNumber ?? null, call.language ?? null, call.startedAt, call.sampleRate,
          JSON.stringify(call.capabilities ?? {}), JSON.stringify(call.metadata ?? {}), call.tapKeyId ?? null, call.nodeId ?? null],
      );
      return rows.length > 0;
    },
    /** Records the end of a call (status, end time, duration, stats and, when known, the recording). False when unknown. */
    async finish(id: string, f: CallFinish): Promise<boolean> {
      const rows = await db.query(
        `update calls set status = $2, ended_at = $3, duration_ms = $4, stats = coalesce($5::jsonb, stats),
           recording_path = coalesce($6, recording_path), recording_format = coalesce($7, recording_format),
           recording_bytes = coalesce($8, recording_bytes)
         where id = $1 returning id`,
        [id, f.status, f.endedAt, Math.round(f.durationMs), f.stats ? JSON.stringify(f.stats) : null,
          f.recording?.path ?? null, f.recording?.format ?? null, f.recording?.bytes ?? null],
      );
      return rows.length > 0;
    },
    /** Points the call at its recording file (e.g. once the WAV exists, then again after transcoding to Ogg). */
    async setRecording(id: string, rec: CallRecording): Promise<boolean> {
      const rows = await db.query(
        'update calls set recording_path = $2, recording_format = $3, recording_bytes = $4 where id = $1 returning id',
        [id, rec.path, rec.format, rec.bytes],
      );
      return rows.length > 0;
    },
    /** Merges keys into the call's stats (other stages add their own). */
    async mergeStats(id: string, stats: object): Promise<boolean> {
      const rows = await db.query('update calls set stats = stats || $2::jsonb where id = $1 returning id', [id, JSON.stringify(stats)]);
      return rows.length > 0;
    },
    /** The call if it exists and `scope` may see it. */
    async get(id: string, scope: CallScope): Promise<CallRecord | undefined> {
      if (!isUuid(id)) return undefined;
      const w = callFilterWhere({}, scope);
      w.add(`c.id = ${w.param(id)}`);
      const [row] = await db.query<Row>(`${SELECT} ${w.sql()}`, w.params);
      return row ? toCall(row) : undefined;
    },
    /** The calls among `ids` that exist and `scope` may see (any order; ids that are not UUIDs are skipped). */
    async getMany(ids: readonly string[], scope: CallScope): Promise<CallRecord[]> {
      const valid = ids.filter(isUuid);
      if (!valid.length) return [];
      const w = callFilterWhere({}, scope);
      w.add(`c.id = any(${w.param(valid)}::uuid[])`);
      const rows = await db.query<Row>(`${SELECT} ${w.sql()}`, w.params);
      return rows.map(toCall);
    },
    /** Calls matching `filter` within `scope`, newest first, with their score, customer sentiment and alert counts. */
    async list(filter: CallFilter, scope: CallScope, page: PageRequest): Promise<Page<CallListItem>> {
      const w = callFilterWhere(filter, scope);
      const [{ n }] = await db.query<{ n: number | string }>(`select count(*) as n ${FROM} ${w.sql()}`, w.params);
      const rows = await db.query<ListRow>(
        `${LIST_SELECT} ${w.sql()} order by c.started_at desc, c.id desc limit ${w.param(page.limit)} offset ${w.param(page.offset)}`,
        w.params,
      );
      return { items: rows.map(toListItem), total: toNumber(n), limit: page.limit, offset: page.offset };
    },
  };
}

export type CallRepo = ReturnType<typeof createCallRepo>;
