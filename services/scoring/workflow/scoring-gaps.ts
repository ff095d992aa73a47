import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Logger } from '../../core/index.js';
import type { EventBus } from '../../live/index.js';
import { createTranscriptRepo, type Db } from '../../store/index.js';
import { evaluateStoredCall, evaluationPayload } from './store-evaluation.js';

export interface ScoringGapsOptions {
  db: Db;
  bus: EventBus;
  log: Logger;
  /** Whether calls are transcribed. When not, a call is scored at its end on what there is (transcript questions go to review). */
  speechEnabled: boolean;
  /** How far back start-up looks for ended calls without an automatic evaluation (default 7 days). */
  lookBackDays?: number;
}

export interface ScoringGaps {
  /** Scores, in the background, ended calls that were missed (e.g. the server stopped before scoring them). */
  catchUp(): Promise<number>;
  idle(): Promise<void>;
  close(): Promise<void>;
}

const SPEECH_OFF = 'speech recognition is turned off';

/**
 * What automatic scoring at call end (auto-scoring.ts) cannot see: calls that ended while no server was there to score
 * them (scored at start-up: ended, transcription final, no automatic evaluation, within `lookBackDays`), and calls
 * with speech turned off, whose transcription never becomes final — they are marked not transcribed and scored at
 * once on their metadata (transcript questions go to review as not evaluable).
 */
export function createScoringGaps(opts: ScoringGapsOptions): ScoringGaps {
  const { db, bus, log } = opts;
  const lookBackDays = opts.lookBackDays ?? 7;
  const running = new Set<Promise<unknown>>();
  const abort = new AbortController();

  function track<T>(p: Promise<T>): Promise<T> {
    const q = p.finally(() => running.delete(q));
    running.add(q);
    return q;
  }

  async function score(callId: string): Promise<number> {
    const stored = await evaluateStoredCall(db, callId);
    for (const e of stored) bus.publish({ type: 'evaluation.created', callId, evaluation: evaluationPayload(e) });
    return stored.length;
  }

  /** With speech off: the call will never be transcribed; say so and score it. */
  async function untranscribed(callId: string): Promise<void> {
    const [row] = await db.query<{ status: string; transcription_status: string }>('select status, transcription_status from calls where id = $1', [callId]);
    if (!row || row.status === 'live' || row.transcription_status !== 'pending') return;
    await createTranscriptRepo(db).setTranscriptionStatus(callId, 'not-transcribed', { note: SPEECH_OFF });
    bus.publish({ type: 'transcription.changed', callId, status: 'not-transcribed', note: SPEECH_OFF });
    const n = await score(callId);
    if (n) log.info({ callId, evaluations: n }, 'call scored without a transcript (speech off)');
  }

  const unsubscribe = opts.speechEnabled ? () => undefined : bus.subscribe((e) => {
    if (abort.signal.aborted || (e.type !== 'call.ended' && e.type !== 'call.interrupted')) return;
    void track(untranscribed(e.callId).catch((err: unknown) => log.error({ err, callId: e.callId }, 'scoring an untranscribed call failed')));
  });

  async function catchUp(): Promise<number> {
    const statuses = opts.speechEnabled ? ['done', 'not-transcribed', 'failed'] : ['done', 'not-transcribed', 'failed', 'pending'];
    const rows = await db.query<{ id: string; transcription_status: string }>(
      `select c.id, c.transcription_status from calls c
       where c.status <> 'live' and c.transcription_status = any($1::text[]) and coalesce(c.ended_at, c.started_at) > now() - make_interval(days => $2)
         and not exists (select 1 from evaluations e where e.call_id = c.id and e.kind = 'auto')
       order by c.started_at`,
      [statuses, lookBackDays],
    );
    let scored = 0;
    for (const r of rows) {
      if (abort.signal.aborted) break;
      try {
        if (r.transcription_status === 'pending') await untranscribed(r.id);
        else scored += (await score(r.id)) ? 1 : 0;
      } catch (err) {
        log.error({ err, callId: r.id }, 'catching up on an unscored call failed');
      }
      await yieldToLoop();
    }
    if (scored) log.info({ calls: scored, candidates: rows.length }, 'scored calls missed before start-up');
    return scored;
  }

  return {
    catchUp: () => track(catchUp().catch((err: unknown) => {
      log.error({ err }, 'catching up on unscored calls failed');
      return 0;
    })),
    async idle() {
      while (running.size) await Promise.allSettled([...running]);
    },
    async close() {
      abort.abort();
      unsubscribe();
      while (running.size) await Promise.allSettled([...running]);
    },
  };
}
