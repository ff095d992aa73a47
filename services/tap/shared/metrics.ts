import type { TapProtocol } from '../../calls/index.js';
import type { Metrics } from '../../core/index.js';

/** Why an audio frame (or a stretch of audio) did not reach the call timeline. */
export type DropReason =
  /** Larger than tap.maxMessageBytes; the socket is closed with 1009. */
  | 'oversize'
  /** Audio outside the active state (before open/start, while paused, after close/stop). */
  | 'inactive'
  /** Malformed: bad header, unknown channel, odd L16 length, undecodable payload, length not a multiple of the channels. */
  | 'bad_frame'
  /** Frames the peer numbered but never delivered (a sequence gap); counted per missing frame or message. */
  | 'lost'
  /** Numbered at or below a frame already received. */
  | 'duplicate'
  /** Entirely for a stretch of the timeline already filled. */
  | 'late'
  /** Placed implausibly far beyond the channel's end. */
  | 'too_far'
  /** Injected audio not sent because the peer is not reading fast enough. */
  | 'backpressure';

export type ConnectionResult = 'accepted' | 'unauthorized' | 'bad_request' | 'error';

export interface TapMetrics {
  frame(protocol: TapProtocol): void;
  dropped(protocol: TapProtocol, reason: DropReason, count?: number): void;
  connection(protocol: TapProtocol, result: ConnectionResult): void;
  /** Seconds from a frame's arrival to session.write() returning. */
  handling(seconds: number): void;
}

/** The tap's Prometheus series, registered once per server. */
export function createTapMetrics(metrics: Metrics): TapMetrics {
  const frames = metrics.counter('callsight_tap_frames_total', 'Audio frames accepted from taps');
  const dropped = metrics.counter('callsight_tap_frames_dropped_total', 'Audio frames from taps that did not reach the call timeline, by reason');
  const connections = metrics.counter('callsight_tap_connections_total', 'Tap WebSocket upgrade attempts by result');
  const handling = metrics.summary('callsight_tap_frame_handling_seconds', 'Time from a tap frame arriving to session.write() returning');
  return {
    frame: (protocol) => frames.inc(1, { protocol }),
    dropped: (protocol, reason, count = 1) => { if (count > 0) dropped.inc(count, { protocol, reason }); },
    connection: (protocol, result) => connections.inc(1, { protocol, result }),
    handling: (seconds) => handling.observe(seconds),
  };
}
