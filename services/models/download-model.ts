/** Downloads every file of a manifest entry into models/.partial and verifies each: the sources of an install. */
import { mkdir, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from '../core/index.js';
import { ChecksumError } from './errors.js';
import { downloadFile } from './http-download.js';
import type { InstallContext, InstallSource, ModelProgress } from './install-files.js';
import { PARTIAL_DIR, partialPath } from './install.js';
import type { ModelEntry } from './manifest.js';
import { checksumKey, verifyFile } from './verify.js';

export interface DownloadModelOptions {
  signal?: AbortSignal;
  retries?: number;
  retryDelayMs?: number;
  stallTimeoutMs?: number;
  fetch?: typeof fetch;
  log?: Logger;
  /** Names the manifest in the offline hint of a multi-file model. */
  manifestPath: string;
  onProgress?: (p: ModelProgress) => void;
}

/** What to do when the publisher cannot be reached from here. */
export function offlineHint(entry: ModelEntry, manifestPath: string): string {
  if (entry.downloads.length === 1) {
    return `Download ${entry.downloads[0].url} on a machine with internet, copy it here and run \`npm run models -- import FILE\``;
  }
  return `Download its ${entry.downloads.length} files (URLs in ${manifestPath}) into one folder, keeping their paths, on a machine `
    + `with internet, copy it here and run \`npm run models -- import FOLDER --name ${entry.name}\``;
}

export async function downloadModel(ctx: InstallContext, entry: ModelEntry, o: DownloadModelOptions): Promise<InstallSource[]> {
  const { name } = entry;
  const sources: InstallSource[] = [];
  try {
    for (const [index, d] of entry.downloads.entries()) {
      const part = partialPath(ctx.modelsDir, entry, index);
      const file = d.path;
      await mkdir(dirname(part), { recursive: true });
      // A size recorded on the first download lets a later one refuse a wrong file early.
      const recorded = d.sha256 || d.size !== null ? undefined : await ctx.checksums.get(checksumKey(entry, d));
      await downloadFile({
        url: d.url, dest: part, label: name, expectedSize: d.size ?? recorded?.size ?? null,
        signal: o.signal, retries: o.retries, retryDelayMs: o.retryDelayMs, stallTimeoutMs: o.stallTimeoutMs, fetch: o.fetch,
        offlineHint: offlineHint(entry, o.manifestPath),
        onProgress: (p) => o.onProgress?.({ phase: 'download', name, file, index, count: entry.downloads.length, ...p }),
        onRetry: (r) => {
          o.log?.warn({ model: name, attempt: r.attempt, delayMs: r.delayMs, err: r.error }, 'model download failed, retrying');
          o.onProgress?.({ phase: 'retry', name, file, attempt: r.attempt, delayMs: r.delayMs, message: r.error.message });
        },
      });
      o.onProgress?.({ phase: 'verify', name, file });
      try {
        sources.push({ path: part, verified: await verifyFile(part, entry, d, ctx.checksums, o.signal) });
      } catch (err) {
        if (err instanceof ChecksumError) await rm(part, { force: true }); // a resume could never fix it
        throw err;
      }
    }
  } catch (err) {
    // Leave no empty partial folder behind (one holding bytes stays, for resuming).
    await rmdir(join(ctx.modelsDir, PARTIAL_DIR, name)).catch(() => undefined);
    throw err;
  }
  return sources;
}
