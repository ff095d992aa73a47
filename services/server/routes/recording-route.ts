import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { NotFoundError } from '../../core/index.js';
import type { CallRecording, RecordingFormat } from '../../store/index.js';
import { decideRange } from './http-range.js';

const TYPES: Record<RecordingFormat, string> & Record<string, string | undefined> = { wav: 'audio/wav', ogg: 'audio/ogg' };

function contentType(rec: CallRecording): string {
  return TYPES[rec.format] ?? ({ '.wav': 'audio/wav', '.ogg': 'audio/ogg', '.opus': 'audio/ogg' }[extname(rec.path).toLowerCase()] ?? 'application/octet-stream');
}

/** Streams a call's recording with byte-range support (206 / 416), resolving relative paths against the data directory. */
export async function sendRecording(c: Context, callId: string, rec: CallRecording, dataDir: string): Promise<Response> {
  const path = resolve(dataDir, rec.path);
  let size: number;
  let modified: Date;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a regular file');
    size = s.size;
    modified = s.mtime;
  } catch (cause) {
    throw Object.assign(new NotFoundError(`recording file of call ${callId}`), { cause });
  }
  const headers: Record<string, string> = {
    'Content-Type': contentType(rec),
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, no-cache',
    'Last-Modified': modified.toUTCString(),
    'Content-Disposition': `inline; filename="call-${callId}.${rec.format}"`,
  };
  const range = decideRange(c.req.header('range'), size);
  switch (range.kind) {
    case 'unsatisfiable':
      return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${size}` });
    case 'full':
      if (size === 0) return c.body(null, 200, { ...headers, 'Content-Length': '0' });
      return c.body(fileStream(path, 0, size - 1), 200, { ...headers, 'Content-Length': String(size) });
    case 'partial':
      return c.body(fileStream(path, range.start, range.end), 206, {
        ...headers, 'Content-Length': String(range.end - range.start + 1), 'Content-Range': `bytes ${range.start}-${range.end}/${size}`,
      });
  }
}

function fileStream(path: string, start: number, end: number): ReadableStream<Uint8Array> {
  return Readable.toWeb(createReadStream(path, { start, end })) as ReadableStream<Uint8Array>;
}
