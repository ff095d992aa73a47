import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { ListenPacket } from '../monitor/types.js';

export interface AudioOutletOptions {
  /** Packets held for a listener that is behind; beyond it the oldest is dropped. */
  capacity: number;
  /** Socket bytes queued above which audio waits in the outlet instead. */
  maxBufferedBytes: number;
  /** A ping unanswered for longer than this marks the listener as lagging (its audio waits, then drops). */
  maxLagMs: number;
  /** A ping unanswered this long means the peer is gone (default 30 s). */
  deadAfterMs?: number;
  onSent(packet: ListenPacket): void;
  onDropped(count: number): void;
  onDead(): void;
}

export interface AudioOutlet {
  push(packet: ListenPacket): void;
  /** Forgets queued audio (monitor stopped or switched). */
  clear(): void;
  /** Whether the listener is behind right now (for tests and logs). */
  readonly lagging: boolean;
  readonly queued: number;
  close(): void;
}

/**
 * The listen audio path into one supervisor's socket. Audio goes straight out while the listener keeps up; when the
 * socket has more than `maxBufferedBytes` queued, or has not answered a ping for `maxLagMs` (a stalled reader fills
 * the kernel's buffers — megabytes on loopback — long before the socket's own queue grows), packets wait in a
 * bounded queue and the oldest are dropped first. So a slow listener costs the call one array push per frame and
 * hears the most recent audio when it catches up, never minutes-old audio.
 */
export function createAudioOutlet(ws: WebSocket, o: AudioOutletOptions): AudioOutlet {
  const queue: ListenPacket[] = [];
  const pingEveryMs = Math.max(50, Math.floor(o.maxLagMs / 2));
  let pingSentAt: number | undefined;
  let closed = false;

  const lagging = () => pingSentAt !== undefined && performance.now() - pingSentAt > o.maxLagMs;
  const ready = () => ws.readyState === WebSocket.OPEN && ws.bufferedAmount < o.maxBufferedBytes && !lagging();

  function send(p: ListenPacket): void {
    ws.send(p.data, { binary: true }, flushSoon);
    o.onSent(p);
  }
  function flush(): void {
    while (queue.length && ready()) send(queue.shift()!);
  }
  let flushing = false;
  function flushSoon(): void {
    if (flushing || closed || !queue.length) return;
    flushing = true;
    setImmediate(() => { flushing = false; flush(); });
  }

  const onPong = () => {
    pingSentAt = undefined;
    flush();
  };
  ws.on('pong', onPong);
  const pinger = setInterval(() => {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (pingSentAt !== undefined) {
      if (performance.now() - pingSentAt > (o.deadAfterMs ?? 30_000)) o.onDead();
      return;
    }
    pingSentAt = performance.now();
    ws.ping();
  }, pingEveryMs);
  pinger.unref();

  return {
    get lagging() { return lagging(); },
    get queued() { return queue.length; },
    push(p) {
      if (closed) return;
      if (!queue.length && ready()) { send(p); return; }
      queue.push(p);
      if (queue.length > o.capacity) {
        queue.shift();
        o.onDropped(1);
      }
      flush();
    },
    clear() { queue.length = 0; },
    close() {
      closed = true;
      clearInterval(pinger);
      ws.off('pong', onPong);
      queue.length = 0;
    },
  };
}
