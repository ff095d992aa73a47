#!/usr/bin/env node
// Builds the web app (web/ → web/dist) when the build is missing or older than its sources. Plain Node, used by
// `npm start` (scripts/demo.mjs) and the end-to-end tests; `node scripts/web-build.mjs --force` always builds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['web/src', 'web/index.html', 'web/vite.config.ts', 'web/tsconfig.json', 'package-lock.json'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), s.mtimeMs);
}

/** True when web/dist/index.html is missing or older than any web source (or the lock file). */
export function webBuildIsStale() {
  const built = join(root, 'web/dist/index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return SOURCES.some((p) => newest(join(root, p)) > builtAt);
}

/** Builds when stale (or always with force); returns the exit status (0 when nothing had to be done). */
export function ensureWebBuild({ force = false } = {}) {
  if (!force && !webBuildIsStale()) return 0;
  console.log('building the web app (web/dist)…');
  const r = spawnSync(join(root, 'node_modules/.bin/vite'), ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit', cwd: root });
  return r.status ?? 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exit(ensureWebBuild({ force: process.argv.includes('--force') }));
}
