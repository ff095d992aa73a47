import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer } from 'ws';
import type { TapProtocol } from '../../calls/index.js';
import { rejectUpgrade } from '../../server/upgrade.js';
import { createTapConnection, type TapConnection } from './connection.js';
import type { TapContext } from './context.js';
import type { TapMetrics } from './metrics.js';
import type { TapProtocolSession } from './types.js';

export type AuthResult<A> = { ok: true; value: A } | { ok: false; status: 400 | 401; message: string };

export type TapUpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void>;

export interface TapEndpoint {
  handle: TapUpgradeHandler;
  /** Closes every connection of this endpoint with 1001 and refuses new ones. */
  close(): Promise<void>;
}

export interface TapEndpointOptions<A> {
  protocol: TapProtocol;
  ctx: TapContext;
  metrics: TapMetrics;
  /** Checks the request before the WebSocket exists; a refusal is answered with plain HTTP. */
  authenticate(req: IncomingMessage): Promise<AuthResult<A>>;
  /** Every refusal takes at least this long, so failures do not reveal which check failed by timing. */
  minFailureMs?: number;
  createSession(conn: TapConnection, auth: A, req: IncomingMessage): TapProtocolSession;
}

/**
 * Accepting a tap upgrade, shared by all protocols: authenticate first (HTTP 401 before any WebSocket exists),
 * then upgrade with the configured message size limit (oversize → 1009) and hand the connection to a protocol session.
 */
export function createTapEndpoint<A>(opts: TapEndpointOptions<A>): TapEndpoint {
  const { protocol, ctx, metrics } = opts;
  const wss = new WebSocketServer({ noServer: true, maxPayload: ctx.config.tap.maxMessageBytes, clientTracking: false });
  const connections = new Set<TapConnection>();
  let closing = false;

  async function refuse(socket: Duplex, startedAt: number, status: 400 | 401, message: string): Promise<void> {
    const wait = (opts.minFailureMs ?? 0) - (performance.now() - startedAt);
    if (wait > 0) await sleep(wait);
    metrics.connection(protocol, status === 401 ? 'unauthorized' : 'bad_request');
    ctx.log.warn({ protocol, status, reason: message, remote: (socket as Partial<Socket>).remoteAddress }, 'tap upgrade refused');
    rejectUpgrade(socket, status, message);
  }

  return {
    async handle(req, socket, head) {
      const startedAt = performance.now();
      if (closing) {
        rejectUpgrade(socket, 503, 'server shutting down');
        return;
      }
      let auth: AuthResult<A>;
      try {
        auth = await opts.authenticate(req);
      } catch (err) {
        metrics.connection(protocol, 'error');
        ctx.log.error({ err, protocol }, 'tap authentication failed');
        rejectUpgrade(socket, 500, 'internal error');
        return;
      }
      if (!auth.ok) {
        await refuse(socket, startedAt, auth.status, auth.message);
        return;
      }
      const value = auth.value;
      wss.handleUpgrade(req, socket, head, (ws) => {
        metrics.connection(protocol, 'accepted');
        const log = ctx.log.child({ protocol, conn: randomBytes(4).toString('hex') });
        const conn = createTapConnection({
          ws, protocol, log, metrics, registry: ctx.registry, idleTimeoutMs: ctx.config.tap.idleTimeoutMs,
        });
        connections.add(conn);
        void conn.closed.then(() => connections.delete(conn));
        try {
          conn.start(opts.createSession(conn, value, req));
        } catch (err) {
          log.error({ err }, 'could not start a tap session');
          conn.socket.close(1011, 'internal error');
        }
      });
    },
    async close() {
      closing = true;
      await Promise.all([...connections].map((c) => c.shutdown()));
      wss.close();
    },
  };
}
