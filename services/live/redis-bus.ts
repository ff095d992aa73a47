import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { truncate, type Logger } from '../core/index.js';
import { createInProcessBus, type EventBus } from './bus.js';
import type { BusEvent } from './events.js';

/** Why an event or payload did not reach the other nodes (local subscribers always get it). */
export type RedisDropReason = 'backlog' | 'send-failed' | 'unreachable' | 'malformed';

export interface RedisBusOptions {
  /** `redis://[user:password@]host:port[/db]` (`rediss://` for TLS). */
  url: string;
  log: Logger;
  /** The Redis channel every event travels on: nodes sharing a Redis and this name form one cluster. */
  channel?: string;
  /**
   * Events sent to Redis but not yet acknowledged (it is slow or unreachable and the client is reconnecting) above
   * which new events are not sent to other nodes: overflow policy drop-newest, reported through `onDropped`.
   * Local subscribers still get them. Default 10 000.
   */
  maxPending?: number;
  /** A subscriber threw: it is reported here and the other subscribers still get the event. */
  onHandlerError?: (err: unknown) => void;
  /** An event was not sent to, or not accepted from, other nodes (for /metrics). */
  onDropped?: (reason: RedisDropReason) => void;
  /** Extra ioredis options (tests shorten the reconnect delays). */
  redis?: Partial<RedisOptions>;
}

export interface RedisEventBus extends EventBus {
  /**
   * Settles once this node is subscribed, i.e. receives what other nodes publish from now on (after a reconnect the
   * subscription is renewed on its own). Never rejects: while Redis is unreachable it simply stays pending.
   */
  readonly ready: Promise<void>;
  /** Whether both connections to Redis are up right now. */
  connected(): boolean;
}

/** The wire form: the publishing bus instance (so it skips its own echo) and the event. */
interface Envelope { o: string; e: BusEvent }

const isEnvelope = (v: unknown): v is Envelope =>
  typeof v === 'object' && v !== null && typeof (v as Envelope).o === 'string'
  && typeof (v as Envelope).e === 'object' && (v as Envelope).e !== null && typeof (v as Envelope).e.type === 'string';

/** Where a URL points, without credentials (for logs). */
export function redisTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'redis (unparsable URL)';
  }
}

/**
 * One ioredis connection that never throws at its owner: connection errors are logged (once per outage, then at most
 * every 30 s), it reconnects forever with a capped back-off, and `onReady` runs after every (re)connection so the
 * caller can renew its subscriptions. Shared by the event bus and the relay.
 */
export function openRedisConnection(opts: {
  url: string; log: Logger; role: string; onReady?: () => void; redis?: Partial<RedisOptions>;
}): Redis {
  const log = opts.log.child({ redis: redisTarget(opts.url), role: opts.role });
  const client = new Redis(opts.url, {
    // Subscriptions are renewed by the owner on 'ready' (a subscribe refused during an outage would otherwise be forgotten).
    autoResubscribe: false,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    connectionName: `callsight-${opts.role}`,
    ...opts.redis,
  });
  let down = false;
  let lastLogged = 0;
  client.on('error', (err: Error) => {
    const now = Date.now();
    if (!down || now - lastLogged > 30_000) {
      log.warn({ err }, 'redis connection failed; reconnecting');
      lastLogged = now;
    }
    down = true;
  });
  client.on('ready', () => {
    if (down) log.info('redis connection restored');
    down = false;
    opts.onReady?.();
  });
  return client;
}

/** Closes a connection politely when it is up, at once otherwise; never throws. */
export async function closeRedisConnection(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // fall through to a hard disconnect
    }
  }
  client.disconnect();
}

/**
 * The event bus across nodes through Redis pub/sub. Every event is delivered to this node's subscribers at once and
 * in order (as the in-process bus does, so a Redis outage never silences this node), and sent as JSON on one Redis
 * channel; every other node's bus delivers it to its own subscribers, skipping its own echo — so each subscriber on
 * every node gets each event exactly once, in each publisher's order. Errors are logged and counted, never thrown.
 */
export function createRedisBus(opts: RedisBusOptions): RedisEventBus {
  const { log } = opts;
  const channel = opts.channel ?? 'callsight:events';
  const maxPending = opts.maxPending ?? 10_000;
  const origin = randomBytes(9).toString('base64url');
  const local = createInProcessBus(opts.onHandlerError);
  const dropped = (reason: RedisDropReason) => opts.onDropped?.(reason);
  let closed = false;
  let pending = 0;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => { markReady = resolve; });
  const settled = new Set<() => void>();

  const pub = openRedisConnection({ url: opts.url, log, role: 'bus-publisher', redis: opts.redis });
  const sub = openRedisConnection({
    url: opts.url, log, role: 'bus-subscriber', redis: opts.redis,
    onReady: () => {
      sub.subscribe(channel).then(markReady, (err: unknown) => log.warn({ err, channel }, 'redis subscribe failed; retried on reconnect'));
    },
  });
  sub.on('message', (_channel: string, message: string) => {
    if (closed) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch (err) {
      parsed = err;
    }
    if (!isEnvelope(parsed)) {
      dropped('malformed');
      log.warn({ channel, message: truncate(message) }, 'ignored a malformed message on the event channel');
      return;
    }
    if (parsed.o !== origin) local.publish(parsed.e);
  });

  return {
    ready,
    connected: () => pub.status === 'ready' && sub.status === 'ready',
    publish(event) {
      if (closed) return;
      local.publish(event);
      if (pending >= maxPending) {
        dropped('backlog');
        return;
      }
      pending++;
      pub.publish(channel, JSON.stringify({ o: origin, e: event } satisfies Envelope))
        .catch((err: unknown) => {
          dropped('send-failed');
          log.warn({ err, type: event.type }, 'could not send an event to other nodes');
        })
        .finally(() => {
          pending--;
          if (pending === 0) for (const f of settled) f();
        });
    },
    subscribe: (handler) => local.subscribe(handler),
    async close() {
      if (closed) return;
      closed = true;
      await local.close();
      if (pending > 0 && pub.status === 'ready') {
        // Give events already sent a moment to be acknowledged, so other nodes see a clean call end.
        await new Promise<void>((resolve) => {
          const done = () => { clearTimeout(timer); settled.delete(done); resolve(); };
          const timer = setTimeout(done, 2000);
          settled.add(done);
        });
      }
      await Promise.all([closeRedisConnection(sub), closeRedisConnection(pub)]);
    },
  };
}

/**
 * A Redis bus whose subscription is in place (or `timeoutMs` has passed: then it is logged and the bus carries on,
 * local delivery working and remote delivery starting once Redis answers). The composition root uses this.
 */
export async function connectRedisBus(opts: RedisBusOptions & { timeoutMs?: number }): Promise<RedisEventBus> {
  const bus = createRedisBus(opts);
  const timeoutMs = opts.timeoutMs ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([
    bus.ready.then(() => true),
    new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); }),
  ]);
  clearTimeout(timer);
  if (inTime) opts.log.info({ redis: redisTarget(opts.url) }, 'event bus: redis');
  else opts.log.warn({ redis: redisTarget(opts.url), timeoutMs }, 'event bus: redis not reachable yet; events stay on this node until it is');
  return bus;
}
