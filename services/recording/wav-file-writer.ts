import { close, fdatasync, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { wavHeader, WAV_HEADER_BYTES, WAV_MAX_DATA_BYTES } from '../audio/index.js';
import type { Logger } from '../core/index.js';
import type { ErrorReporter } from './error-reporter.js';

const closeAsync = promisify(close);
const fdatasyncAsync = promisify(fdatasync);

export interface WavFileWriterOptions {
  /** An fd opened for writing on a new file. The writer owns it from now on. */
  fd: number;
  path: string;
  rate: number;
  channels: number;
  log: Logger;
  report: ErrorReporter;
  clock: () => number;
  /** Longest time the header's size fields may lag the data (default 1000 ms). */
  headerIntervalMs: number;
  /** Audio kept in memory while writes fail; beyond it the oldest is given up (it reads back as silence). */
  maxBacklogBytes: number;
}

interface Pending { position: number; bytes: Uint8Array }

/**
 * Appends PCM to a WAV file with synchronous positional writes, so everything handed over is in the page cache
 * (and survives a process crash) before `append` returns. The header is written at creation and its size fields
 * are rewritten at most once per interval, plus once more by a timer after the last write, and at close.
 * Write failures never throw: the block is kept (bounded) and retried at its own position on the next append,
 * so the timeline stays aligned even if something had to be given up.
 */
export function createWavFileWriter(opts: WavFileWriterOptions) {
  const { fd, path, rate, channels, log, report, clock } = opts;
  const header = Buffer.alloc(WAV_HEADER_BYTES);
  /** Bytes of sample data handed to the writer (its timeline). */
  let dataBytes = 0;
  /** End of the data that reached the file (what the header may claim). */
  let writtenEnd = 0;
  let headerClaims = -1;
  let headerAt = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  let backlog: Pending[] = [];
  let backlogBytes = 0;
  let droppedBytes = 0;
  let warnedSize = false;
  let closed = false;

  /** Writes all of `bytes` at `position` (relative to the data start), looping over short writes. */
  function writeAt(bytes: Uint8Array, position: number): void {
    for (let done = 0; done < bytes.length;) {
      const n = writeSync(fd, bytes, done, bytes.length - done, WAV_HEADER_BYTES + position + done);
      if (n <= 0) throw new Error(`write returned ${n}`);
      done += n;
    }
  }

  /** Writes a block; on failure keeps it (copied if the caller may reuse it) for a retry at the same position. */
  function tryWrite(bytes: Uint8Array, position: number, copy: boolean): boolean {
    try {
      writeAt(bytes, position);
      writtenEnd = Math.max(writtenEnd, position + bytes.length);
      return true;
    } catch (err) {
      report('write', err, 'recording write failed; keeping the audio to retry', { path, position, bytes: bytes.length });
      backlog.push({ position, bytes: copy ? bytes.slice() : bytes });
      backlogBytes += bytes.length;
      return false;
    }
  }

  function retryBacklog(): void {
    const pending = backlog;
    backlog = [];
    backlogBytes = 0;
    for (let i = 0; i < pending.length; i++) {
      if (!tryWrite(pending[i].bytes, pending[i].position, false)) {
        for (let j = i + 1; j < pending.length; j++) {
          backlog.push(pending[j]);
          backlogBytes += pending[j].bytes.length;
        }
        return;
      }
    }
  }

  function trimBacklog(): void {
    while (backlogBytes > opts.maxBacklogBytes && backlog.length > 0) {
      const gone = backlog.shift()!;
      backlogBytes -= gone.bytes.length;
      droppedBytes += gone.bytes.length;
      report('dropped', new Error('recording backlog full'), 'recording gave up audio it could not write (it reads back as silence)', {
        path, position: gone.position, bytes: gone.bytes.length, droppedBytes,
      });
    }
  }

  function writeHeader(): void {
    headerAt = clock();
    if (writtenEnd === headerClaims) return;
    if (writtenEnd > WAV_MAX_DATA_BYTES && !warnedSize) {
      warnedSize = true;
      log.warn({ path, dataBytes: writtenEnd }, 'recording exceeds the 4 GiB a WAV header can state; size fields clamped');
    }
    try {
      writeSync(fd, wavHeader({ rate, channels, dataBytes: writtenEnd }, header), 0, WAV_HEADER_BYTES, 0);
      headerClaims = writtenEnd;
    } catch (err) {
      report('header', err, 'recording header update failed', { path });
    }
  }

  function scheduleHeader(): void {
    const wait = opts.headerIntervalMs - (clock() - headerAt);
    if (wait <= 0) {
      writeHeader();
      return;
    }
    timer ??= setTimeout(() => {
      timer = undefined;
      if (!closed) writeHeader();
    }, wait).unref();
  }

  writeHeader();

  return {
    path,
    /** Bytes of sample data accepted so far. */
    get dataBytes() { return dataBytes; },
    /** Bytes of sample data that reached the file. */
    get writtenBytes() { return writtenEnd; },
    get droppedBytes() { return droppedBytes; },
    /** Appends interleaved samples. The array may be reused by the caller once this returns. */
    append(samples: Int16Array): void {
      if (closed) throw new Error('writer is closed');
      const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
      if (backlog.length) retryBacklog();
      tryWrite(bytes, dataBytes, true);
      dataBytes += bytes.length;
      trimBacklog();
      scheduleHeader();
    },
    /** Last retry, final header, fdatasync, close. Never throws; resolves with the final sizes. */
    async close(): Promise<{ dataBytes: number; fileBytes: number; droppedBytes: number }> {
      if (closed) throw new Error('writer is closed');
      closed = true;
      clearTimeout(timer);
      if (backlog.length) retryBacklog();
      for (const lost of backlog) {
        droppedBytes += lost.bytes.length;
        report('dropped', new Error('write kept failing'), 'recording could not write audio before closing', {
          path, position: lost.position, bytes: lost.bytes.length,
        });
      }
      backlog = [];
      writeHeader();
      try {
        await fdatasyncAsync(fd);
      } catch (err) {
        report('finalise', err, 'recording fdatasync failed', { path });
      }
      try {
        await closeAsync(fd);
      } catch (err) {
        report('finalise', err, 'recording close failed', { path });
      }
      return { dataBytes: writtenEnd, fileBytes: WAV_HEADER_BYTES + writtenEnd, droppedBytes };
    },
  };
}

export type WavFileWriter = ReturnType<typeof createWavFileWriter>;
