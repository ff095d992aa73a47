import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { EngineError } from '../core/index.js';

export type FfmpegSource = 'config' | 'system' | 'npm';

export interface ResolvedFfmpeg {
  path: string;
  source: FfmpegSource;
  /** First line of `ffmpeg -version`. */
  version: string;
}

const cache = new Map<string, ResolvedFfmpeg>();

function probe(path: string): string {
  const out = execFileSync(path, ['-hide_banner', '-version'], { timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const first = out.toString('utf8').split('\n', 1)[0].trim();
  if (!first.toLowerCase().startsWith('ffmpeg version')) throw new Error(`unexpected -version output: ${first.slice(0, 80)}`);
  return first;
}

function onPath(name: string, pathEnv: string): string | undefined {
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function npmBinary(): string {
  const mod = createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string };
  return mod.path;
}

function reason(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n', 1)[0];
  return String(err);
}

/** Where `findFfmpeg` looks besides the configured path (injectable for tests). */
export interface FfmpegLookup {
  /** PATH to search for the system binary. */
  pathEnv?: string;
  /** Returns the npm package's binary path (throws if the package is missing). */
  npmBinary?: () => string;
}

/** Uncached search; see `resolveFfmpeg`. */
export function findFfmpeg(configuredPath?: string, lookup: FfmpegLookup = {}): ResolvedFfmpeg {
  const failures: string[] = [];
  const errors: unknown[] = [];
  const exe = process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';
  const candidates: { source: FfmpegSource; label: string; path: () => string | undefined }[] = [
    { source: 'config', label: `configured path ${JSON.stringify(configuredPath ?? '')}`, path: () => configuredPath },
    { source: 'system', label: 'system "ffmpeg" on PATH', path: () => onPath(exe, lookup.pathEnv ?? process.env.PATH ?? '') },
    { source: 'npm', label: 'npm package @ffmpeg-installer/ffmpeg', path: lookup.npmBinary ?? npmBinary },
  ];
  for (const c of candidates) {
    try {
      const path = c.path();
      if (!path) {
        failures.push(`${c.label}: ${c.source === 'config' ? 'not set' : 'not found'}`);
        continue;
      }
      return { path, source: c.source, version: probe(path) };
    } catch (err) {
      errors.push(err);
      failures.push(`${c.label}: ${reason(err)}`);
    }
  }
  throw new EngineError(`no working ffmpeg found (${failures.join('; ')})`, false, {
    cause: new AggregateError(errors, 'ffmpeg candidates failed'),
  });
}

/**
 * Finds a working ffmpeg: the configured path, else `ffmpeg` on PATH, else the @ffmpeg-installer binary.
 * Each candidate must run `-version`. A success is cached per configured path. Synchronous (it runs a child
 * process once): call it at start-up, not per call. Throws EngineError naming every candidate tried.
 */
export function resolveFfmpeg(configuredPath?: string): ResolvedFfmpeg {
  const key = configuredPath ?? '';
  let found = cache.get(key);
  if (!found) {
    found = findFfmpeg(configuredPath);
    cache.set(key, found);
  }
  return found;
}
