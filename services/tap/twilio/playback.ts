import { encodeMuLaw } from '../../audio/index.js';
import type { Capabilities, TapPort } from '../../calls/index.js';
import { AppError, type Logger } from '../../core/index.js';
import { frames } from '../shared/placement.js';
import type { Clock, TapSocket } from '../shared/types.js';

const FRAME_SAMPLES = 160; // 20 ms at 8 kHz
/** A burst of injected audio ends (and gets a mark) after this long without more. */
const BURST_GAP_MS = 200;

export const TWILIO_LISTEN_ONLY: Capabilities = { listen: true, whisper: false, barge: false, playToCustomer: false };
export const TWILIO_PLAY_TO_CUSTOMER: Capabilities = { listen: true, whisper: false, barge: false, playToCustomer: true };

export interface TwilioPlayback extends TapPort {
  /** Marks the current end of the outbound queue; Twilio echoes `mark` once audio up to it has played. */
  mark(name: string): void;
  /** Drops audio Twilio has queued but not yet played. */
  clear(): void;
  /** Twilio echoed a mark. */
  marked(name: string): void;
  /** Marks sent and not yet echoed. */
  readonly pendingMarks: readonly string[];
  close(): void;
}

/**
 * Sending audio into a Twilio call. Only a bidirectional stream (`<Connect><Stream>`) plays audio, and only to the
 * party connected to the stream, so the capability is playToCustomer when that party is the customer; whisper and
 * barge never exist on a Media Stream. Audio goes out as 20 ms base64 μ-law `media` messages; each burst ends with a
 * `mark` so playback can be followed.
 */
export function createTwilioPlayback(o: {
  streamSid: string; canPlay: boolean; socket: TapSocket; clock: Clock; log: Logger; onDropped(count: number): void;
}): TwilioPlayback {
  const pending: string[] = [];
  let bursts = 0;
  let cancelBurst: (() => void) | undefined;
  let closed = false;

  const send = (msg: Record<string, unknown>) => o.socket.sendJson({ ...msg, streamSid: o.streamSid });
  const mark = (name: string) => {
    if (send({ event: 'mark', mark: { name } })) pending.push(name);
  };

  return {
    capabilities: o.canPlay ? TWILIO_PLAY_TO_CUSTOMER : TWILIO_LISTEN_ONLY,
    get pendingMarks() { return pending; },
    inject(target, pcm) {
      if (!o.canPlay || target !== 'customer') {
        throw new AppError(`a Twilio stream cannot send audio to ${target === 'customer' ? 'this call' : `the ${target === 'both' ? 'agent and customer' : 'agent only'}`}`, { status: 409 });
      }
      if (closed) return;
      let dropped = 0;
      for (const frame of frames(pcm, FRAME_SAMPLES)) {
        const payload = Buffer.from(encodeMuLaw(frame)).toString('base64');
        if (!send({ event: 'media', media: { payload } })) dropped++;
      }
      if (dropped) o.onDropped(dropped);
      cancelBurst?.();
      cancelBurst = o.clock.setTimer(BURST_GAP_MS, () => {
        cancelBurst = undefined;
        mark(`callsight-${++bursts}`);
      });
    },
    mark,
    clear() {
      send({ event: 'clear' });
    },
    marked(name) {
      const i = pending.indexOf(name);
      if (i >= 0) pending.splice(0, i + 1);
      o.log.debug({ mark: name }, 'Twilio played up to mark');
    },
    close() {
      closed = true;
      cancelBurst?.();
    },
  };
}
