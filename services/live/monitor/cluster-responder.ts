import type { Logger } from '../../core/index.js';
import type { Relay } from '../relay.js';
import {
  channel, LEASE_TTL_MS, parseJson, requestEnvelope, stamp, toPayload, unstamp, type ClusterAnswer, type ClusterRequest,
} from './cluster-protocol.js';
import type { InjectionHandle, ListenStream, ListenSubscription, MonitorRelay } from './types.js';

interface CallPublisher { sub: ListenSubscription; leases: Map<string, { streams: ListenStream[]; expiresAt: number }> }
interface RemoteInjection { callId: string; handle: InjectionHandle; expiresAt: number; off: () => void }

/**
 * The holder's side of cluster monitoring: answers other nodes' requests about the calls `local` reaches. Listen
 * audio of a call is taken once (the union of all leases' streams) and published once per frame on the call's
 * stream channels, whatever the number of remote listeners; supervisor audio arrives on the injection's channel
 * and goes into the local injection. Leases not renewed in time are dropped (listen) or closed (talk).
 */
export function createClusterResponder(o: { local: MonitorRelay; relay: Relay; log: Logger }): { close(): void } {
  const now = Date.now;
  const publishers = new Map<string, CallPublisher>();
  const injections = new Map<string, RemoteInjection>();

  function refresh(callId: string): void {
    const p = publishers.get(callId);
    if (!p) return;
    if (!p.leases.size) {
      publishers.delete(callId);
      p.sub.close();
      return;
    }
    const wanted = new Set<ListenStream>();
    for (const l of p.leases.values()) for (const s of l.streams) wanted.add(s);
    p.sub.setStreams([...wanted]);
  }

  function listen(callId: string, lease: string, streams: ListenStream[]): boolean {
    let p = publishers.get(callId);
    if (!p) {
      const sub = o.local.listen(callId, streams, {
        onPacket: (packet) => o.relay.publish(channel.listen(callId, packet.stream), stamp(packet.capturedAt, packet.data)),
        onEnded: (reason) => {
          publishers.delete(callId);
          o.relay.publish(channel.ended(callId), toPayload({ reason }));
        },
      });
      if (!sub) return false;
      p = { sub, leases: new Map() };
      publishers.set(callId, p);
    }
    p.leases.set(lease, { streams, expiresAt: now() + LEASE_TTL_MS });
    refresh(callId);
    return true;
  }

  function closeInjection(id: string): void {
    const inj = injections.get(id);
    if (!inj) return;
    injections.delete(id);
    inj.off();
    inj.handle.close();
  }

  async function inject(r: Extract<ClusterRequest, { op: 'inject' }>): Promise<ClusterAnswer> {
    const opened = await o.local.openInjection(r.callId, r.target, r.who, { notifyTone: r.notifyTone });
    if (!opened.ok) return opened;
    const { handle } = opened;
    const off = o.relay.subscribe(channel.inject(r.injection), (payload) => {
      const audio = unstamp(payload);
      if (audio) handle.send(audio.data, audio.at);
    });
    injections.set(r.injection, { callId: r.callId, handle, expiresAt: now() + LEASE_TTL_MS, off });
    await o.relay.whenSubscribed(); // the asker sends audio as soon as it hears "ok"
    return { ok: true };
  }

  async function answer(r: ClusterRequest): Promise<ClusterAnswer | undefined> {
    const info = await o.local.describe(r.callId);
    const inj = 'injection' in r ? injections.get(r.injection) : undefined;
    switch (r.op) {
      case 'describe':
        return info && { ok: true, info };
      case 'listen':
        if (!info) return publishers.get(r.callId)?.leases.delete(r.lease) ? { ok: false, reason: 'the call is not live' } : undefined;
        return listen(r.callId, r.lease, r.streams) ? { ok: true } : { ok: false, reason: 'the call is not live' };
      case 'unlisten':
        if (publishers.get(r.callId)?.leases.delete(r.lease)) refresh(r.callId);
        return undefined;
      case 'inject':
        return info && inject(r);
      case 'renew-injection':
        if (!inj) return undefined;
        if (!info) {
          closeInjection(r.injection);
          return { ok: false, reason: 'the call is not live' };
        }
        inj.expiresAt = now() + LEASE_TTL_MS;
        return { ok: true };
      case 'retarget': {
        if (!inj) return undefined;
        const why = await inj.handle.retarget(r.target);
        return why ? { ok: false, reason: why } : { ok: true };
      }
      case 'uninject':
        closeInjection(r.injection);
        return undefined;
    }
  }

  const offRequests = o.relay.subscribe(channel.requests, (payload) => {
    const parsed = requestEnvelope.safeParse(parseJson(payload));
    if (!parsed.success) {
      o.log.warn({ issues: parsed.error.issues.slice(0, 3) }, 'malformed monitor request from another node ignored');
      return;
    }
    const { from, id, request } = parsed.data;
    answer(request).then((reply) => {
      if (reply) o.relay.publish(channel.replies(from), toPayload({ id, ...reply }));
    }, (err: unknown) => {
      o.log.error({ err, op: request.op, callId: request.callId }, 'monitor request from another node failed');
      o.relay.publish(channel.replies(from), toPayload({ id, ok: false, reason: 'the node holding the call failed to answer' }));
    });
  });

  const sweep = setInterval(() => {
    const t = now();
    for (const [callId, p] of publishers) {
      let changed = false;
      for (const [lease, l] of p.leases) if (l.expiresAt < t) changed = p.leases.delete(lease);
      if (changed) refresh(callId);
    }
    for (const [id, inj] of injections) {
      if (inj.expiresAt >= t) continue;
      o.log.warn({ callId: inj.callId }, 'a remote supervisor\'s talk lease expired: injection closed');
      closeInjection(id);
    }
  }, 1000);
  sweep.unref();

  return {
    close() {
      clearInterval(sweep);
      offRequests();
      for (const id of [...injections.keys()]) closeInjection(id);
      for (const p of publishers.values()) p.sub.close();
      publishers.clear();
    },
  };
}
