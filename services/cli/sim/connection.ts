import type { Channel, SimOutcome } from './types.js';

/** Encoded audio, one payload per 20 ms frame and channel, ready for a protocol to wrap. */
export interface PreparedMedia {
  codec: 'PCMU' | 'PCMA' | 'L16' | 'OPUS';
  rate: number;
  frameMs: number;
  frameCount: number;
  /** Per channel; a channel that is absent is not streamed (or is silence where the protocol needs both). */
  frames: Partial<Record<Channel, Uint8Array[]>>;
}

/** How a call ended, as the protocol connection saw it. */
export interface EndState {
  outcome: SimOutcome;
  reason?: string;
}

/**
 * One protocol's client half, driven by the shared stream loop. A connection may be opened again after `drop()`
 * (resume with the same external id).
 */
export interface ProtocolConnection {
  readonly externalId: string;
  readonly serverCallId?: string;
  /** Opens the socket and runs the protocol's opening handshake; `resume` is true when reconnecting after a drop. */
  connect(signal: AbortSignal, resume?: boolean): Promise<void>;
  /** False while the protocol forbids audio (AudioHook paused or before `opened`). */
  audioActive(): boolean;
  /** Sends frame k; returns the audio payload bytes sent. */
  sendFrame(k: number): { bytes: number; messages: number; channels: Channel[] };
  /** Frame k is not sent (a fault or a pause): keep counters and the timeline consistent. */
  skipFrame(k: number): void;
  /** After a reconnect: `count` frames from `fromK` were lost during the outage. */
  lost(fromK: number, count: number): void;
  /** Called before frame k (pause faults, DTMF). */
  beforeFrame?(k: number): void;
  sendDtmf?(digit: string): void;
  /** Resolves when the socket can take more (backpressure, speed 0). */
  writable(signal: AbortSignal): Promise<void>;
  /** Bytes queued in the socket, not yet written. */
  bufferedAmount(): number;
  /** Set once the server has ended the call or the socket closed by itself. */
  readonly serverEnded: EndState | undefined;
  /** Aborts when the server ends the call (so waits can stop early). */
  readonly endedSignal: AbortSignal;
  /** Ends the call properly (close/closed, stop/stopped) and closes the socket. */
  end(reason: 'end' | 'abort', signal: AbortSignal): Promise<EndState>;
  /** Destroys the TCP connection without a WebSocket close. */
  drop(): void;
  /** Releases timers after the call, whatever happened. */
  dispose(): void;
  messagesSent(): number;
  pingRtts(): number[];
  serverErrors(): string[];
}
