import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LagStats } from './types.js';

export interface PacerOptions {
  /** Duration of one frame on the call timeline. */
  frameMs: number;
  /** 1 = real time, 2 = twice as fast, 0 = no schedule (as fast as the transport accepts). */
  speed: number;
  /** Monotonic clock in ms (tests may inject one). */
  now?: () => number;
}

/**
 * A drift-free frame schedule: frame k is due at t0 + k·frameMs/speed, computed from the start every time rather
 * than chained from the previous timer, so timer lateness never accumulates. Records how late each frame went out.
 */
export function createPacer(opts: PacerOptions) {
  const now = opts.now ?? (() => performance.now());
  const realTime = opts.speed > 0;
  const slotMs = realTime ? opts.frameMs / opts.speed : 0;
  let t0: number | undefined;
  const lags: number[] = [];

  const start = () => { t0 ??= now(); return t0; };
  const dueAt = (k: number) => start() + k * slotMs;

  return {
    realTime,
    /** Starts the clock (the first `waitFor` does it too). */
    start,
    dueAt,
    /** Resolves when frame k is due (at once when it is already due, or at speed 0). Rejects when `signal` aborts. */
    async waitFor(k: number, signal?: AbortSignal): Promise<void> {
      if (!realTime) return;
      for (;;) {
        const wait = dueAt(k) - now();
        if (wait <= 0) return;
        await sleep(Math.ceil(wait), undefined, { signal });
      }
    },
    /** Notes that frame k went out now; returns its lag in ms. */
    markSent(k: number): number {
      if (!realTime) return 0;
      const lag = Math.max(0, now() - dueAt(k));
      lags.push(lag);
      return lag;
    },
    /** The first frame whose slot has not yet passed (after an outage, earlier frames count as lost). */
    firstDueFrame(): number {
      if (!realTime) return 0;
      return Math.max(0, Math.ceil((now() - start()) / slotMs));
    },
    /** Wall ms the timeline position `ms` maps to from the start (ms at speed 0). */
    wallMsFor(ms: number): number {
      return realTime ? ms / opts.speed : 0;
    },
    stats(): LagStats {
      return lagStats(lags);
    },
  };
}
export type Pacer = ReturnType<typeof createPacer>;

/** Nearest-rank percentiles. */
export function lagStats(values: readonly number[]): LagStats {
  if (values.length === 0) return { count: 0, meanMs: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const pick = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    count: sorted.length,
    meanMs: round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
    p50Ms: round(pick(0.5)),
    p95Ms: round(pick(0.95)),
    p99Ms: round(pick(0.99)),
    maxMs: round(sorted[sorted.length - 1]),
  };
}
