import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { EndState, PreparedMedia, ProtocolConnection } from './connection.js';
import { createPacer } from './pacer.js';
import { delay } from './sim-socket.js';
import type { Channel, LagStats, SimDtmf, SimFaults } from './types.js';

export interface StreamProgress {
  frame: number;
  frameCount: number;
  audioMs: number;
  lagMs: number;
}

export interface StreamResult {
  end: EndState;
  framesSent: Record<Channel, number>;
  audioBytes: number;
  skippedFrames: number;
  lostFrames: number;
  reconnects: number;
  audioMs: number;
  wallMs: number;
  sendLag: LagStats;
  /** Most bytes ever queued in the socket right after a frame was sent (bounded by the high-water mark at speed 0). */
  peakBufferedBytes: number;
}

/** Every this many frames at speed 0 the loop yields to the event loop so replies are handled. */
const YIELD_EVERY = 25;

/**
 * Streams prepared media over one protocol connection: connect, frames on a drift-free schedule (or as fast as the
 * socket drains at speed 0), faults, then the protocol's end. The connection is disposed whatever happens.
 */
export async function streamCall(conn: ProtocolConnection, media: PreparedMedia, opts: {
  speed: number;
  signal: AbortSignal;
  faults?: SimFaults;
  dtmf?: readonly SimDtmf[];
  onProgress?: (p: StreamProgress) => void;
}): Promise<StreamResult> {
  const { signal, faults = {} } = opts;
  const pacer = createPacer({ frameMs: media.frameMs, speed: opts.speed });
  const skip = new Set(faults.skipFrames ?? []);
  const dtmf = [...(opts.dtmf ?? [])].sort((a, b) => a.atMs - b.atMs);
  const framesSent: Record<Channel, number> = { agent: 0, customer: 0 };
  const wallStart = performance.now();
  let audioBytes = 0;
  let skipped = 0;
  let lost = 0;
  let reconnects = 0;
  let dropped = false;
  let peakBuffered = 0;
  let end: EndState | undefined;
  let k = 0;
  let di = 0;

  try {
    await conn.connect(signal);
    pacer.start();
    while (k < media.frameCount && !signal.aborted && !conn.serverEnded) {
      try {
        await pacer.waitFor(k, AbortSignal.any([signal, conn.endedSignal]));
      } catch {
        break; // aborted, or the server ended the call while we waited
      }
      const atMs = k * media.frameMs;
      if (faults.dropAtMs !== undefined && !dropped && atMs >= faults.dropAtMs) {
        dropped = true;
        conn.drop();
        if (faults.reconnectAfterMs === undefined) { end = { outcome: 'dropped' }; break; }
        await delay(faults.reconnectAfterMs, signal);
        if (signal.aborted) { end = { outcome: 'aborted', reason: 'aborted while disconnected' }; break; }
        await conn.connect(signal, true);
        reconnects += 1;
        const next = Math.min(media.frameCount, Math.max(k, pacer.firstDueFrame()));
        if (next > k) { conn.lost(k, next - k); lost += next - k; }
        k = next;
        continue;
      }
      for (; di < dtmf.length && dtmf[di].atMs <= atMs; di++) conn.sendDtmf?.(dtmf[di].digit);
      conn.beforeFrame?.(k);
      if (skip.has(k) || !conn.audioActive()) {
        conn.skipFrame(k);
        skipped += 1;
      } else {
        if (!pacer.realTime) {
          try {
            await conn.writable(signal);
          } catch {
            break; // aborted while the socket was full
          }
          if (k % YIELD_EVERY === 0) await yieldToLoop();
        }
        const sent = conn.sendFrame(k);
        const lagMs = pacer.markSent(k);
        peakBuffered = Math.max(peakBuffered, conn.bufferedAmount());
        audioBytes += sent.bytes;
        for (const c of sent.channels) framesSent[c] += 1;
        if (opts.onProgress && k % 50 === 0) opts.onProgress({ frame: k, frameCount: media.frameCount, audioMs: atMs, lagMs });
      }
      k += 1;
    }
    const why = signal.aborted ? 'abort' : 'end';
    end ??= await conn.end(why, AbortSignal.timeout(15_000));
    opts.onProgress?.({ frame: k, frameCount: media.frameCount, audioMs: k * media.frameMs, lagMs: 0 });
  } finally {
    conn.dispose();
  }
  return {
    end, framesSent, audioBytes, skippedFrames: skipped, lostFrames: lost, reconnects,
    audioMs: k * media.frameMs, wallMs: Math.round(performance.now() - wallStart), sendLag: pacer.stats(),
    peakBufferedBytes: peakBuffered,
  };
}
