import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { readCookie, resolveSession, SESSION_COOKIE } from '../../auth/index.js';
import type { CallRegistry } from '../../calls/index.js';
import type { Config } from '../../config/index.js';
import type { Logger, Metrics } from '../../core/index.js';
import { rejectUpgrade } from '../../server/upgrade.js';
import type { Db } from '../../store/index.js';
import type { EventBus } from '../bus.js';
import type { Relay } from '../relay.js';
import type { BusEvent } from '../events.js';
import { createListenEncoderPool } from '../monitor/encoder-pool.js';
import { createClusterMonitorRelay } from '../monitor/cluster-relay.js';
import { createLocalMonitorRelay } from '../monitor/local-relay.js';
import { createMonitorMetrics } from '../monitor/metrics.js';
import { createCallDirectory } from './call-directory.js';
import { createMonitorAudit } from './monitor-audit.js';
import { originAllowed } from './origin.js';
import { CLOSE_SESSION_ENDED } from './protocol.js';
import { createSupervisorConnection, type SupervisorConnection } from './supervisor-connection.js';
import { createViewer, SUPERVISOR_ROLES } from './viewer.js';

export const SUPERVISOR_PATH = '/ws/supervisor';
/** Supervisor messages are JSON requests and 20 ms Opus frames: small. */
const MAX_MESSAGE_BYTES = 64 * 1024;
/** How often a connected supervisor's session (logout, expiry, role change) and teams are checked again. */
const SESSION_CHECK_MS = 60_000;

/** What the hub needs from the composition root (a ServerContext fits). */
export interface SupervisorHubContext {
  config: Config;
  log: Logger;
  db: Db;
  bus: EventBus;
  metrics: Metrics;
  registry: CallRegistry;
}

export interface SupervisorHub {
  routes: Record<typeof SUPERVISOR_PATH, (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void>>;
  /** Stops every monitor (audited), closes every supervisor socket with 1001 and waits for the audit log. */
  close(): Promise<void>;
}

/**
 * The supervisor WebSocket (`/ws/supervisor`): session cookie and Origin checked before the upgrade (401 without a
 * session, 403 for a foreign Origin or a role other than supervisor and admin); then the live call list, event
 * subscriptions and listen / whisper / barge (see supervisor-connection.ts and docs/supervisor-protocol.md). Audio
 * goes through a MonitorRelay: this node's calls; with `crossNode` (the Redis relay) also other nodes' calls.
 */
export function createSupervisorHub(ctx: SupervisorHubContext, opts: { crossNode?: Relay } = {}): SupervisorHub {
  const log = ctx.log.child({ stage: 'supervisor' });
  const metrics = createMonitorMetrics(ctx.metrics);
  const local = createLocalMonitorRelay({
    registry: ctx.registry, log, metrics, encoders: createListenEncoderPool({ log, workers: ctx.config.live.encoderWorkers }),
  });
  const isLocal = (callId: string) => ctx.registry.get(callId)?.status === 'live';
  const relay = opts.crossNode ? createClusterMonitorRelay({ local, relay: opts.crossNode, isLocal, log, metrics }) : local;
  const directory = createCallDirectory({ db: ctx.db, log, registry: ctx.registry });
  const audit = createMonitorAudit({ db: ctx.db, log });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, clientTracking: false });
  const connections = new Set<SupervisorConnection>();
  let closing = false;
  ctx.metrics.gauge('callsight_live_supervisors', 'Supervisor WebSockets connected', () => connections.size);

  const offDirectory = directory.onChange((change) => {
    for (const c of connections) c.onDirectoryChange(change);
  });
  const offBus = ctx.bus.subscribe((event: BusEvent) => {
    directory.handle(event);
    if (!connections.size || !('callId' in event)) return;
    let text: string | undefined;
    const json = () => (text ??= JSON.stringify(event));
    for (const c of connections) c.onEvent(event, json);
  });

  async function handle(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (closing) return rejectUpgrade(socket, 503, 'server shutting down');
    if (!originAllowed(req, { publicUrl: ctx.config.publicUrl, allowedOrigins: ctx.config.live.allowedOrigins })) {
      log.warn({ origin: req.headers.origin }, 'supervisor upgrade refused: foreign Origin');
      return rejectUpgrade(socket, 403, `Origin ${String(req.headers.origin)} may not open the supervisor socket (see LIVE_ALLOWED_ORIGINS)`);
    }
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    const session = await resolveSession(ctx.db, token);
    if (!session) return rejectUpgrade(socket, 401, 'authentication required: log in first (session cookie)');
    const { user } = session;
    if (!SUPERVISOR_ROLES.includes(user.role)) {
      return rejectUpgrade(socket, 403, `the supervisor socket needs the ${SUPERVISOR_ROLES.join(' or ')} role`);
    }
    const viewer = await createViewer(ctx.db, directory, user);
    if (closing) return rejectUpgrade(socket, 503, 'server shutting down');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = createSupervisorConnection({
        ws, viewer, db: ctx.db, directory, relay, audit, metrics, log, live: ctx.config.live,
      });
      connections.add(conn);
      // The session can end while the socket is open (logout, expiry, a disabled user), and teams change: checked every minute.
      const check = setInterval(() => {
        resolveSession(ctx.db, token).then(async (s) => {
          if (!s || s.user.disabled || s.user.role !== user.role) conn.close(CLOSE_SESSION_ENDED, 'session ended: log in again');
          else await viewer.refresh();
        }).catch((err: unknown) => log.warn({ err }, 'could not check a supervisor\'s session'));
      }, SESSION_CHECK_MS);
      check.unref();
      void conn.closed.then(() => {
        clearInterval(check);
        connections.delete(conn);
      });
    });
  }

  return {
    routes: { [SUPERVISOR_PATH]: handle },
    async close() {
      closing = true;
      offBus();
      offDirectory();
      for (const c of connections) c.stopMonitor('shutdown');
      await Promise.all([...connections].map(async (c) => {
        c.close(1001, 'server shutting down');
        const cut = setTimeout(() => c.terminate(), 1000);
        await c.closed;
        clearTimeout(cut);
      }));
      wss.close();
      directory.close();
      await relay.close();
      await audit.idle();
    },
  };
}
