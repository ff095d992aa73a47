import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type ConfigInput } from '../../services/config/index.js';
import { createLogger } from '../../services/core/index.js';
import { startServer, type RunningServer } from '../../services/server/server.js';
import { openTestDb } from './db.js';

export interface TestServer extends RunningServer {
  dataDir: string;
  wsUrl: string;
}

/** A real server on an ephemeral port with a fresh database and data directory. */
export async function startTestServer(overrides: ConfigInput = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'callsight-test-'));
  // Speech (ASR and VAD workers) only where a test asks for it: most tests are about other things.
  const config = loadConfig({}, {
    host: '127.0.0.1', port: 0, dataDir, logLevel: 'silent', ...overrides, speech: { enabled: false, ...overrides.speech },
  });
  const db = await openTestDb();
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const server = await startServer(config, { log, db });
  return {
    ...server,
    dataDir,
    wsUrl: server.url.replace(/^http/, 'ws'),
    async close() {
      await server.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
