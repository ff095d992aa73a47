/**
 * The model manager: lists the manifest's models with what is installed, downloads (resumable, retried),
 * verifies, unpacks atomically, imports archives fetched elsewhere, removes, and finds a model for an engine
 * and language. Installs never leave a half-unpacked `models/<name>`: see install.ts for the layout.
 */
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, ConflictError, type Logger } from '../core/index.js';
import { createChecksumStore, type ChecksumStore } from './checksums.js';
import { downloadModel } from './download-model.js';
import { ArchiveError } from './errors.js';
import { importFromFile, resolveImportEntry } from './import-model.js';
import { installFiles, type InstallContext, type ModelProgress } from './install-files.js';
import {
  CHECKSUMS_FILE, PARTIAL_DIR, partialPath, pathExists, readInstalled, removeStaleStaging, type InstalledRecord,
} from './install.js';
import { languageScore } from './language.js';
import { loadManifest, rebaseManifest, type Manifest, type ModelEngine, type ModelEntry } from './manifest.js';
import { acquireLock } from './lock.js';

export type { ModelProgress } from './install-files.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_MODELS_DIR = join(REPO_ROOT, 'models');
export const DEFAULT_MANIFEST = join(REPO_ROOT, 'models', 'manifest.json');

export type ModelState = 'installed' | 'unverified' | 'missing';

export interface ModelStatus {
  name: string;
  engine: ModelEngine;
  language: string;
  description: string;
  /** Download size in bytes, when known. */
  size: number | null;
  /** `unverified`: the folder exists but was not installed by the manager (no installed.json). */
  state: ModelState;
  path: string;
  /** The manifest entry; absent for an installed model the manifest no longer lists. */
  entry?: ModelEntry;
  installed?: InstalledRecord;
}

/** An installed model as engines need it (the shape of the ASR chooser's `InstalledVoskModel`). */
export interface InstalledModel {
  name: string;
  engine: ModelEngine;
  language: string;
  path: string;
  sampleRate?: number;
}

export interface ModelManagerOptions {
  /** Where models are installed; default `$CALLSIGHT_MODELS_DIR`, `$MODELS_DIR` or `<repo>/models`. */
  modelsDir?: string;
  /** Default `$CALLSIGHT_MODELS_MANIFEST` or `<repo>/models/manifest.json`. */
  manifestPath?: string;
  /**
   * Fetch every download from this mirror instead, keeping each URL's path (`$CALLSIGHT_MODELS_BASE_URL`):
   * `https://alphacephei.com/vosk/models/x.zip` becomes `<base>/vosk/models/x.zip`. Checksums still apply.
   */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** First retry delay (doubles each time); default 1 s. */
  retryDelayMs?: number;
  stallTimeoutMs?: number;
  log?: Logger;
}

export interface AddOptions {
  onProgress?: (p: ModelProgress) => void;
  signal?: AbortSignal;
  /** Further attempts after a network error or 5xx; default 4. */
  retries?: number;
  /** Reinstall over an existing model folder. */
  force?: boolean;
}

export interface ImportOptions {
  /** The manifest model the file holds; inferred from the file name when omitted. */
  name?: string;
  onProgress?: (p: ModelProgress) => void;
  signal?: AbortSignal;
  force?: boolean;
}

export interface ModelManager {
  readonly modelsDir: string;
  readonly manifestPath: string;
  manifest(): Promise<Manifest>;
  listModels(): Promise<ModelStatus[]>;
  addModel(name: string, opts?: AddOptions): Promise<ModelStatus>;
  importModel(file: string, opts?: ImportOptions): Promise<ModelStatus>;
  removeModel(name: string): Promise<void>;
  /** Installed models, optionally of one engine. */
  listInstalled(engine?: ModelEngine): Promise<InstalledModel[]>;
  /** The best installed model for an engine and language: exact tag first, then the same primary language. */
  findInstalledModel(engine: ModelEngine, language: string): Promise<InstalledModel | undefined>;
  /** Like findInstalledModel, but throws an error that says which model to install. */
  resolveModelPath(engine: ModelEngine, language: string): Promise<string>;
}

const NAME = /^[a-z0-9][a-z0-9._-]*$/i;

export function createModelManager(opts: ModelManagerOptions = {}): ModelManager {
  const env = (name: string) => process.env[name] || undefined;
  // MODELS_DIR is also what the server reads (config speech.modelsDir), so both see the same folder.
  const modelsDir = resolve(opts.modelsDir ?? env('CALLSIGHT_MODELS_DIR') ?? env('MODELS_DIR') ?? DEFAULT_MODELS_DIR);
  const manifestPath = resolve(opts.manifestPath ?? env('CALLSIGHT_MODELS_MANIFEST') ?? DEFAULT_MANIFEST);
  const baseUrl = opts.baseUrl ?? env('CALLSIGHT_MODELS_BASE_URL');
  const checksums: ChecksumStore = createChecksumStore(join(modelsDir, CHECKSUMS_FILE));
  const ctx: InstallContext = { modelsDir, checksums };
  const manifest = async () => {
    const m = await loadManifest(manifestPath);
    return baseUrl ? rebaseManifest(m, baseUrl) : m;
  };

  async function requireEntry(name: string): Promise<ModelEntry> {
    const m = await manifest();
    const entry = m.get(name);
    if (!entry) {
      throw new AppError(`unknown model "${name}"; the manifest lists: ${m.models.map((e) => e.name).join(', ') || '(none)'}`, { status: 404 });
    }
    return entry;
  }

  async function statusOf(entry: ModelEntry): Promise<ModelStatus> {
    const path = join(modelsDir, entry.name);
    const installed = await readInstalled(path);
    const state: ModelState = installed ? 'installed' : (await pathExists(path)) ? 'unverified' : 'missing';
    return {
      name: entry.name, engine: entry.engine, language: entry.language, description: entry.description,
      size: entry.size, state, path, entry, installed,
    };
  }

  /** Refuses to install over a folder unless forced; returns the current status when already installed. */
  async function precheck(entry: ModelEntry, force: boolean | undefined): Promise<ModelStatus | undefined> {
    const current = await statusOf(entry);
    if (current.state === 'installed' && !force) return current;
    if (current.state === 'unverified' && !force) {
      throw new ConflictError(`${current.path} exists but was not installed by the model manager; remove it or use --force`);
    }
    return undefined;
  }

  async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    await mkdir(join(modelsDir, PARTIAL_DIR), { recursive: true });
    const release = await acquireLock(join(modelsDir, PARTIAL_DIR, `${name}.lock`), `model ${name}`);
    try {
      await removeStaleStaging(modelsDir, name);
      return await fn();
    } finally {
      await release();
    }
  }

  async function removePartials(entry: ModelEntry): Promise<void> {
    await Promise.all(entry.downloads.map((_, i) => rm(partialPath(modelsDir, entry, i), { force: true })));
    await rm(join(modelsDir, PARTIAL_DIR, entry.name), { recursive: true, force: true });
  }

  async function addModel(name: string, o: AddOptions = {}): Promise<ModelStatus> {
    const entry = await requireEntry(name);
    const done = await precheck(entry, o.force);
    if (done) return done;
    return withLock(name, async () => {
      const now = await precheck(entry, o.force); // another run may have finished while we waited
      if (now) return now;
      const files = await downloadModel(ctx, entry, {
        signal: o.signal, retries: o.retries, retryDelayMs: opts.retryDelayMs, stallTimeoutMs: opts.stallTimeoutMs,
        fetch: opts.fetch, log: opts.log, manifestPath, onProgress: o.onProgress,
      });
      try {
        await installFiles(ctx, entry, files, { source: 'download', origin: entry.downloads[0].url, move: true, signal: o.signal, onProgress: o.onProgress });
      } catch (err) {
        if (err instanceof ArchiveError) await removePartials(entry); // verified but unusable: fetch afresh next time
        throw err;
      }
      await removePartials(entry);
      return statusOf(entry);
    });
  }

  async function importModel(file: string, o: ImportOptions = {}): Promise<ModelStatus> {
    const m = await manifest();
    const entry = resolveImportEntry(m, resolve(file), o.name);
    const done = await precheck(entry, o.force);
    if (done) return done;
    return withLock(entry.name, async () => {
      const now = await precheck(entry, o.force);
      if (now) return now;
      await importFromFile(ctx, entry, resolve(file), { signal: o.signal, onProgress: o.onProgress });
      return statusOf(entry);
    });
  }

  async function removeModel(name: string): Promise<void> {
    if (!NAME.test(name)) throw new AppError(`"${name}" is not a model name`, { status: 400 });
    const dest = join(modelsDir, name);
    if (!(await pathExists(dest))) throw new AppError(`model ${name} is not installed (no ${dest})`, { status: 404 });
    await withLock(name, async () => {
      // Rename first, so a half-deleted folder never looks like an installed model.
      const doomed = join(modelsDir, `.old-${name}-${randomBytes(4).toString('hex')}`);
      await rename(dest, doomed);
      await rm(doomed, { recursive: true, force: true });
      const entry = (await manifest()).get(name);
      if (entry) await removePartials(entry);
    });
  }

  async function listModels(): Promise<ModelStatus[]> {
    const m = await manifest();
    const listed = await Promise.all(m.models.map(statusOf));
    const known = new Set(m.models.map((e) => e.name));
    const dirs = await readdir(modelsDir, { withFileTypes: true }).catch(() => []);
    for (const d of dirs) {
      if (!d.isDirectory() || d.name.startsWith('.') || known.has(d.name)) continue;
      const installed = await readInstalled(join(modelsDir, d.name));
      if (!installed) continue;
      listed.push({
        name: d.name, engine: installed.engine, language: installed.language, description: '(no longer in the manifest)',
        size: installed.size, state: 'installed', path: join(modelsDir, d.name), installed,
      });
    }
    return listed;
  }

  async function listInstalled(engine?: ModelEngine): Promise<InstalledModel[]> {
    return (await listModels())
      .filter((s) => s.state !== 'missing' && (!engine || s.engine === engine))
      .map((s) => ({ name: s.name, engine: s.engine, language: s.language, path: s.path, sampleRate: s.entry?.sampleRate ?? s.installed?.sampleRate }));
  }

  async function findInstalledModel(engine: ModelEngine, language: string): Promise<InstalledModel | undefined> {
    let best: InstalledModel | undefined;
    let bestScore = 0;
    for (const m of await listInstalled(engine)) {
      const score = languageScore(m.language, language);
      if (score > bestScore) { best = m; bestScore = score; }
    }
    return best;
  }

  async function resolveModelPath(engine: ModelEngine, language: string): Promise<string> {
    const found = await findInstalledModel(engine, language);
    if (found) return found.path;
    const candidates = (await manifest()).models.filter((e) => e.engine === engine && languageScore(e.language, language) > 0);
    const hint = candidates.length
      ? `install one with \`npm run models -- add ${candidates[0].name}\``
      : `the manifest lists none for ${language}`;
    throw new AppError(`no ${engine} model for ${language} is installed in ${modelsDir}; ${hint}`, { status: 404 });
  }

  return {
    modelsDir, manifestPath, manifest, listModels, addModel, importModel, removeModel,
    listInstalled, findInstalledModel, resolveModelPath,
  };
}
