import { performance } from 'node:perf_hooks';
import type { Logger } from '../../core/index.js';
import { STREAM_ID } from '../monitor/audio-frame.js';
import type { MonitorMetrics } from '../monitor/metrics.js';
import { LISTEN_FRAME_MS } from '../monitor/stream-encoder.js';
import {
  MODE_TARGET, type InjectionHandle, type ListenStream, type ListenSubscription, type MonitorMode, type MonitorRelay, type Monitorer,
} from '../monitor/types.js';
import type { AudioOutlet } from './audio-outlet.js';
import type { MonitorAudit } from './monitor-audit.js';
import type { RequestId, ServerMessage, StopReason, StreamDescription } from './protocol.js';

interface Active {
  callId: string;
  mode: MonitorMode;
  streams: ListenStream[];
  rate: number;
  sub: ListenSubscription;
  listenStartedAt: number;
  injection?: InjectionHandle;
  talkStartedAt: number;
}

export interface MonitorSession {
  readonly callId: string | undefined;
  start(id: RequestId, callId: string, mode: MonitorMode, streams: ListenStream[]): Promise<void>;
  update(id: RequestId, change: { mode?: MonitorMode; streams?: ListenStream[] }): Promise<void>;
  /** Stops listening and talking; false when nothing was running. */
  stop(reason: StopReason, id?: RequestId): boolean;
  /** One Opus packet from the supervisor's microphone (binary message). */
  microphone(opus: Uint8Array, receivedAt: number): void;
}

/**
 * One supervisor socket's monitor: at most one call at a time, in one mode — listen, whisper (listen + talk to the
 * agent) or barge (listen + talk to both) — switchable without reconnecting. Listening goes on across mode switches;
 * talking holds the call's floor. Every start and stop of listen, whisper and barge is audited with its duration.
 * Requests are handled one at a time by the caller; audio (`microphone`) goes straight to the injection.
 */
export function createMonitorSession(o: {
  relay: MonitorRelay; audit: MonitorAudit; outlet: AudioOutlet; who: Monitorer; notifyTone: boolean;
  send(msg: ServerMessage): void; log: Logger; metrics: MonitorMetrics;
}): MonitorSession {
  let active: Active | undefined;

  const describe = (streams: ListenStream[], rate: number): StreamDescription[] =>
    streams.map((stream) => ({ stream, id: STREAM_ID[stream], codec: 'opus', rate, channels: 1, frameMs: LISTEN_FRAME_MS }));

  function stopTalking(a: Active, reason: StopReason): void {
    if (!a.injection) return;
    a.injection.close();
    a.injection = undefined;
    o.audit.stopped(o.who.userId, a.mode, a.callId, performance.now() - a.talkStartedAt, reason);
  }

  function stop(reason: StopReason, id?: RequestId): boolean {
    const a = active;
    if (!a) return false;
    active = undefined;
    stopTalking(a, reason);
    a.sub.close();
    o.outlet.clear();
    o.audit.stopped(o.who.userId, 'listen', a.callId, performance.now() - a.listenStartedAt, reason);
    o.log.info({ callId: a.callId, reason }, 'monitor stopped');
    o.send({ type: 'monitor.stopped', ...(id === undefined ? {} : { id }), callId: a.callId, reason });
    return true;
  }

  return {
    get callId() { return active?.callId; },
    async start(id, callId, mode, streams) {
      if (active) stop('replaced');
      const info = await o.relay.describe(callId);
      if (!info) {
        o.send({ type: 'error', id, code: 'not_found', message: `no live call ${callId} to monitor` });
        return;
      }
      let injection: InjectionHandle | undefined;
      if (mode !== 'listen') {
        const r = await o.relay.openInjection(callId, MODE_TARGET[mode], o.who, { notifyTone: o.notifyTone });
        if (!r.ok) {
          o.send({ type: 'monitor.refused', id, callId, mode, reason: r.reason, capabilities: info.capabilities });
          return;
        }
        injection = r.handle;
      }
      if (active) stop('replaced'); // another start overtook this one while it awaited
      // Packets and the end are ours once the monitor is recorded below (closing the subscription stops both).
      const gate = { open: false };
      const sub = o.relay.listen(callId, streams, {
        onPacket: (p) => { if (gate.open) o.outlet.push(p); },
        onEnded: (reason) => { if (gate.open) stop(reason === 'call-interrupted' ? 'call-interrupted' : 'call-ended'); },
      });
      if (!sub) {
        injection?.close();
        o.send({ type: 'error', id, code: 'not_found', message: `call ${callId} is no longer live` });
        return;
      }
      const now = performance.now();
      active = { callId, mode, streams, rate: info.rate, sub, listenStartedAt: now, injection, talkStartedAt: now };
      gate.open = true;
      o.audit.started(o.who.userId, 'listen', callId, { streams });
      if (mode !== 'listen') o.audit.started(o.who.userId, mode, callId);
      o.log.info({ callId, mode, streams }, 'monitor started');
      o.send({ type: 'monitor.started', id, callId, mode, streams: describe(streams, info.rate), capabilities: info.capabilities });
    },
    async update(id, change) {
      const a = active;
      if (!a) {
        o.send({ type: 'error', id, code: 'no_monitor', message: 'no monitor is running: send monitor.start first' });
        return;
      }
      if (change.streams) {
        a.sub.setStreams(change.streams);
        a.streams = change.streams;
      }
      const mode = change.mode;
      if (mode && mode !== a.mode) {
        const refuse = async (reason: string) => {
          const capabilities = (await o.relay.describe(a.callId))?.capabilities ?? null;
          o.send({ type: 'monitor.refused', id, callId: a.callId, mode, reason, capabilities });
        };
        if (mode === 'listen') {
          stopTalking(a, 'requested');
        } else if (a.injection) {
          const why = await a.injection.retarget(MODE_TARGET[mode]);
          if (active !== a) return;
          if (why) return refuse(why);
          o.audit.stopped(o.who.userId, a.mode, a.callId, performance.now() - a.talkStartedAt, 'requested');
          o.audit.started(o.who.userId, mode, a.callId);
        } else {
          const r = await o.relay.openInjection(a.callId, MODE_TARGET[mode], o.who, { notifyTone: o.notifyTone });
          if (active !== a) {
            if (r.ok) r.handle.close();
            return;
          }
          if (!r.ok) return refuse(r.reason);
          a.injection = r.handle;
          o.audit.started(o.who.userId, mode, a.callId);
        }
        a.talkStartedAt = performance.now();
        o.log.info({ callId: a.callId, from: a.mode, to: mode }, 'monitor mode changed');
        a.mode = mode;
      }
      o.send({ type: 'monitor.updated', id, callId: a.callId, mode: a.mode, streams: describe(a.streams, a.rate) });
    },
    stop,
    microphone(opus, receivedAt) {
      const injection = active?.injection;
      if (!injection) {
        o.metrics.injectDropped('not_talking');
        return;
      }
      injection.send(opus, receivedAt);
    },
  };
}
