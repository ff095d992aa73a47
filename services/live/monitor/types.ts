import type { Capabilities, InjectTarget, SampleRate } from '../../calls/index.js';

/** What a listener hears: both parties mixed into one channel, or one party alone. */
export type ListenStream = 'mixed' | 'agent' | 'customer';
export const LISTEN_STREAMS: readonly ListenStream[] = ['mixed', 'agent', 'customer'];

/** How a supervisor takes part: hear the call; hear it and talk to the agent only; hear it and talk to both parties. */
export type MonitorMode = 'listen' | 'whisper' | 'barge';
export const MONITOR_MODES: readonly MonitorMode[] = ['listen', 'whisper', 'barge'];

/** Where a supervisor's voice goes in each talking mode. */
export const MODE_TARGET: Record<Exclude<MonitorMode, 'listen'>, InjectTarget> = { whisper: 'agent', barge: 'both' };

/** One encoded 20 ms listen frame, ready for the wire (the header and the Opus packet, see listen-frame.ts). */
export interface ListenPacket {
  stream: ListenStream;
  /** Frame index on the call timeline (timestampMs / 20): a gap means frames were lost or dropped. */
  seq: number;
  /** Start of the frame on the call timeline, ms. */
  timestampMs: number;
  /** Header + Opus packet; the same buffer goes to every listener of the stream. */
  data: Buffer;
  /** performance.now() when the call's aligned audio for this frame reached the relay (for latency metrics). */
  capturedAt: number;
}

/** A live call as the monitor relay sees it. */
export interface CallAudioInfo {
  callId: string;
  rate: SampleRate;
  capabilities: Capabilities;
  /** False while the tap is disconnected and the call waits for a resume. */
  connected: boolean;
}

/** Who monitors: carried into refusals ("Sam is already barging") and logs. */
export interface Monitorer {
  userId: string;
  username: string;
}

export interface ListenSubscription {
  /** Changes the streams received (an empty list keeps the subscription but sends nothing). */
  setStreams(streams: readonly ListenStream[]): void;
  close(): void;
}

export interface ListenHandlers {
  onPacket(packet: ListenPacket): void;
  /** The call ended (or the relay lost it): no more packets will come. */
  onEnded(reason: 'call-ended' | 'call-interrupted' | 'gone'): void;
}

/** A supervisor's voice going into a call: Opus packets in, PCM injected toward the target at the call's rate. */
export interface InjectionHandle {
  readonly target: InjectTarget;
  /** Switches whisper ↔ barge. Resolves to a refusal reason, or undefined when switched. */
  retarget(target: InjectTarget): Promise<string | undefined>;
  /** One Opus packet (any Opus configuration; 20 ms at 48 kHz mono is what browsers send). Never throws. */
  send(opus: Uint8Array, receivedAt: number): void;
  /** Stops injecting at once and releases the call's floor. Idempotent. */
  close(): void;
}

export type InjectionResult = { ok: true; handle: InjectionHandle } | { ok: false; reason: string };

/**
 * Where listen audio comes from and injected audio goes, per call. The in-process relay reaches the calls of this
 * node's registry; a Redis relay (multi-node) would reach calls tapped on other nodes with the same contract:
 * packets are encoded once per call and stream on the node that holds the call, the floor (one talking supervisor
 * per call) is held there too.
 */
export interface MonitorRelay {
  /** The call's rate and capabilities, or undefined when no live call has this id. */
  describe(callId: string): Promise<CallAudioInfo | undefined>;
  /** Starts receiving the call's audio. Undefined when the call is not live. */
  listen(callId: string, streams: readonly ListenStream[], handlers: ListenHandlers): ListenSubscription | undefined;
  /**
   * Takes the call's floor and opens an injection toward `target`. Refused with a reason when the call's tap cannot
   * reach the target (taken from its capabilities), when the call is gone, or when another supervisor holds the floor.
   */
  openInjection(callId: string, target: InjectTarget, who: Monitorer, opts?: { notifyTone?: boolean }): Promise<InjectionResult>;
  close(): Promise<void>;
}
