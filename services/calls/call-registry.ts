import { randomUUID } from 'node:crypto';
import type { Logger } from '../core/index.js';
import { createCallSession, type CallSession } from './call-session.js';
import type { CallMeta, CallStatus, SampleRate, TapPort } from './types.js';

export interface CallLifecycle {
  /** A new call began (not called on resume). Sinks added here see every frame. */
  started(session: CallSession): void;
  /** The call finished with this status (after its sinks finished). */
  finished(session: CallSession, status: Exclude<CallStatus, 'live'>): Promise<void> | void;
  resumed?(session: CallSession): void;
}

export interface CallRegistry {
  /** Opens a call for a tap, or resumes the live call with the same protocol and external id. */
  open(meta: CallMeta, rate: SampleRate, port: TapPort): { session: CallSession; resumed: boolean };
  /** The tap closed the call properly. */
  end(session: CallSession): Promise<void>;
  /** The tap vanished without closing: the call waits `interruptGraceMs` for a resume, then is marked interrupted. */
  disconnected(session: CallSession): void;
  get(id: string): CallSession | undefined;
  live(): CallSession[];
  /** Ends every call (process shutdown): live calls are marked interrupted. */
  shutdown(): Promise<void>;
}

export function createCallRegistry(opts: {
  log: Logger; lifecycle: CallLifecycle; maxSkewMs: number; interruptGraceMs: number;
}): CallRegistry {
  const byId = new Map<string, CallSession>();
  const byExternal = new Map<string, CallSession>();
  const graceTimers = new Map<string, NodeJS.Timeout>();
  const key = (m: CallMeta) => `${m.protocol}:${m.externalId}`;

  async function finish(session: CallSession, status: Exclude<CallStatus, 'live'>): Promise<void> {
    clearTimeout(graceTimers.get(session.id));
    graceTimers.delete(session.id);
    if (!byId.has(session.id)) return;
    byId.delete(session.id);
    byExternal.delete(key(session.meta));
    await session.finish(status);
    try {
      await opts.lifecycle.finished(session, status);
    } catch (err) {
      opts.log.error({ err, callId: session.id }, 'call finish hook failed');
    }
  }

  return {
    open(meta, rate, port) {
      const existing = byExternal.get(key(meta));
      if (existing) {
        if (existing.connected) throw new Error(`call ${meta.externalId} is already connected`);
        clearTimeout(graceTimers.get(existing.id));
        graceTimers.delete(existing.id);
        existing.attach(port);
        opts.lifecycle.resumed?.(existing);
        opts.log.info({ callId: existing.id }, 'call resumed');
        return { session: existing, resumed: true };
      }
      const session = createCallSession({ id: randomUUID(), meta, rate, port, maxSkewMs: opts.maxSkewMs, log: opts.log });
      byId.set(session.id, session);
      byExternal.set(key(meta), session);
      opts.lifecycle.started(session);
      return { session, resumed: false };
    },
    end: (session) => finish(session, 'ended'),
    disconnected(session) {
      if (!byId.has(session.id)) return;
      session.detach();
      opts.log.warn({ callId: session.id, graceMs: opts.interruptGraceMs }, 'tap disconnected without closing; waiting for resume');
      graceTimers.set(session.id, setTimeout(() => void finish(session, 'interrupted'), opts.interruptGraceMs));
    },
    get: (id) => byId.get(id),
    live: () => [...byId.values()],
    async shutdown() {
      await Promise.all([...byId.values()].map((s) => finish(s, 'interrupted')));
    },
  };
}
