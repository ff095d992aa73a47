/**
 * Hashing, and the local record of checksums taken on first download (`models/checksums.json`) for models whose
 * publisher gives none: trust on first use, then every later download or import must match.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { ValidationError } from '../core/index.js';

/** SHA-256 and MD5 of a file, in one read. */
export async function hashFile(path: string, signal?: AbortSignal): Promise<{ sha256: string; md5: string }> {
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  await pipeline(createReadStream(path), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) { sha256.update(chunk); md5.update(chunk); }
  }, { signal });
  return { sha256: sha256.digest('hex'), md5: md5.digest('hex') };
}

export interface ChecksumRecord {
  sha256: string;
  size: number;
  url: string;
  recordedAt: string;
}

export interface ChecksumStore {
  get(key: string): Promise<ChecksumRecord | undefined>;
  /** Records a checksum; never replaces an existing one (that would defeat the point). */
  record(key: string, rec: ChecksumRecord): Promise<void>;
}

/** Writes a file by renaming a sibling into place, so readers see the old or the new content, never half. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
}

export function createChecksumStore(file: string): ChecksumStore {
  let queue: Promise<unknown> = Promise.resolve();

  const read = async (): Promise<Record<string, ChecksumRecord>> => {
    let text: string;
    try { text = await readFile(file, 'utf8'); } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
    try {
      const parsed = JSON.parse(text) as { files?: Record<string, ChecksumRecord> };
      return parsed.files ?? {};
    } catch (cause) {
      throw new ValidationError(`${file} is not valid JSON; fix or delete it (it only holds checksums recorded on first download)`, file, { cause });
    }
  };

  return {
    get: async (key) => (await read())[key],
    record: (key, rec) => {
      const next = queue.then(async () => {
        const files = await read();
        if (files[key]) return;
        files[key] = rec;
        await writeFileAtomic(file, `${JSON.stringify({ files }, null, 2)}\n`);
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
