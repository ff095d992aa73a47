/** Turns verified downloads (or imported files) into an installed model: unpack or place, then commit atomically. */
import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ChecksumStore } from './checksums.js';
import { ArchiveError } from './errors.js';
import type { DownloadProgress } from './http-download.js';
import { commitInstall, contentRoot, createStaging, type InstalledRecord } from './install.js';
import { checkLayout } from './layout.js';
import type { ModelEntry } from './manifest.js';
import { unpackArchive } from './unpack.js';
import { checksumKey, type Verified } from './verify.js';

export type ModelProgress =
  | ({ phase: 'download'; name: string; file: string; index: number; count: number } & DownloadProgress)
  | { phase: 'retry'; name: string; file: string; attempt: number; delayMs: number; message: string }
  | { phase: 'verify'; name: string; file: string }
  | { phase: 'unpack'; name: string };

export interface InstallContext {
  modelsDir: string;
  checksums: ChecksumStore;
}

export interface InstallSource {
  path: string;
  verified: Verified;
}

export interface InstallOptions {
  source: InstalledRecord['source'];
  origin: string;
  /** Move the sources into place (downloads) instead of copying them (imports keep the user's file). */
  move: boolean;
  signal?: AbortSignal;
  onProgress?: (p: ModelProgress) => void;
}

/**
 * Checks the layout, writes installed.json, renames the staged folder into place, then pins the checksums of a
 * first download (imports pin nothing: a file from elsewhere is not a reference for later downloads).
 */
export async function finishInstall(
  ctx: InstallContext, entry: ModelEntry, staging: string, root: string, verified: Verified[], o: Pick<InstallOptions, 'source' | 'origin'>,
): Promise<void> {
  await checkLayout(entry.name, entry.engine, root);
  const record: InstalledRecord = {
    name: entry.name, engine: entry.engine, language: entry.language, sampleRate: entry.sampleRate,
    source: o.source, origin: o.origin, archive: entry.archive,
    size: verified.reduce((n, v) => n + v.size, 0),
    sha256: entry.downloads.length === 1 ? verified[0].sha256 : null,
    files: entry.downloads.map((d, i) => ({ path: d.path, size: verified[i].size, sha256: verified[i].sha256 })),
    installedAt: new Date().toISOString(),
  };
  await commitInstall(ctx.modelsDir, staging, root, join(ctx.modelsDir, entry.name), record);
  if (o.source !== 'download') return;
  const recordedAt = record.installedAt;
  for (const [i, d] of entry.downloads.entries()) {
    const v = verified[i];
    if (v.pinnedBy === 'none') await ctx.checksums.record(checksumKey(entry, d), { sha256: v.sha256, size: v.size, url: d.url, recordedAt });
  }
}

/** Unpacks the archive (or places the files) in a staging folder and commits it; removes the staging folder on failure. */
export async function installFiles(ctx: InstallContext, entry: ModelEntry, files: InstallSource[], o: InstallOptions): Promise<void> {
  const staging = await createStaging(ctx.modelsDir, entry.name);
  try {
    let root = staging;
    if (entry.archive !== 'none') {
      o.onProgress?.({ phase: 'unpack', name: entry.name });
      await unpackArchive(files[0].path, entry.archive, staging, { label: `${entry.name} (${basename(files[0].path)})`, signal: o.signal });
      root = await contentRoot(staging);
      if ((await readdir(root)).length === 0) throw new ArchiveError(`the archive for ${entry.name} is empty`);
    } else {
      for (const [i, f] of files.entries()) {
        const target = join(staging, entry.downloads[i].path);
        await mkdir(dirname(target), { recursive: true });
        await (o.move ? rename(f.path, target) : copyFile(f.path, target));
      }
    }
    await finishInstall(ctx, entry, staging, root, files.map((f) => f.verified), o);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}
