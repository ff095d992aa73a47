import { randomUUID } from 'node:crypto';
import { decodeAudioFrame } from './audio-frame.js';
import type { ClusterClient } from './cluster-client.js';
import { channel, endedNotice, LEASE_RENEW_MS, parseJson, unstamp } from './cluster-protocol.js';
import type { Relay } from '../relay.js';
import type { ListenHandlers, ListenStream, ListenSubscription } from './types.js';

/** Renewals in a row without an answer after which the holder is taken for gone. */
const MAX_MISSED_RENEWALS = 2;

/**
 * Listening to a call held by another node: a lease there (renewed), this node subscribed to the call's stream
 * channels. Packets arrive as the holder encoded them, stamped with the time their audio reached the holder.
 */
export function listenRemotely(o: {
  client: ClusterClient; relay: Relay; callId: string; streams: readonly ListenStream[]; handlers: ListenHandlers;
}): ListenSubscription {
  const { callId } = o;
  const lease = randomUUID();
  const offs = new Map<ListenStream, () => void>();
  let streams = [...o.streams];
  let closed = false;
  let missed = 0;

  const onPacket = (stream: ListenStream) => (payload: Buffer) => {
    const stamped = unstamp(payload);
    const decoded = stamped && decodeAudioFrame(stamped.data);
    if (!stamped || !decoded?.ok) return;
    const { seq, timestampMs } = decoded.frame;
    o.handlers.onPacket({ stream, seq, timestampMs, data: stamped.data, capturedAt: stamped.at });
  };
  function subscribeStreams(): void {
    for (const [s, off] of offs) if (!streams.includes(s)) { off(); offs.delete(s); }
    for (const s of streams) if (!offs.has(s)) offs.set(s, o.relay.subscribe(channel.listen(callId, s), onPacket(s)));
  }
  function end(reason: 'call-ended' | 'call-interrupted' | 'gone'): void {
    if (closed) return;
    close();
    o.handlers.onEnded(reason);
  }
  async function renew(): Promise<void> {
    const reply = await o.client.ask({ op: 'listen', callId, lease, streams });
    if (closed) return;
    if (reply?.ok) missed = 0;
    else if (reply || ++missed >= MAX_MISSED_RENEWALS) end('gone');
  }
  function close(): void {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    for (const off of offs.values()) off();
    offs.clear();
    offEnded();
    o.client.tell({ op: 'unlisten', callId, lease });
  }

  const offEnded = o.relay.subscribe(channel.ended(callId), (payload) => {
    const notice = endedNotice.safeParse(parseJson(payload));
    if (notice.success) end(notice.data.reason);
  });
  subscribeStreams();
  const timer = setInterval(() => void renew(), LEASE_RENEW_MS);
  timer.unref();
  void renew();

  return {
    setStreams(next) {
      if (closed) return;
      streams = [...next];
      subscribeStreams();
      void renew();
    },
    close,
  };
}
