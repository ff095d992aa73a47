import { randomUUID } from 'node:crypto';
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requireRole, type AuthEnv } from '../../auth/index.js';
import { ValidationError } from '../../core/index.js';
import {
  createMetadataLookup, mergeImportMeta, parseImportMeta, parseMetadataCsv, type Importer, type ImportMeta, type PreparedImport,
} from '../../import/index.js';
import type { ServerContext } from '../context.js';
import { auditAction } from './audit.js';

/** Largest import request (all files together). Uploads are held in memory while the form is parsed. */
export const DEFAULT_MAX_UPLOAD_BYTES = 256 * 1024 * 1024;

export interface ImportRoutesOptions {
  importer: Importer;
  maxUploadBytes?: number;
}

/** A file name fit to show and store (no folders, no control characters). */
function displayName(name: string): string {
  const clean = basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean || 'upload';
}

/** An extension that helps ffmpeg guess the format; anything odd is dropped (ffmpeg probes the content anyway). */
function safeExtension(name: string): string {
  const ext = extname(name).toLowerCase();
  return /^\.[a-z0-9]{1,8}$/.test(ext) ? ext : '';
}

/**
 * POST /import under /api/calls — admin and qa. A multipart form with one or more audio files (any field name) and
 * optional metadata fields for all of them (agent, queue, direction, language, customerNumber, startedAt, left,
 * mono), plus optionally a `csv` field (file or text) with per-file rows matched by file name. Each file is probed
 * first: 202 with the calls created (processed in the background; `stats.import` and the transcription status on
 * the call show progress) and the files refused with ffmpeg's reason; 422 when no file is audio; 413 over the size limit.
 */
export function createImportRoutes(ctx: Pick<ServerContext, 'db' | 'config' | 'log'>, opts: ImportRoutesOptions): Hono<AuthEnv> {
  const { importer } = opts;
  const maxSize = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const uploads = join(ctx.config.dataDir, 'imports');
  const log = ctx.log.child({ stage: 'import' });
  const app = new Hono<AuthEnv>();

  app.post(
    '/import',
    requireRole('admin', 'qa'),
    bodyLimit({
      maxSize,
      onError: (c) => c.json({ error: `the upload is larger than ${Math.floor(maxSize / 1024 / 1024)} MiB: send fewer or smaller files per request` }, 413),
    }),
    async (c) => {
      const form = await c.req.parseBody({ all: true });
      const files: File[] = [];
      const fields: Record<string, string> = {};
      let csvText: string | undefined;
      for (const [key, value] of Object.entries(form)) {
        for (const v of Array.isArray(value) ? value : [value]) {
          if (key === 'csv') csvText = typeof v === 'string' ? v : await v.text();
          else if (typeof v !== 'string') files.push(v);
          else if (key in fields) throw new ValidationError(`${key} is given twice`, key);
          else fields[key] = v;
        }
      }
      if (!files.length) throw new ValidationError('no files: send one or more audio files as multipart/form-data', 'file');
      const base = parseImportMeta(fields);
      const lookup = csvText === undefined ? () => undefined : createMetadataLookup(parseMetadataCsv(csvText, 'csv'));
      await mkdir(uploads, { recursive: true });

      const accepted: { file: string; prepared: PreparedImport; path: string }[] = [];
      const errors: { file: string; error: string }[] = [];
      try {
        for (const upload of files) {
          const name = displayName(upload.name);
          const path = join(uploads, `${randomUUID()}${safeExtension(name)}`);
          await writeFile(path, Buffer.from(await upload.arrayBuffer()));
          const meta: ImportMeta = mergeImportMeta(base, lookup(name)?.meta);
          try {
            accepted.push({ file: name, prepared: await importer.prepare(path, { name, meta }), path });
          } catch (err) {
            await unlink(path).catch(() => undefined);
            if (!(err instanceof ValidationError)) throw err;
            errors.push({ file: name, error: err.message });
          }
        }
      } catch (err) {
        // Something other than a bad file (no ffmpeg, the database): the files already accepted still run.
        log.error({ err }, 'import request failed');
        if (!accepted.length) throw err;
        errors.push({ file: '', error: `the rest of the request failed: ${(err as Error).message}` });
      }
      for (const a of accepted) {
        void importer.run(a.prepared).finally(() => unlink(a.path).catch((err: unknown) => log.warn({ err, path: a.path }, 'could not remove an imported upload')));
      }
      if (!accepted.length) return c.json({ error: 'none of the files could be imported', errors }, 422);
      const calls = accepted.map(({ file, prepared: p }) => ({
        file, callId: p.callId, format: p.probe.format, codec: p.probe.codec, durationMs: p.probe.durationMs,
        rate: p.rate, channels: p.channels === 2 ? 'stereo' : 'mono',
      }));
      await auditAction(ctx.db, c, 'calls.imported', { type: 'call', id: calls[0].callId }, {
        calls: calls.map(({ file, callId }) => ({ file, callId })), refused: errors.map((e) => e.file),
      });
      return c.json({ calls, errors }, 202);
    },
  );
  return app;
}
