/**
 * Test fixtures for the model manager: a temporary models folder with its own manifest, and small but real model
 * archives (a Vosk layout zipped or tarred) served by the local test server. Not used at run time.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModelManager, type ModelManager, type ModelManagerOptions } from './model-manager.js';
import { buildTarGz, buildZip, type ArchiveEntry } from './test-archives.js';

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
export const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

/** The files of a (fake) Vosk model in its usual layout, under one top-level folder like the real zips. */
export function voskModelEntries(top: string, words = 'hello world'): ArchiveEntry[] {
  return [
    { name: `${top}/` },
    { name: `${top}/am/final.mdl`, data: `acoustic model for ${top} `.repeat(2000) },
    { name: `${top}/conf/model.conf`, data: '--min-active=200\n--max-active=3000\n' },
    { name: `${top}/graph/words.txt`, data: words.split(' ').map((w, i) => `${w} ${i}`).join('\n') },
    { name: `${top}/README`, data: `${top}\n` },
  ];
}

export const voskZip = (top: string, words?: string): Buffer => buildZip(voskModelEntries(top, words));
export const voskTarGz = (top: string, words?: string): Buffer => buildTarGz(voskModelEntries(top, words));

export interface EntryOptions {
  language?: string;
  archive?: 'zip' | 'tar.gz';
  /** `true`: the body's real SHA-256; a string: that value; default null (none published). */
  sha256?: boolean | string;
  md5?: string;
  /** Default: the body's length; null: not published. */
  size?: number | null;
}

/** A manifest entry (as JSON) for a Vosk archive served at `url`. */
export function voskEntry(name: string, url: string, body: Buffer, o: EntryOptions = {}): Record<string, unknown> {
  return {
    name, engine: 'vosk', language: o.language ?? 'en-us', sampleRate: 16000, url,
    size: o.size === undefined ? body.length : o.size,
    sha256: o.sha256 === true ? sha256(body) : typeof o.sha256 === 'string' ? o.sha256 : null,
    ...(o.md5 ? { md5: o.md5 } : {}),
    archive: o.archive ?? 'zip', description: `test model ${name}`,
  };
}

export interface Fixture {
  readonly dir: string;
  readonly modelsDir: string;
  readonly manifestPath: string;
  writeManifest(models: unknown[]): Promise<void>;
  manager(o?: Partial<ModelManagerOptions>): ModelManager;
  /** Names in the models folder, hidden ones included (`.partial`, `.tmp-…`), sorted. */
  listDir(sub?: string): Promise<string[]>;
  remove(): Promise<void>;
}

export async function createFixture(): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'callsight-models-'));
  const modelsDir = join(dir, 'models');
  const manifestPath = join(dir, 'manifest.json');
  await mkdir(modelsDir);
  return {
    dir, modelsDir, manifestPath,
    writeManifest: (models) => writeFile(manifestPath, JSON.stringify({ models }, null, 2)),
    manager: (o = {}) => createModelManager({ modelsDir, manifestPath, retryDelayMs: 5, ...o }),
    listDir: async (sub) => (await readdir(sub ? join(modelsDir, sub) : modelsDir).catch(() => [] as string[])).sort(),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
