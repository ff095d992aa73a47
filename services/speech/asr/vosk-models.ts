import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { EngineError } from '../../core/index.js';
import { loadVosk, type VoskLib } from './vosk-lib.js';

/**
 * Vosk models loaded in this process, one per folder, shared by every recognizer: the model is read-only and
 * Vosk documents it as shareable across threads, so worker threads get its address instead of loading their own.
 */
export interface VoskModelHandle {
  path: string;
  name: string;
  pointer: bigint;
}

const loaded = new Map<string, Promise<VoskModelHandle>>();

export function missingModelError(path: string, name: string): EngineError {
  return new EngineError(`no Vosk model at ${path}; install with npm run models -- add ${name}`, false);
}

function unloadableModelError(path: string, name: string): EngineError {
  return new EngineError(
    `the Vosk model at ${path} could not be loaded (incomplete or corrupt); reinstall with npm run models -- add ${name}`,
    false,
  );
}

function checkFolder(path: string, name: string): void {
  if (!existsSync(path) || !statSync(path).isDirectory()) throw missingModelError(path, name);
}

/** Loads a model once per process (off the event loop); later calls share it. */
export function loadVoskModel(path: string, name = basename(path), lib: VoskLib = loadVosk()): Promise<VoskModelHandle> {
  const key = resolve(path);
  let p = loaded.get(key);
  if (!p) {
    p = (async () => {
      checkFolder(key, name);
      const pointer = await lib.modelNewAsync(key);
      if (!pointer) throw unloadableModelError(key, name);
      return { path: key, name, pointer };
    })();
    loaded.set(key, p);
    // A failed load is not cached: the model may be installed later.
    void p.catch(() => loaded.delete(key));
  }
  return p;
}

/** The synchronous form, for a worker thread that was not handed a loaded model. */
export function loadVoskModelSync(path: string, name = basename(path), lib: VoskLib = loadVosk()): VoskModelHandle {
  const key = resolve(path);
  checkFolder(key, name);
  const pointer = lib.modelNew(key);
  if (!pointer) throw unloadableModelError(key, name);
  const handle = { path: key, name, pointer };
  loaded.set(key, Promise.resolve(handle));
  return handle;
}

/** Releases this process's references (recognizers still alive keep their model until they are freed). */
export async function unloadVoskModels(lib: VoskLib = loadVosk()): Promise<void> {
  const all = await Promise.allSettled([...loaded.values()]);
  loaded.clear();
  for (const r of all) if (r.status === 'fulfilled') lib.modelFree(r.value.pointer);
}
