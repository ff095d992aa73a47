/**
 * The on-disk layout of the models folder and the atomic install step:
 *
 *   models/<name>/                 an installed model, with installed.json written before it was renamed into place
 *   models/.partial/<name>.<ext>   a download in progress (resumable); multi-file models: models/.partial/<name>/<path>
 *   models/.tmp-<name>-<random>/   a model being unpacked; renamed to models/<name> only when complete
 *   models/checksums.json          SHA-256s recorded on first download, for models whose publisher gives none
 */
import { mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ArchiveKind, ModelEngine, ModelEntry } from './manifest.js';

export const RECORD_FILE = 'installed.json';
export const PARTIAL_DIR = '.partial';
export const CHECKSUMS_FILE = 'checksums.json';

export interface InstalledFile {
  path: string;
  size: number;
  sha256: string;
}

/** What `models/<name>/installed.json` says: written by the manager, present only in complete installs. */
export interface InstalledRecord {
  name: string;
  engine: ModelEngine;
  language: string;
  sampleRate?: number;
  source: 'download' | 'import';
  /** The URL, or the imported file's path. */
  origin: string;
  archive: ArchiveKind;
  /** Bytes downloaded (the archive, or the files). */
  size: number;
  /** SHA-256 of the archive for single downloads; per file in `files` otherwise. */
  sha256: string | null;
  files: InstalledFile[];
  installedAt: string;
}

export function partialPath(modelsDir: string, entry: ModelEntry, index: number): string {
  const partial = join(modelsDir, PARTIAL_DIR);
  if (entry.archive === 'none' && entry.downloads.length > 1) return join(partial, entry.name, entry.downloads[index].path);
  const ext = entry.archive === 'none' ? entry.downloads[0].path.split('.').slice(1).join('.') || 'bin' : entry.archive;
  return join(partial, `${entry.name}.${ext}`);
}

export async function pathExists(path: string): Promise<boolean> {
  try { await stat(path); return true; } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export async function readInstalled(dir: string): Promise<InstalledRecord | undefined> {
  let text: string;
  try { text = await readFile(join(dir, RECORD_FILE), 'utf8'); } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
  try { return JSON.parse(text) as InstalledRecord; } catch { return undefined; }
}

/** A fresh `models/.tmp-<name>-<random>` folder. */
export function createStaging(modelsDir: string, name: string): Promise<string> {
  return mkdtemp(join(modelsDir, `.tmp-${name}-`));
}

/** Removes staging folders that a crashed run left behind for this model. */
export async function removeStaleStaging(modelsDir: string, name: string): Promise<void> {
  const entries = await readdir(modelsDir).catch(() => [] as string[]);
  const stale = entries.filter((e) => e.startsWith(`.tmp-${name}-`) || e.startsWith(`.old-${name}-`));
  await Promise.all(stale.map((e) => rm(join(modelsDir, e), { recursive: true, force: true })));
}

/** The folder holding the model: the staging folder, or its only sub-folder when the archive had one top level. */
export async function contentRoot(staging: string): Promise<string> {
  const entries = (await readdir(staging, { withFileTypes: true })).filter((e) => e.name !== '__MACOSX');
  if (entries.length === 1 && entries[0].isDirectory()) return join(staging, entries[0].name);
  return staging;
}

/**
 * Writes installed.json into `root` and renames it to `dest` — the one step that makes the model visible.
 * A model already at `dest` (a forced reinstall) is moved aside first and put back if the rename fails.
 */
export async function commitInstall(modelsDir: string, staging: string, root: string, dest: string, record: InstalledRecord): Promise<void> {
  await writeFile(join(root, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
  let old: string | undefined;
  if (await pathExists(dest)) {
    old = join(modelsDir, `.old-${record.name}-${randomBytes(4).toString('hex')}`);
    await rename(dest, old);
  }
  try {
    await rename(root, dest);
  } catch (err) {
    if (old) await rename(old, dest);
    throw err;
  }
  if (root !== staging) await rm(staging, { recursive: true, force: true });
  if (old) await rm(old, { recursive: true, force: true });
}
