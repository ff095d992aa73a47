import { performance } from 'node:perf_hooks';
import { createOpusDecoder, type OpusDecoder } from '../../audio/index.js';
import { injectionRefusal, type CallSession, type InjectTarget } from '../../calls/index.js';
import { ValidationError, type Logger } from '../../core/index.js';
import type { MonitorMetrics } from './metrics.js';
import { notifyTone } from './notify-tone.js';
import type { InjectionHandle, InjectionResult, Monitorer } from './types.js';

const TALKING: Record<InjectTarget, string> = { agent: 'whispering', both: 'barging', customer: 'talking to the customer' };

export interface CallFloor {
  /** Opens an injection for `who`, or says why not (capabilities, another supervisor talking). */
  open(session: CallSession, target: InjectTarget, who: Monitorer, opts?: { notifyTone?: boolean }): InjectionResult;
  /** Who talks on the call now, if anyone. */
  holder(callId: string): { who: Monitorer; target: InjectTarget } | undefined;
}

/**
 * Who may talk into a call. One supervisor per call at a time, whisper or barge: the tap carries a single
 * injection stream per target and two voices sent into it would interleave rather than mix, so "at most one
 * barging supervisor" is kept as "at most one talking supervisor". Supervisor audio is decoded straight to the
 * call's rate (libopus decodes any packet at 8, 16 or 48 kHz, so no resampler sits in the path) and handed to the
 * session's injection path the moment it arrives.
 */
export function createCallFloor(o: { log: Logger; metrics: MonitorMetrics }): CallFloor {
  const floors = new Map<string, { who: Monitorer; handle: InjectionHandle }>();

  return {
    holder(callId) {
      const f = floors.get(callId);
      return f && { who: f.who, target: f.handle.target };
    },
    open(session, target, who, opts = {}) {
      const refusal = injectionRefusal(session.capabilities, target, session.connected);
      if (refusal) return { ok: false, reason: refusal };
      const taken = floors.get(session.id);
      if (taken) return { ok: false, reason: `${taken.who.username} is already ${TALKING[taken.handle.target]} on this call; only one supervisor can talk at a time` };
      let decoder: OpusDecoder;
      try {
        decoder = createOpusDecoder(session.rate, 1);
      } catch (err) {
        o.log.error({ err, callId: session.id }, 'no Opus decoder for supervisor audio');
        return { ok: false, reason: 'the Opus codec is not available on this server' };
      }
      let current: InjectTarget = target;
      let closed = false;
      const log = o.log.child({ callId: session.id, supervisor: who.username });
      const handle: InjectionHandle = {
        get target() { return current; },
        async retarget(next) {
          if (closed) return 'the injection was closed';
          const why = injectionRefusal(session.capabilities, next, session.connected);
          if (why) return why;
          current = next;
          return undefined;
        },
        send(opus, receivedAt) {
          if (closed) { o.metrics.injectDropped('not_talking'); return; }
          let pcm: Int16Array;
          try {
            pcm = decoder.decode(opus);
          } catch (err) {
            o.metrics.injectDropped('bad_packet');
            if (!(err instanceof ValidationError)) log.warn({ err }, 'supervisor audio could not be decoded');
            return;
          }
          try {
            session.inject(current, pcm);
          } catch (err) {
            // The tap went away (waiting for a resume) or the call ended: this frame is lost, the next may pass.
            o.metrics.injectDropped('tap_unavailable');
            log.debug({ err }, 'supervisor audio not injected');
            return;
          }
          o.metrics.injected((performance.now() - receivedAt) / 1000);
        },
        close() {
          if (closed) return;
          closed = true;
          if (floors.get(session.id)?.handle === handle) floors.delete(session.id);
        },
      };
      floors.set(session.id, { who, handle });
      if (opts.notifyTone && !injectionRefusal(session.capabilities, 'agent', session.connected)) {
        try {
          session.inject('agent', notifyTone(session.rate));
        } catch (err) {
          log.warn({ err }, 'could not play the notification tone');
        }
      }
      return { ok: true, handle };
    },
  };
}
