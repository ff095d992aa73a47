/** The internal call model every tap protocol normalises into (see DESIGN.md). */
export type Channel = 'agent' | 'customer';
export const CHANNELS: readonly Channel[] = ['agent', 'customer'];
export type SampleRate = 8000 | 16000 | 48000;
export type InjectTarget = 'agent' | 'customer' | 'both';
export type TapProtocol = 'audiohook' | 'twilio' | 'native';
export type CallDirection = 'inbound' | 'outbound';
export type CallStatus = 'live' | 'ended' | 'interrupted';

/** One channel's PCM for a stretch of the call timeline. Agent and customer frames with the same seq cover the same time. */
export interface AudioFrame {
  callId: string;
  channel: Channel;
  seq: number;
  startMs: number;
  pcm: Int16Array;
  rate: SampleRate;
}

/** What the call's tap protocol lets supervisors do. Callers ask the session, never the protocol. */
export interface Capabilities {
  listen: boolean;
  whisper: boolean;
  barge: boolean;
  playToCustomer: boolean;
}

/** Call metadata as the phone platform sends it. */
export interface CallMeta {
  protocol: TapProtocol;
  /** The platform's id for this stream (AudioHook session id, Twilio streamSid, native callId): used to resume. */
  externalId: string;
  direction: CallDirection;
  queue?: string;
  /** The agent identity the platform sends (linked to an agent user in the store). */
  agentExternalId?: string;
  customerNumber?: string;
  language?: string;
  /** Other platform ids (conversationId, callSid, …). */
  extra?: Record<string, string>;
  /** Tap credential that opened the call. */
  tapKeyId?: string;
}

/** The narrow port a tap connection gives its session: how to send audio back, and how to drop the connection. */
export interface TapPort {
  capabilities: Capabilities;
  /** Sends PCM at the call's rate toward `target`. Only called when the capabilities allow it. */
  inject(target: InjectTarget, pcm: Int16Array): void;
}

export interface CallStats {
  /** Audio messages accepted from the tap. */
  framesIn: number;
  /** Samples of silence inserted for lost, late or missing audio (per channel, summed). */
  gapSamples: number;
  /** Samples dropped because they arrived for a stretch already filled. */
  lateSamples: number;
  /** Samples written to both channels of the aligned timeline. */
  alignedSamples: number;
}

/** Receives aligned audio. Must return quickly: slow work goes behind a bounded queue. */
export interface FrameSink {
  onFrames(agent: AudioFrame, customer: AudioFrame): void;
  onEnd?(status: CallStatus): void | Promise<void>;
}
