import type { Logger } from '../../core/index.js';
import { createAuditRepo, type Queryable } from '../../store/index.js';
import type { MonitorMode } from '../monitor/types.js';

export type MonitorAuditAction = `monitor.${MonitorMode}_started` | `monitor.${MonitorMode}_stopped`;

export interface MonitorAudit {
  started(actorId: string, mode: MonitorMode, callId: string, details?: Record<string, unknown>): void;
  stopped(actorId: string, mode: MonitorMode, callId: string, durationMs: number, reason: string): void;
  /** Settles when every entry so far is written. */
  idle(): Promise<void>;
}

/**
 * Audit entries for listen, whisper and barge (`monitor.listen_started`, `monitor.whisper_stopped`, …; target the
 * call; the stop carries how long it lasted). Written in order, off the audio path: a slow database never holds up
 * a supervisor's audio; a failed write is logged with everything it would have said.
 */
export function createMonitorAudit(o: { db: Queryable; log: Logger }): MonitorAudit {
  const audit = createAuditRepo(o.db);
  let chain: Promise<unknown> = Promise.resolve();
  function append(actorId: string, action: MonitorAuditAction, callId: string, details: Record<string, unknown>): void {
    chain = chain.then(() => audit.append({ actorId, action, targetType: 'call', targetId: callId, details })).catch((err: unknown) => {
      o.log.error({ err, actorId, action, callId, details }, 'could not write a monitor audit entry');
    });
  }
  return {
    started(actorId, mode, callId, details = {}) {
      append(actorId, `monitor.${mode}_started`, callId, details);
    },
    stopped(actorId, mode, callId, durationMs, reason) {
      append(actorId, `monitor.${mode}_stopped`, callId, { durationMs: Math.round(durationMs), reason });
    },
    idle: async () => { await chain; },
  };
}
