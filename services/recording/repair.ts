import { open, readdir, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { parseWav, WAV_MAX_DATA_BYTES } from '../audio/index.js';
import type { Logger } from '../core/index.js';

export interface RepairedRecording {
  path: string;
  /** Data size the header stated. */
  statedBytes: number;
  /** Data size now stated: whole frames present in the file. */
  dataBytes: number;
  /** Bytes of a partly written last frame cut off the end. */
  truncatedBytes: number;
  durationMs: number;
}

const PROBE_BYTES = 4096;

/**
 * Start-up recovery for recordings left behind by a crash: each WAV whose header sizes disagree with the file
 * length gets sizes for the whole frames present (a torn last frame is cut off), so every sample that reached
 * the disk is readable. Also removes half-written transcodes (`*.ogg.partial`); the WAV next to one is kept.
 * Run it before any recorder starts in `dir`. Unreadable or foreign files are logged and left alone.
 */
export async function repairRecordings(dir: string, log: Logger): Promise<RepairedRecording[]> {
  const rlog = log.child({ stage: 'recording-repair', dir });
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const repaired: RepairedRecording[] = [];
  for (const name of names.sort()) {
    const path = join(dir, name);
    if (name.endsWith('.ogg.partial')) {
      await unlink(path).then(
        () => rlog.warn({ path }, 'removed an unfinished transcode'),
        (err: unknown) => rlog.error({ err, path }, 'could not remove an unfinished transcode'),
      );
      continue;
    }
    if (!name.endsWith('.wav')) continue;
    try {
      const result = await repairOne(path);
      if (result) {
        repaired.push(result);
        rlog.warn({ ...result }, 'repaired a recording left by a crash');
      }
    } catch (err) {
      rlog.error({ err, path }, 'could not repair recording; left as it is');
    }
  }
  return repaired;
}

/** Whether a RIFF chunk (ASCII id, size reaching exactly the end of the file) starts at `at` (padded to even). */
async function chunkFollows(file: FileHandle, at: number, fileSize: number): Promise<boolean> {
  const start = at + (at & 1);
  const buf = Buffer.alloc(8);
  const { bytesRead } = await file.read(buf, 0, 8, start);
  if (bytesRead < 8) return false;
  for (let i = 0; i < 4; i++) if (buf[i] < 0x20 || buf[i] > 0x7e) return false;
  const end = start + 8 + buf.readUInt32LE(4);
  return end === fileSize || end + 1 === fileSize;
}

async function repairOne(path: string): Promise<RepairedRecording | undefined> {
  const file = await open(path, 'r+');
  try {
    const { size } = await file.stat();
    const head = Buffer.alloc(Math.min(size, PROBE_BYTES));
    await file.read(head, 0, head.length, 0);
    // The head holds the header chunks; the data it claims is usually not all there, hence allowTruncated.
    const wav = parseWav(head, { allowTruncated: true });
    const blockAlign = wav.channels * 2;
    const present = size - wav.dataOffset;
    const dataBytes = Math.min(present - (present % blockAlign), WAV_MAX_DATA_BYTES - (WAV_MAX_DATA_BYTES % blockAlign));
    const statedBytes = head.readUInt32LE(wav.dataOffset - 4);
    const riffBytes = wav.dataOffset - 8 + dataBytes;
    const truncatedBytes = present % blockAlign;
    if (statedBytes < present && await chunkFollows(file, wav.dataOffset + statedBytes, size)) {
      return undefined; // a complete file with more chunks after its data: not a recording cut short
    }
    if (statedBytes === dataBytes && head.readUInt32LE(4) === riffBytes && truncatedBytes === 0) return undefined;
    if (truncatedBytes) await file.truncate(wav.dataOffset + dataBytes);
    const sizes = Buffer.alloc(4);
    sizes.writeUInt32LE(riffBytes, 0);
    await file.write(sizes, 0, 4, 4);
    sizes.writeUInt32LE(dataBytes, 0);
    await file.write(sizes, 0, 4, wav.dataOffset - 4);
    await file.datasync();
    return { path, statedBytes, dataBytes, truncatedBytes, durationMs: (dataBytes / blockAlign / wav.rate) * 1000 };
  } finally {
    await file.close();
  }
}
