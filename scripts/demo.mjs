#!/usr/bin/env node
// `npm start`: installs node modules when needed, then runs the server on the embedded defaults in demo mode
// (demo users, a demo tap key, and simulated calls streaming in), building the web app first when it is missing or
// stale. Plain Node: it must run before `npm ci`.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const prep = spawnSync('bash', [join(root, 'scripts/ensure-node-modules.sh')], { stdio: 'inherit', cwd: root });
if (prep.status !== 0) {
  console.error('npm ci failed: see the messages above (Node 20 and npm are required; @discordjs/opus compiles with python3, make and g++).');
  process.exit(prep.status ?? 1);
}
// The web app is built on first start and again whenever its sources changed (after node modules: it needs vite).
const { ensureWebBuild } = await import('./web-build.mjs');
if (ensureWebBuild() !== 0) {
  console.error('the web app did not build (see above): the server starts anyway and serves the API; / explains the missing build.');
}
const env = { ...process.env, DEMO: process.env.DEMO ?? 'true' };
// Node itself runs the server (TypeScript through tsx's loader): the tsx CLI relays signals with 30 ms windows and
// SIGKILLs a server that is slow to acknowledge one, which would skip the clean shutdown.
const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'services/server/main.ts')], { stdio: 'inherit', cwd: root, env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
