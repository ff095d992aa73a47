import { stat } from 'node:fs/promises';
import { hashFile, type ChecksumStore } from './checksums.js';
import { ChecksumError } from './errors.js';
import type { ModelEntry, ModelFile } from './manifest.js';

/** Key of a download in checksums.json: the model name, or `name/path` for each file of a multi-file model. */
export function checksumKey(entry: ModelEntry, file: ModelFile): string {
  return entry.downloads.length > 1 ? `${entry.name}/${file.path}` : entry.name;
}

export interface Verified {
  size: number;
  sha256: string;
  /** Where the expected SHA-256 came from; `none` means nothing pinned it yet (a first download records it). */
  pinnedBy: 'manifest' | 'recorded' | 'none';
}

/**
 * Checks a downloaded or imported file against the manifest's size, SHA-256 and MD5, or — when the publisher
 * gives no SHA-256 — against what was recorded on the first download. Throws ChecksumError on any difference.
 */
export async function verifyFile(
  file: string, entry: ModelEntry, download: ModelFile, checksums: ChecksumStore, signal?: AbortSignal,
): Promise<Verified> {
  const label = entry.downloads.length > 1 ? `${entry.name} (${download.path})` : entry.name;
  const { size } = await stat(file);
  const recorded = download.sha256 ? undefined : await checksums.get(checksumKey(entry, download));
  const wantSize = download.size ?? recorded?.size ?? null;
  if (wantSize !== null && size !== wantSize) {
    throw new ChecksumError(`${label}: the file is ${size} bytes, expected ${wantSize}; nothing was installed`);
  }
  const got = await hashFile(file, signal);
  const mismatch = (kind: string, want: string, from: string) => new ChecksumError(
    `${label}: ${kind} mismatch — got ${kind === 'MD5' ? got.md5 : got.sha256}, expected ${want} from ${from}; `
    + 'the file is corrupt or was replaced upstream, nothing was installed',
  );
  if (download.sha256 && got.sha256 !== download.sha256) throw mismatch('SHA-256', download.sha256, 'the manifest');
  if (download.md5 && got.md5 !== download.md5) throw mismatch('MD5', download.md5, 'the manifest (the publisher\'s MD5)');
  if (recorded && got.sha256 !== recorded.sha256) {
    throw mismatch('SHA-256', recorded.sha256, `checksums.json (recorded on the first download, ${recorded.recordedAt})`);
  }
  return { size, sha256: got.sha256, pinnedBy: download.sha256 ? 'manifest' : recorded ? 'recorded' : 'none' };
}
