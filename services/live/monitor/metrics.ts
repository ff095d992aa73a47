import type { Metrics } from '../../core/index.js';

export type ListenDropReason = 'slow_listener' | 'encoder_behind' | 'encode_error';
export type InjectDropReason = 'bad_packet' | 'tap_unavailable' | 'not_talking';

/** The live monitor's counters in /metrics: what listeners got and lost, what was injected, and how late. */
export interface MonitorMetrics {
  listenFrameSent(captureToSendSeconds: number): void;
  listenFramesDropped(reason: ListenDropReason, count?: number): void;
  injected(arrivalToTapSeconds: number): void;
  injectDropped(reason: InjectDropReason, count?: number): void;
}

export function createMonitorMetrics(metrics: Metrics): MonitorMetrics {
  const sent = metrics.counter('callsight_live_listen_frames_total', 'Opus listen frames sent to supervisors');
  const dropped = metrics.counter(
    'callsight_live_listen_frames_dropped_total', 'Listen frames not sent: dropped oldest-first for a slow listener, not encoded while the encoder thread was behind, or not encodable',
  );
  const listenLatency = metrics.summary(
    'callsight_live_listen_latency_seconds', 'From the call\'s aligned audio reaching the monitor to its Opus frame handed to the listener socket',
  );
  const injected = metrics.counter('callsight_live_injected_frames_total', 'Supervisor audio frames injected into calls (whisper, barge)');
  const injectDropped = metrics.counter('callsight_live_injected_frames_dropped_total', 'Supervisor audio frames not injected, by reason');
  const injectLatency = metrics.summary(
    'callsight_live_inject_latency_seconds', 'From a supervisor audio frame arriving to its PCM handed to the call\'s tap',
  );
  return {
    listenFrameSent(s) { sent.inc(); listenLatency.observe(s); },
    listenFramesDropped(reason, count = 1) { dropped.inc(count, { reason }); },
    injected(s) { injected.inc(); injectLatency.observe(s); },
    injectDropped(reason, count = 1) { injectDropped.inc(count, { reason }); },
  };
}
