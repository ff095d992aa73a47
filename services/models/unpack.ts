/**
 * Unpacks a zip or tar.gz into an empty folder, refusing any entry that would land outside it (`../x`, `/etc/x`,
 * a link pointing out). The caller unpacks into a temporary folder and renames it into place.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, posix, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import * as tar from 'tar';
import yauzl from 'yauzl';
import { ArchiveError } from './errors.js';

export type UnpackKind = 'zip' | 'tar.gz';

/** Entry names that are never model content. */
const JUNK = /^(__MACOSX)(\/|$)/;

/** Whether an archive entry name stays inside the folder it is unpacked into. */
export function isSafeEntryPath(name: string): boolean {
  if (name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name) || name.includes('\0')) return false;
  return !name.split(/[\\/]/).includes('..');
}

function traversal(name: string, archive: string): ArchiveError {
  return new ArchiveError(`the archive ${archive} has an entry "${name}" that points outside the model folder; refusing to unpack it`);
}

function inside(root: string, name: string): string {
  const target = resolve(root, name);
  if (target !== root && !target.startsWith(root + sep)) throw new ArchiveError(`archive entry "${name}" resolves outside ${root}`);
  return target;
}

async function unpackTarGz(file: string, dest: string, label: string, signal?: AbortSignal): Promise<void> {
  let rejected: string | undefined;
  const ok = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);
  const filter = (path: string, entry: tar.ReadEntry | import('node:fs').Stats): boolean => {
    if (rejected) return false;
    const e = entry as tar.ReadEntry;
    if (!isSafeEntryPath(path)) { rejected = path; return false; }
    if (JUNK.test(path.replace(/^\.\//, ''))) return false;
    if (!ok.has(e.type)) return false;
    if (e.type === 'SymbolicLink' || e.type === 'Link') {
      const link = String(e.linkpath ?? '');
      const from = e.type === 'SymbolicLink' ? posix.dirname(path) : '.';
      const joined = posix.normalize(posix.join(from, link));
      if (!isSafeEntryPath(link) || joined.startsWith('../') || joined === '..') { rejected = `${path} -> ${link}`; return false; }
    }
    return true;
  };
  try {
    await new Promise<void>((res, rej) => {
      // strict: damaged headers and truncated data are errors, not warnings.
      const unpack = new tar.Unpack({ cwd: dest, strict: true, preserveOwner: false, filter });
      const src = createReadStream(file);
      const onAbort = () => { src.destroy(); unpack.abort(signal?.reason as Error); };
      const done = (err?: unknown) => {
        signal?.removeEventListener('abort', onAbort);
        if (err) { src.destroy(); rej(err); } else res();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      src.on('error', done);
      unpack.on('error', done);
      unpack.on('close', () => done());
      src.pipe(unpack);
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ArchiveError(`cannot unpack ${label}: ${(cause as Error).message} — the archive is corrupt or incomplete`, { cause });
  }
  if (rejected) throw traversal(rejected, label);
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((res, rej) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (err, zip) => {
      if (err) rej(err); else res(zip);
    });
  });
}

function listZip(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((res, rej) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (e: yauzl.Entry) => { entries.push(e); zip.readEntry(); });
    zip.on('end', () => res(entries));
    zip.on('error', rej);
    zip.readEntry();
  });
}

function entryStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((res, rej) => zip.openReadStream(entry, (err, stream) => (err ? rej(err) : res(stream))));
}

async function unpackZip(file: string, dest: string, label: string, signal?: AbortSignal): Promise<void> {
  let zip: yauzl.ZipFile | undefined;
  try {
    zip = await openZip(file);
    let entries: yauzl.Entry[];
    try { entries = await listZip(zip); } catch (err) {
      // yauzl checks names itself; its messages are "absolute path: …" / "invalid relative path: …".
      const m = /^(?:absolute path|invalid relative path|invalid characters in fileName): (.*)$/.exec((err as Error).message);
      if (m) throw traversal(m[1], label);
      throw err;
    }
    for (const e of entries) if (!isSafeEntryPath(e.fileName)) throw traversal(e.fileName, label);
    for (const e of entries) {
      signal?.throwIfAborted();
      if (JUNK.test(e.fileName)) continue;
      const target = inside(dest, e.fileName);
      if (e.fileName.endsWith('/')) { await mkdir(target, { recursive: true }); continue; }
      await mkdir(dirname(target), { recursive: true });
      await pipeline(await entryStream(zip, e), createWriteStream(target), { signal });
    }
  } catch (cause) {
    if (cause instanceof ArchiveError || signal?.aborted) throw cause;
    throw new ArchiveError(`cannot unpack ${label}: ${(cause as Error).message} — the archive is corrupt or incomplete`, { cause });
  } finally {
    zip?.close();
  }
}

/** Unpacks `file` into `dest` (an existing, empty folder). `label` names the archive in errors. */
export async function unpackArchive(file: string, kind: UnpackKind, dest: string, opts: { label?: string; signal?: AbortSignal } = {}): Promise<void> {
  const label = opts.label ?? file;
  const root = resolve(dest);
  opts.signal?.throwIfAborted();
  switch (kind) {
    case 'zip': return unpackZip(file, root, label, opts.signal);
    case 'tar.gz': return unpackTarGz(file, root, label, opts.signal);
  }
}

/** Sniffs the archive type from its first bytes (for imports whose name says nothing). */
export function sniffArchive(head: Buffer): UnpackKind | undefined {
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return 'zip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0x06054b50) return 'zip'; // empty zip
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz';
  return undefined;
}
