import { randomBytes } from 'node:crypto';
import type { RedisOptions } from 'ioredis';
import type { Logger } from '../core/index.js';
import { closeRedisConnection, openRedisConnection, type RedisDropReason } from './redis-bus.js';
import { createLocalFanout, type Relay } from './relay.js';

export interface RedisRelayOptions {
  url: string;
  log: Logger;
  /** Prepended to every channel name in Redis (default `callsight:relay:`). */
  prefix?: string;
  /** Payloads sent but not yet acknowledged above which new ones are dropped (drop-newest). Default 1000. */
  maxPending?: number;
  onHandlerError?: (err: unknown) => void;
  /** A payload did not reach other nodes: counted for /metrics by the caller. */
  onDropped?: (reason: RedisDropReason) => void;
  redis?: Partial<RedisOptions>;
}

/** Bytes of the publishing relay's id that precede each payload on the wire (so a node skips its own echo). */
const ORIGIN_BYTES = 9;

/**
 * The relay across nodes: one Redis pub/sub channel per relay channel, subscribed while this node has a handler for
 * it (renewed after a reconnect). Payloads published while Redis is unreachable are dropped at once (no offline
 * queue: stale audio is worse than a gap) and reported through `onDropped`; this node's subscribers always get them.
 */
export function createRedisRelay(opts: RedisRelayOptions): Relay {
  const { log } = opts;
  const prefix = opts.prefix ?? 'callsight:relay:';
  const maxPending = opts.maxPending ?? 1000;
  const origin = randomBytes(ORIGIN_BYTES);
  const fanout = createLocalFanout(opts.onHandlerError);
  const dropped = (reason: RedisDropReason) => opts.onDropped?.(reason);
  /** Channels (relay names) whose Redis subscription is confirmed on the current connection. */
  const active = new Set<string>();
  const waiters = new Set<() => void>();
  let pending = 0;
  let closed = false;

  const wanted = () => fanout.channels();
  const checkWaiters = () => {
    if (pub.status === 'ready' && wanted().every((c) => active.has(c))) for (const w of [...waiters]) w();
  };
  const subscribeInRedis = (channel: string) => {
    if (sub.status !== 'ready') return; // the 'ready' handler subscribes everything wanted
    sub.subscribe(prefix + channel).then(() => {
      if (wanted().includes(channel)) active.add(channel);
      else void sub.unsubscribe(prefix + channel).catch(() => {});
      checkWaiters();
    }, (err: unknown) => log.warn({ err, channel }, 'relay subscribe failed; retried on reconnect'));
  };

  const pub = openRedisConnection({
    url: opts.url, log, role: 'relay-publisher', redis: { enableOfflineQueue: false, enableAutoPipelining: true, ...opts.redis },
    onReady: () => checkWaiters(),
  });
  const sub = openRedisConnection({
    url: opts.url, log, role: 'relay-subscriber', redis: opts.redis,
    onReady: () => {
      active.clear();
      for (const channel of wanted()) subscribeInRedis(channel);
    },
  });
  sub.on('close', () => active.clear());
  sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
    if (closed) return;
    if (message.length < ORIGIN_BYTES) {
      dropped('malformed');
      return;
    }
    if (message.subarray(0, ORIGIN_BYTES).equals(origin)) return;
    const name = channel.toString('utf8');
    if (!name.startsWith(prefix)) return;
    fanout.deliver(name.slice(prefix.length), message.subarray(ORIGIN_BYTES));
  });

  return {
    publish(channel, payload) {
      if (closed) return;
      fanout.deliver(channel, payload);
      if (pub.status !== 'ready') {
        dropped('unreachable');
        return;
      }
      if (pending >= maxPending) {
        dropped('backlog');
        return;
      }
      pending++;
      pub.publish(prefix + channel, Buffer.concat([origin, payload]))
        .catch(() => dropped('send-failed'))
        .finally(() => { pending--; });
    },
    subscribe(channel, handler) {
      if (closed) return () => {};
      const { first, remove } = fanout.add(channel, handler);
      if (first) subscribeInRedis(channel);
      return () => {
        if (!remove().last) return;
        active.delete(channel);
        if (sub.status === 'ready') {
          sub.unsubscribe(prefix + channel).catch((err: unknown) => log.debug({ err, channel }, 'relay unsubscribe failed'));
        }
      };
    },
    whenSubscribed() {
      return new Promise<void>((resolve) => {
        const done = () => { waiters.delete(done); resolve(); };
        waiters.add(done);
        checkWaiters();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      fanout.clear();
      for (const w of [...waiters]) w();
      await Promise.all([closeRedisConnection(sub), closeRedisConnection(pub)]);
    },
  };
}
