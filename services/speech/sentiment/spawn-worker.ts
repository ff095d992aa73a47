import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** URL of tsx's ESM API (`tsx/esm/api`, import condition), read from its package.json exports. */
function tsxEsmApi(base: string): string {
  const pkgPath = createRequire(base).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api'].import.default)).href;
}

/**
 * Starts a worker from a module next to `base` (pass `import.meta.url`). When running from TypeScript
 * sources (tsx, vitest) the worker first registers tsx's loader, since workers do not inherit it;
 * from compiled JavaScript it starts the .js file directly.
 */
export function spawnModuleWorker(base: string, name: string, workerData: unknown): Worker {
  if (!fileURLToPath(base).endsWith('.ts')) return new Worker(new URL(`./${name}.js`, base), { workerData });
  const target = new URL(`./${name}.ts`, base).href;
  const source = `import(${JSON.stringify(tsxEsmApi(base))}).then((m) => { m.register(); return import(${JSON.stringify(target)}); })`;
  return new Worker(source, { eval: true, workerData });
}
