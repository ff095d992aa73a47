/** The supervisor WebSocket's JSON shapes (docs/supervisor-protocol.md), as the web app reads them. */
import type { Channel, ConversationMetrics, SentimentLabel, SpeakerSentiment } from './types';

export type MonitorMode = 'listen' | 'whisper' | 'barge';
export const MONITOR_MODES: readonly MonitorMode[] = ['listen', 'whisper', 'barge'];
export type StreamName = 'mixed' | 'agent' | 'customer';

export interface Capabilities {
  listen: boolean;
  whisper: boolean;
  barge: boolean;
  playToCustomer: boolean;
}

export interface LiveCall {
  callId: string;
  startedAt: string;
  durationMs: number;
  protocol: string;
  direction: 'inbound' | 'outbound';
  agent: { externalId: string; displayName: string | null } | null;
  team: { id: string; name: string } | null;
  queue: string | null;
  customerSentiment: { score: number; label: SentimentLabel } | null;
  openAlerts: number;
  capabilities: Capabilities;
  refusals: Partial<Record<'whisper' | 'barge', string>>;
}

export interface LiveSegment {
  utteranceId: string;
  speaker: Channel;
  startMs: number;
  endMs: number;
  text: string;
  /** False while the recogniser may still change it (a partial). */
  final: boolean;
  sentiment?: { score: number; label: SentimentLabel } | null;
}

export interface CallSentimentSummary {
  speakers: Record<Channel, SpeakerSentiment>;
  customer: SpeakerSentiment;
}

export interface StreamInfo {
  stream: StreamName;
  id: number;
  codec: string;
  rate: number;
  channels: number;
  frameMs: number;
}

/** Messages the server sends (the ones the app uses; others are ignored). */
export type ServerMessage =
  | { type: 'hello'; protocol: number; user: { id: string; username: string; role: string } }
  | { type: 'calls'; calls: LiveCall[] }
  | { type: 'call.added' | 'call.updated'; call: LiveCall }
  | { type: 'call.removed'; callId: string; status: string }
  | { type: 'subscribed'; id?: string | number; callId: string; call: LiveCall; transcript: LiveSegment[]; metrics: ConversationMetrics | null; sentiment: CallSentimentSummary | null }
  | { type: 'unsubscribed'; id?: string | number; callId: string; reason: string }
  | { type: 'transcript.partial' | 'transcript.final'; callId: string; segment: LiveSegment }
  | { type: 'sentiment.scored'; callId: string; utteranceId: string; speaker: Channel; startMs: number; endMs: number; sentiment: { score: number; label: SentimentLabel } }
  | { type: 'metrics.updated'; callId: string; metrics: ConversationMetrics; final: boolean }
  | { type: 'sentiment.summarized'; callId: string; sentiment: CallSentimentSummary }
  | { type: 'note.added'; callId: string; noteId: string; atMs: number }
  | { type: 'note.deleted'; callId: string; noteId: string }
  | { type: 'monitor.started' | 'monitor.updated'; id?: string | number; callId: string; mode: MonitorMode; capabilities: Capabilities; streams: StreamInfo[] }
  | { type: 'monitor.refused'; id?: string | number; callId: string; mode: MonitorMode; reason: string; capabilities: Capabilities }
  | { type: 'monitor.stopped'; id?: string | number; callId: string; reason: string }
  | { type: 'error'; id?: string | number; code: string; message: string }
  | { type: 'pong'; id?: string | number };

export type ClientRequest =
  | { type: 'subscribe' | 'unsubscribe'; callId: string }
  | { type: 'monitor.start'; callId: string; mode: MonitorMode; streams?: StreamName[] }
  | { type: 'monitor.update'; mode?: MonitorMode; streams?: StreamName[] }
  | { type: 'monitor.stop' }
  | { type: 'ping' };
