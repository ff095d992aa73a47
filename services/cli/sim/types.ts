import type { CallDirection, Channel, InjectTarget, TapProtocol } from '../../calls/index.js';

export type { CallDirection, Channel, InjectTarget, TapProtocol };

/** Codecs the native protocol carries; AudioHook and Twilio always use PCMU/8000. */
export type SimCodec = 'PCMU' | 'PCMA' | 'L16' | 'OPUS';
export type SimRate = 8000 | 16000 | 48000;

/** Call audio as separate mono channels at one rate. A missing channel is not streamed (silence where a protocol needs it). */
export interface PcmInput {
  rate: number;
  agent?: Int16Array;
  customer?: Int16Array;
}

/** What to do with a mono file: it is the customer's side unless told otherwise. */
export type MonoAs = 'customer' | 'agent' | 'both';

/** Call metadata as a phone platform would send it. Each protocol maps it onto its own fields. */
export interface SimMetadata {
  /** The platform's id for the call: native `callId`, AudioHook session id (a UUID), Twilio streamSid. Generated when absent. */
  externalId?: string;
  direction?: CallDirection;
  agentId?: string;
  queue?: string;
  customerNumber?: string;
  language?: string;
  /** Extra string pairs: native `metadata`, AudioHook `customConfig`, Twilio `customParameters`. */
  extra?: Record<string, string>;
}

export interface SimCredentials {
  /** Tap API key: native `Authorization: Bearer`, AudioHook `X-API-KEY`, Twilio `customParameters.apiKey`. */
  apiKey?: string;
  /** AudioHook client secret (base64): signs the upgrade request (RFC 9421, hmac-sha256). */
  clientSecret?: string;
  /** Twilio auth token: signs the upgrade request (`X-Twilio-Signature`). */
  twilioToken?: string;
}

/**
 * Small, deliberate faults for tests. Timeline positions are in call milliseconds (frame k starts at k·20 ms).
 */
export interface SimFaults {
  /** Frame indices not sent on any channel: the server sees sequence/timestamp gaps. */
  skipFrames?: readonly number[];
  /** Before sending the frame at this timeline position, destroy the TCP socket without a WebSocket close. */
  dropAtMs?: number;
  /**
   * After a drop, wait this long (wall ms), then reconnect with the same external id and carry on. Frames whose
   * scheduled time passed during the outage are lost (counted in `lostFrames`). Without it the call ends at the drop.
   */
  reconnectAfterMs?: number;
  /** AudioHook only: a client-side pause (hold) over [atMs, atMs + durationMs): `paused`, no audio, `resumed`. */
  pause?: { atMs: number; durationMs: number };
}

/** One DTMF digit at a timeline position (native and Twilio). */
export interface SimDtmf {
  atMs: number;
  digit: string;
}

/** A block of audio the server sent back, decoded to PCM at the call's rate. */
export interface InjectedChunk {
  target: InjectTarget;
  pcm: Int16Array;
  rate: number;
  /** Native: the frame's seq and timestamp; Twilio/AudioHook: a per-target counter and the playback position. */
  seq: number;
  timestampMs: number;
}

export interface InjectedTrack {
  frames: number;
  /** Encoded bytes as received. */
  bytes: number;
  samples: number;
  rate: number;
  /** All decoded audio for this target, in arrival order. */
  pcm: Int16Array;
  /** Where it was saved, when `saveInjectedDir` was given and audio arrived. */
  file?: string;
}

export interface LagStats {
  /** Frames measured. */
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export type SimOutcome =
  /** The client ended the call and the server confirmed (AudioHook `closed`, native `stopped`, Twilio socket closed). */
  | 'completed'
  /** The server ended it (AudioHook `disconnect`, native/Twilio close before the end). */
  | 'server-ended'
  /** The socket was dropped by the `dropAtMs` fault and not reconnected. */
  | 'dropped'
  /** The caller's signal aborted the stream; the client still tried to end the call cleanly. */
  | 'aborted';

export interface SimSummary {
  protocol: TapProtocol;
  /** The id the client sent (session id, streamSid, callId). */
  externalId: string;
  /** The server's id for the call, when the protocol reports one (native `started.callId`). */
  serverCallId?: string;
  outcome: SimOutcome;
  /** Why the server ended the call, or an error it reported. */
  serverReason?: string;
  /** Frames sent per channel (20 ms each; an AudioHook stereo frame counts once for each channel it carries). */
  framesSent: Record<Channel, number>;
  /** Audio payload bytes sent, headers and JSON excluded. */
  audioBytes: number;
  /** Every WebSocket message sent (text and binary). */
  messagesSent: number;
  /** Frames left out by `skipFrames`, by a pause, or lost during a drop. */
  skippedFrames: number;
  lostFrames: number;
  reconnects: number;
  /** Call timeline covered, ms. */
  audioMs: number;
  /** Wall time from connect to end, ms. */
  wallMs: number;
  /** How late frames went out against their schedule (zero-ish at speed 0, where there is no schedule). */
  sendLag: LagStats;
  /** Most bytes queued in the socket after a send (speed 0 keeps it near the high-water mark). */
  peakBufferedBytes: number;
  /** Round trips of protocol pings, ms. */
  pingRttMs: number[];
  /** Messages the server sent that the client did not expect or treated as errors. */
  serverErrors: string[];
  injected: Record<InjectTarget, InjectedTrack>;
}
