import { loadConfig } from '../config/index.js';
import { createLogger } from '../core/index.js';
import { printDemoBanner, startDemoCalls } from './demo.js';
import { seedDemo } from './demo-seed.js';
import { startServer } from './server.js';

const log = createLogger();
try {
  const config = loadConfig();
  const server = await startServer(config, { log: log.child({}, { level: config.logLevel }) });
  let demo: { stop(): Promise<void> } | undefined;
  if (config.demo) {
    const seed = await seedDemo(server.db);
    printDemoBanner(config.publicUrl ?? server.url, seed);
    demo = startDemoCalls({ wsUrl: server.url.replace(/^http/, 'ws'), apiKey: seed.tapKey.apiKey, log: server.log.child({ stage: 'demo' }) });
  }
  // Ctrl+C reaches `npm start`'s launcher and this process alike, and the launcher passes it on: a signal during the
  // shutdown is expected and ignored; a third one forces the exit.
  let signals = 0;
  const stop = async (signal: string) => {
    signals++;
    if (signals === 3) process.exit(1);
    if (signals > 1) return log.info({ signal }, 'already shutting down (a third signal forces the exit)');
    log.info({ signal }, 'shutting down');
    await demo?.stop();
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (err) {
  log.fatal({ err }, 'cannot start');
  process.exit(1);
}
