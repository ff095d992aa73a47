/** Installing from a file the user downloaded elsewhere (an offline machine): same verification and unpacking. */
import { open, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AppError, ValidationError } from '../core/index.js';
import { ArchiveError } from './errors.js';
import { finishInstall, installFiles, type InstallContext, type ModelProgress } from './install-files.js';
import { contentRoot, createStaging, pathExists } from './install.js';
import type { Manifest, ModelEntry } from './manifest.js';
import { sniffArchive, unpackArchive, type UnpackKind } from './unpack.js';
import { verifyFile, type Verified } from './verify.js';

/** The manifest entry an imported file belongs to: `name` if given, else the file name (`NAME.zip`, or the URL's file name). */
export function resolveImportEntry(m: Manifest, file: string, name?: string): ModelEntry {
  if (name) {
    const entry = m.get(name);
    if (!entry) throw new AppError(`unknown model "${name}"; the manifest lists: ${m.models.map((e) => e.name).join(', ')}`, { status: 404 });
    return entry;
  }
  const base = basename(file);
  const stem = base.replace(/\.(zip|tar\.gz|tgz)$/i, '');
  const entry = m.get(stem) ?? m.models.find((e) => e.downloads.length === 1 && e.downloads[0].path === base);
  if (!entry) {
    throw new ValidationError(
      `cannot tell which model ${base} holds; pass --name NAME (one of: ${m.models.map((e) => e.name).join(', ')})`, 'name',
    );
  }
  return entry;
}

async function sniffFile(file: string): Promise<UnpackKind | undefined> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await fh.read(head, 0, 4, 0);
    return sniffArchive(head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

export interface ImportFileOptions {
  signal?: AbortSignal;
  onProgress?: (p: ModelProgress) => void;
}

export async function importFromFile(ctx: InstallContext, entry: ModelEntry, file: string, o: ImportFileOptions = {}): Promise<void> {
  const st = await stat(file).catch((cause: unknown) => {
    throw new AppError(`cannot import ${file}: ${(cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message}`, { status: 404, cause });
  });
  const progress = (f: string) => o.onProgress?.({ phase: 'verify', name: entry.name, file: f });

  if (entry.downloads.length === 1) {
    const d = entry.downloads[0];
    if (st.isDirectory()) throw new ValidationError(`${file} is a folder; ${entry.name} is imported from the file ${d.path}`, 'file');
    if (entry.archive !== 'none' && (await sniffFile(file)) !== entry.archive) {
      throw new ArchiveError(`${file} is not a ${entry.archive} archive (${entry.name} is published as ${d.path}); nothing was installed`);
    }
    progress(basename(file));
    const verified = await verifyFile(file, entry, d, ctx.checksums, o.signal);
    await installFiles(ctx, entry, [{ path: file, verified }], { source: 'import', origin: file, move: false, ...o });
    return;
  }

  // A multi-file model: a folder holding the files at their paths, or an archive of that folder.
  const verifyAll = async (root: string): Promise<Verified[]> => {
    const out: Verified[] = [];
    for (const d of entry.downloads) {
      const path = join(root, d.path);
      if (!(await pathExists(path))) throw new ArchiveError(`${file} has no ${d.path}, which ${entry.name} needs; nothing was installed`);
      progress(d.path);
      out.push(await verifyFile(path, entry, d, ctx.checksums, o.signal));
    }
    return out;
  };
  if (st.isDirectory()) {
    const verified = await verifyAll(file);
    const files = entry.downloads.map((d, i) => ({ path: join(file, d.path), verified: verified[i] }));
    await installFiles(ctx, entry, files, { source: 'import', origin: file, move: false, ...o });
    return;
  }
  const kind = await sniffFile(file);
  if (!kind) throw new ArchiveError(`${file} is neither a zip nor a tar.gz archive, nor a folder; nothing was installed`);
  const staging = await createStaging(ctx.modelsDir, entry.name);
  try {
    o.onProgress?.({ phase: 'unpack', name: entry.name });
    await unpackArchive(file, kind, staging, { label: file, signal: o.signal });
    const root = await contentRoot(staging);
    await finishInstall(ctx, entry, staging, root, await verifyAll(root), { source: 'import', origin: file });
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}
