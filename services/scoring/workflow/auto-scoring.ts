import type { Logger } from '../../core/index.js';
import type { BusEvent, EventBus } from '../../live/index.js';
import type { Db } from '../../store/index.js';
import { evaluateStoredCall, evaluationPayload } from './store-evaluation.js';

const FINAL = new Set(['done', 'not-transcribed', 'failed']);

export interface AutoScoringOptions {
  db: Db;
  bus: EventBus;
  log: Logger;
  /** How often to look whether a call's speech results are all stored (default 200 ms). */
  pollMs?: number;
  /** How long to wait for them after the last event about the call (default 30 s); then what is stored is scored. */
  waitMs?: number;
}

export interface AutoScoring {
  /** Resolves when no call is being scored. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface Readiness { ended: boolean; transcription: string; sentimentStored: boolean }

/**
 * Scores every call once it has ended and its transcription is final (done, not transcribed or failed), against
 * every applicable published scorecard, and publishes `evaluation.created`. Bus events arrive before the speech
 * results they announce are stored, and call end and transcription end come in either order, so each event about a
 * call starts (or extends) a short watch that scores the call as soon as the store shows it complete: ended, final
 * status and, when not transcribed, the closing metrics. Each call and version is scored once (the store enforces it).
 */
export function createAutoScoring(opts: AutoScoringOptions): AutoScoring {
  const { db, bus, log } = opts;
  const pollMs = opts.pollMs ?? 200;
  const waitMs = opts.waitMs ?? 30_000;
  const watching = new Map<string, { deadline: number }>();
  const running = new Set<Promise<void>>();
  let closed = false;

  async function readiness(callId: string): Promise<Readiness | undefined> {
    const [row] = await db.query<{ status: string; transcription_status: string; sentiment_stored: boolean }>(
      `select c.status, c.transcription_status, (m.sentiment is not null) as sentiment_stored
       from calls c left join call_metrics m on m.call_id = c.id where c.id = $1`, [callId],
    );
    return row ? { ended: row.status !== 'live', transcription: row.transcription_status, sentimentStored: !!row.sentiment_stored } : undefined;
  }

  async function watch(callId: string): Promise<void> {
    const log1 = log.child({ callId, stage: 'auto-scoring' });
    for (;;) {
      const w = watching.get(callId);
      if (!w || closed) return;
      const r = await readiness(callId);
      // Not ended yet: its call.ended event is still to come and starts a new watch.
      if (!r || !r.ended) break;
      const final = FINAL.has(r.transcription);
      const complete = final && (r.transcription !== 'not-transcribed' || r.sentimentStored);
      if (complete || (final && Date.now() >= w.deadline)) {
        watching.delete(callId);
        const stored = await evaluateStoredCall(db, callId);
        for (const e of stored) bus.publish({ type: 'evaluation.created', callId, evaluation: evaluationPayload(e) });
        if (stored.length) log1.info({ evaluations: stored.map((e) => ({ scorecard: e.scorecard.id, overall: e.overall })) }, 'call scored');
        return;
      }
      if (Date.now() >= w.deadline) break;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    watching.delete(callId);
  }

  function trigger(callId: string): void {
    const deadline = Date.now() + waitMs;
    const w = watching.get(callId);
    if (w) {
      w.deadline = deadline;
      return;
    }
    watching.set(callId, { deadline });
    const p = watch(callId).catch((err: unknown) => {
      watching.delete(callId);
      log.error({ err, callId }, 'automatic scoring failed');
    }).finally(() => running.delete(p));
    running.add(p);
  }

  const unsubscribe = bus.subscribe((e: BusEvent) => {
    if (closed) return;
    if (e.type === 'call.ended' || e.type === 'call.interrupted' || e.type === 'sentiment.summarized') trigger(e.callId);
    else if (e.type === 'transcription.changed' && FINAL.has(e.status)) trigger(e.callId);
  });

  return {
    async idle() {
      while (running.size) await Promise.allSettled([...running]);
    },
    async close() {
      closed = true;
      unsubscribe();
      watching.clear();
      while (running.size) await Promise.allSettled([...running]);
    },
  };
}
