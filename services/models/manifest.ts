/**
 * The model manifest (`models/manifest.json`): the models Callsight knows how to fetch. Validated with zod;
 * every error names the entry and the field so a bad edit is found at once.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ValidationError } from '../core/index.js';

export const MODEL_ENGINES = ['vosk', 'onnx-sentiment', 'vad'] as const;
export type ModelEngine = (typeof MODEL_ENGINES)[number];
export const ARCHIVE_KINDS = ['zip', 'tar.gz', 'none'] as const;
export type ArchiveKind = (typeof ARCHIVE_KINDS)[number];

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits (a SHA-256), or null');
/** Some publishers (alphacephei's model-list.json) give only an MD5: checked too, but never instead of a SHA-256 pin. */
const md5 = z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lowercase hex digits (an MD5), or null');
const httpUrl = z.string().refine((s) => /^https?:\/\/[^/\s]+/.test(s), 'must be an http(s) URL');
const size = z.number().int().positive();
/** A path inside the model folder: relative, `/`-separated, no `..`. */
const relPath = z.string().min(1).refine(
  (p) => !p.startsWith('/') && !/^[a-zA-Z]:/.test(p) && !p.includes('\\') && p.split('/').every((s) => s !== '..' && s !== '.' && s !== ''),
  'must be a relative path inside the model folder (no "..", no leading "/")',
);

const fileSchema = z.strictObject({
  path: relPath,
  url: httpUrl,
  size: size.nullable(),
  sha256: sha256.nullable(),
  md5: md5.nullable().optional(),
});

const entrySchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'must be a folder name: letters, digits, ".", "_" or "-"'),
  engine: z.enum(MODEL_ENGINES),
  language: z.string().regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i, 'must be a BCP 47 tag such as "en-us" or "fa"'),
  sampleRate: z.number().int().positive().optional(),
  /** One download (an archive, or a single file when `archive` is "none")… */
  url: httpUrl.optional(),
  size: size.nullable().optional(),
  sha256: sha256.nullable().optional(),
  md5: md5.nullable().optional(),
  archive: z.enum(ARCHIVE_KINDS).optional(),
  /** …or several files placed at `path` inside the model folder. */
  files: z.array(fileSchema).min(1).optional(),
  description: z.string().min(1),
  license: z.string().optional(),
  homepage: httpUrl.optional(),
}).superRefine((e, ctx) => {
  if (e.url && e.files) ctx.addIssue({ code: 'custom', path: ['files'], message: 'give either url (one download) or files, not both' });
  if (!e.url && !e.files) ctx.addIssue({ code: 'custom', path: ['url'], message: 'required (or give files)' });
  if (e.url && !e.archive) ctx.addIssue({ code: 'custom', path: ['archive'], message: 'required with url: "zip", "tar.gz" or "none"' });
  if (e.files) {
    const seen = new Set<string>();
    e.files.forEach((f, i) => {
      if (seen.has(f.path)) ctx.addIssue({ code: 'custom', path: ['files', i, 'path'], message: `duplicate path ${f.path}` });
      seen.add(f.path);
    });
  }
});

const manifestSchema = z.strictObject({
  $comment: z.string().optional(),
  models: z.array(entrySchema),
});

export interface ModelFile {
  /** Where the file goes inside the model folder (for a single download: the downloaded file itself). */
  path: string;
  url: string;
  size: number | null;
  sha256: string | null;
  /** The publisher's MD5, when that is all it gives. */
  md5: string | null;
}

/** A manifest entry, normalised: `downloads` holds the one archive or the several files. */
export interface ModelEntry {
  name: string;
  engine: ModelEngine;
  language: string;
  sampleRate?: number;
  archive: ArchiveKind;
  downloads: ModelFile[];
  /** Total bytes to download when every size is known. */
  size: number | null;
  description: string;
  license?: string;
  homepage?: string;
}

export interface Manifest {
  models: ModelEntry[];
  get(name: string): ModelEntry | undefined;
}

function fileNameOf(url: string): string {
  const last = new URL(url).pathname.split('/').filter(Boolean).pop();
  return last ? decodeURIComponent(last) : 'download';
}

function normalise(e: z.infer<typeof entrySchema>): ModelEntry {
  const downloads: ModelFile[] = e.files
    ? e.files.map((f) => ({ ...f, md5: f.md5 ?? null }))
    : [{ path: fileNameOf(e.url ?? ''), url: e.url ?? '', size: e.size ?? null, sha256: e.sha256 ?? null, md5: e.md5 ?? null }];
  const known = downloads.every((d) => d.size !== null);
  return {
    name: e.name, engine: e.engine, language: e.language.toLowerCase(), sampleRate: e.sampleRate,
    archive: e.files ? 'none' : (e.archive ?? 'none'), downloads,
    size: known ? downloads.reduce((n, d) => n + (d.size ?? 0), 0) : null,
    description: e.description, license: e.license, homepage: e.homepage,
  };
}

function describeIssue(raw: unknown, issue: z.core.$ZodIssue, source: string): ValidationError {
  const [top, index, ...rest] = issue.path;
  if (top === 'models' && typeof index === 'number') {
    const entry = Array.isArray((raw as { models?: unknown }).models) ? (raw as { models: unknown[] }).models[index] : undefined;
    const name = entry && typeof entry === 'object' && typeof (entry as { name?: unknown }).name === 'string'
      ? `"${(entry as { name: string }).name}"` : `#${index}`;
    const field = rest.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(entry)';
    return new ValidationError(`${source}: model ${name}, field ${field}: ${issue.message}`, `models[${index}].${field}`);
  }
  const path = issue.path.map(String).join('.') || '(root)';
  return new ValidationError(`${source}: ${path}: ${issue.message}`, path);
}

/** Validates a parsed manifest; `source` names it in errors. Throws the first problem as a ValidationError. */
export function parseManifest(raw: unknown, source = 'manifest'): Manifest {
  const result = manifestSchema.safeParse(raw);
  if (!result.success) throw describeIssue(raw, result.error.issues[0], source);
  const models = result.data.models.map(normalise);
  const names = new Set<string>();
  for (const m of models) {
    if (names.has(m.name)) throw new ValidationError(`${source}: model "${m.name}" is listed twice`, 'models.name');
    names.add(m.name);
  }
  return { models, get: (name) => models.find((m) => m.name === name) };
}

/** Points a URL at a mirror: `https://host/a/b.zip` with base `http://mirror/x` gives `http://mirror/x/a/b.zip`. */
export function rebaseUrl(url: string, base: string): string {
  const u = new URL(url);
  const b = new URL(base);
  return `${b.origin}${b.pathname.replace(/\/+$/, '')}${u.pathname}${u.search}`;
}

/** The manifest with every download fetched from `base` instead (a company mirror; tests). */
export function rebaseManifest(m: Manifest, base: string): Manifest {
  const models = m.models.map((e) => ({ ...e, downloads: e.downloads.map((d) => ({ ...d, url: rebaseUrl(d.url, base) })) }));
  return { models, get: (name) => models.find((e) => e.name === name) };
}

export async function loadManifest(path: string): Promise<Manifest> {
  let text: string;
  try { text = await readFile(path, 'utf8'); } catch (cause) {
    throw new ValidationError(`cannot read the model manifest ${path}`, path, { cause });
  }
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (cause) {
    throw new ValidationError(`the model manifest ${path} is not valid JSON: ${(cause as Error).message}`, path, { cause });
  }
  return parseManifest(raw, path);
}
