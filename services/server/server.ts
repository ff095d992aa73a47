import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { createCallRegistry } from '../calls/index.js';
import type { Config } from '../config/index.js';
import { resolveFfmpeg } from '../audio/index.js';
import { AppError, createLogger, createMetrics, type Logger } from '../core/index.js';
import { createImporter } from '../import/index.js';
import { connectRedisBus, createAlertEngine, createInProcessBus, createRedisRelay, createSupervisorHub } from '../live/index.js';
import { createAutoScoring, createRescoreRunner, createScoringGaps, seedScorecards } from '../scoring/workflow/index.js';
import { migrate, openDb, type Db } from '../store/index.js';
import { createTap } from '../tap/index.js';
import type { ServerContext } from './context.js';
import { createCallLifecycle } from './call-lifecycle.js';
import { createUpgradeRouter } from './upgrade.js';
import { recoverAfterCrash } from './recovery.js';
import { createSpeechRuntime } from './speech-runtime.js';
import { mountApiRoutes } from './routes/index.js';
import { mountWebApp } from './web-static.js';

export interface RunningServer extends ServerContext {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The composition root: wires every service from config and starts listening. */
export async function startServer(config: Config, opts: { log?: Logger; db?: Db } = {}): Promise<RunningServer> {
  const log = opts.log ?? createLogger(config.logLevel);
  const db = opts.db ?? await openDb(config);
  await migrate(db);
  const metrics = createMetrics();
  const onBusHandlerError = (err: unknown) => log.error({ err }, 'bus handler failed');
  const busDrops = metrics.counter('callsight_bus_dropped_total', 'Events not exchanged with other nodes through Redis, by reason');
  const bus = config.redisUrl
    ? await connectRedisBus({ url: config.redisUrl, log, onHandlerError: onBusHandlerError, onDropped: (reason) => busDrops.inc(1, { reason }) })
    : createInProcessBus(onBusHandlerError);
  await recoverAfterCrash({ db, dataDir: config.dataDir, nodeId: config.nodeId, log });
  await seedScorecards(db, { log }).catch((err: unknown) => log.error({ err }, 'scorecard seeds not stored: the stored versions stay active'));
  const scoring = createAutoScoring({ db, bus, log });
  const rescore = createRescoreRunner({ db, bus, log });
  // Jobs a crash left running; with several nodes (Redis) another node may be running them, so only on a single node.
  if (!config.redisUrl) await rescore.failLeftovers();
  // Calls missed at shutdown are scored in the background; with speech off, calls are scored at their end anyway.
  const scoringGaps = createScoringGaps({ db, bus, log, speechEnabled: config.speech.enabled });
  void scoringGaps.catchUp();
  const speech = config.speech.enabled ? await createSpeechRuntime(config, log, metrics) : undefined;
  const lifecycle = createCallLifecycle({ config, log, db, bus, metrics }, { ffmpegPath: findFfmpegOrWarn(config, log), speech });
  const registry = createCallRegistry({
    log, lifecycle, maxSkewMs: config.tap.maxSkewMs, interruptGraceMs: config.tap.interruptGraceMs,
  });
  const alerts = createAlertEngine({ bus, db, log, metrics, liveCall: (id) => registry.get(id) });
  const ctx: ServerContext = { config, log, db, bus, metrics, registry };
  metrics.gauge('callsight_live_calls', 'Calls currently live', () => registry.live().length);

  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof AppError && err.status < 500) return c.json({ error: err.message }, err.status as 400);
    log.error({ err, path: c.req.path }, 'request failed');
    return c.json({ error: 'internal error' }, 500);
  });
  // Imports get their own speech workers (half the cores, only while importing) so a batch cannot starve live calls.
  const importer = createImporter({
    config, db, bus, log, metrics, closeSpeechWhenIdle: true, concurrency: 1,
    asrWorkers: Math.max(1, Math.floor(availableParallelism() / 2)),
  });
  mountApiRoutes(app, ctx, { importer, rescore });
  app.get('/health', async (c) => {
    await db.query('select 1');
    return c.json({ status: 'ok', db: db.kind, liveCalls: registry.live().length });
  });
  app.get('/metrics', (c) => c.text(metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4' }));
  mountWebApp(app);

  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  const tap = createTap(ctx, metrics);
  // With several nodes, a supervisor here can listen and talk to calls tapped on another node (audio through Redis).
  const relayDrops = metrics.counter('callsight_relay_dropped_total', 'Monitor audio and requests not exchanged with other nodes through Redis, by reason');
  const crossNode = config.redisUrl
    ? createRedisRelay({ url: config.redisUrl, log, onDropped: (reason) => relayDrops.inc(1, { reason }) })
    : undefined;
  const supervisors = createSupervisorHub(ctx, { crossNode });
  server.on('upgrade', createUpgradeRouter({ ...tap.routes, ...supervisors.routes }, log));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  log.info({ url, db: db.kind }, 'callsight listening');

  return {
    ...ctx, url, port,
    async close() {
      importer.abort('server shutting down');
      await supervisors.close();
      await tap.close();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await registry.shutdown();
      await lifecycle.idle();
      await alerts.close();
      await importer.close();
      await speech?.close();
      await scoringGaps.close();
      await rescore.close();
      await scoring.close();
      await bus.close();
      if (!opts.db) await db.close();
    },
  };
}

/** ffmpeg for the Ogg/Opus transcode; without one, recordings stay WAV and the log says why, once. */
function findFfmpegOrWarn(config: Config, log: Logger): string | undefined {
  if (!config.recording.transcode) return undefined;
  try {
    const found = resolveFfmpeg(config.ffmpegPath);
    log.info({ ffmpeg: found.path, source: found.source, version: found.version }, 'ffmpeg found: recordings are transcoded to Ogg/Opus');
    return found.path;
  } catch (err) {
    log.warn({ err }, 'no working ffmpeg: recordings stay WAV (install ffmpeg or set FFMPEG_PATH)');
    return undefined;
  }
}
