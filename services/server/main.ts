import { loadConfig } from '../config/index.js';
import { createLogger } from '../core/index.js';
import { startServer } from './server.js';

const log = createLogger();
try {
  const config = loadConfig();
  const server = await startServer(config, { log: log.child({}, { level: config.logLevel }) });
  const stop = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
} catch (err) {
  log.fatal({ err }, 'cannot start');
  process.exit(1);
}
