import { z } from 'zod';
import type { Capabilities } from '../../calls/index.js';
import type { StoredSegment } from '../../store/index.js';
import type { CallSentiment, ConversationMetrics, SentimentLabel, TranscriptSegment } from '../../speech/index.js';
import { LISTEN_STREAMS, MONITOR_MODES, type ListenStream, type MonitorMode } from '../monitor/types.js';

/** The supervisor WebSocket's protocol version, sent in `hello` (docs/supervisor-protocol.md). */
export const SUPERVISOR_PROTOCOL_VERSION = 1;

/** Close codes besides the standard ones. */
export const CLOSE_SESSION_ENDED = 4401;
export const CLOSE_TOO_SLOW = 4429;

const requestId = z.union([z.string().max(100), z.number().int()]).optional();
const callId = z.string().min(1).max(100);
const streams = z.array(z.enum(LISTEN_STREAMS as [ListenStream, ...ListenStream[]])).min(1).max(3);
const mode = z.enum(MONITOR_MODES as [MonitorMode, ...MonitorMode[]]);

/** Every text message a supervisor client may send; `id` is echoed in the reply. */
export const clientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), id: requestId, callId }),
  z.object({ type: z.literal('unsubscribe'), id: requestId, callId }),
  z.object({ type: z.literal('monitor.start'), id: requestId, callId, mode: mode.default('listen'), streams: streams.default(['mixed']) }),
  z.object({ type: z.literal('monitor.update'), id: requestId, mode: mode.optional(), streams: streams.optional() }),
  z.object({ type: z.literal('monitor.stop'), id: requestId }),
  z.object({ type: z.literal('ping'), id: requestId }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;
export type ClientMessageType = ClientMessage['type'];
export type RequestId = string | number | undefined;

/** One row of the live call list (the wallboard). */
export interface LiveCallItem {
  callId: string;
  startedAt: string;
  /** At the time the message was sent; clients count on from `startedAt`. */
  durationMs: number;
  protocol: string;
  direction: string;
  agent: { externalId: string; displayName: string | null } | null;
  team: { id: string; name: string | null } | null;
  queue: string | null;
  /** The customer's most recent scored utterance, or null before the first. */
  customerSentiment: { score: number; label: SentimentLabel } | null;
  /** Open alerts on the call (0 until alert rules exist). */
  openAlerts: number;
  capabilities: Capabilities;
  /** Why whisper or barge cannot be used on this call (from its capabilities); absent when they can. */
  refusals: { whisper?: string; barge?: string };
}

export interface StreamDescription {
  stream: ListenStream;
  /** The `stream` byte in each binary frame's header. */
  id: number;
  codec: 'opus';
  /** The rate the Opus frames were encoded at (the call's); an Opus decoder may run at any rate. */
  rate: number;
  channels: 1;
  frameMs: number;
}

export type StopReason = 'requested' | 'replaced' | 'call-ended' | 'call-interrupted' | 'disconnected' | 'shutdown';

/** The history a late subscriber gets before live events. */
export interface CallSnapshot {
  call: LiveCallItem;
  transcript: Pick<StoredSegment, 'utteranceId' | 'speaker' | 'startMs' | 'endMs' | 'text' | 'sentiment'>[];
  metrics: ConversationMetrics | null;
  sentiment: CallSentiment | null;
}

/** Text messages the server sends (bus events for subscribed calls are forwarded as they are, with their own `type`). */
export type ServerMessage =
  | { type: 'hello'; protocol: number; user: { id: string; username: string; role: string }; audio: { codec: 'opus'; frameMs: number; headerBytes: number; streamIds: Record<string, number> } }
  | { type: 'calls'; calls: LiveCallItem[] }
  | { type: 'call.added'; call: LiveCallItem }
  | { type: 'call.updated'; call: LiveCallItem }
  | { type: 'call.removed'; callId: string; status: 'ended' | 'interrupted' | 'out-of-scope' }
  | ({ type: 'subscribed'; id?: RequestId; callId: string } & CallSnapshot)
  | { type: 'unsubscribed'; id?: RequestId; callId: string; reason: 'requested' | 'call-ended' }
  | { type: 'transcript.partial' | 'transcript.final'; callId: string; segment: TranscriptSegment }
  | { type: 'note.added'; callId: string; noteId: string; atMs: number }
  | { type: 'note.deleted'; callId: string; noteId: string }
  | { type: 'monitor.started'; id?: RequestId; callId: string; mode: MonitorMode; streams: StreamDescription[]; capabilities: Capabilities }
  | { type: 'monitor.updated'; id?: RequestId; callId: string; mode: MonitorMode; streams: StreamDescription[] }
  | { type: 'monitor.refused'; id?: RequestId; callId: string; mode: MonitorMode; reason: string; capabilities: Capabilities | null }
  | { type: 'monitor.stopped'; id?: RequestId; callId: string; reason: StopReason }
  | { type: 'pong'; id?: RequestId }
  | { type: 'error'; id?: RequestId; code: ErrorCode; message: string };

export type ErrorCode = 'bad_message' | 'not_found' | 'no_monitor' | 'bad_frame' | 'internal';

export type ParsedClientMessage = { ok: true; message: ClientMessage } | { ok: false; id: RequestId; message: string };

/** Parses one text message; a problem names the field. */
export function parseClientMessage(text: string): ParsedClientMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, id: undefined, message: 'message is not JSON' };
  }
  const parsed = clientMessage.safeParse(json);
  if (parsed.success) return { ok: true, message: parsed.data };
  const raw = json as { id?: unknown } | null;
  const id = typeof raw?.id === 'string' || typeof raw?.id === 'number' ? raw.id : undefined;
  const issue = parsed.error.issues[0];
  const path = issue?.path.join('.');
  return { ok: false, id, message: path ? `${path}: ${issue.message}` : (issue?.message ?? 'invalid message') };
}
