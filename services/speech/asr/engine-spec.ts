import type { AsrCapabilities } from '../types.js';
import { createSphinxEngine, SPHINX_CAPABILITIES } from './sphinx-engine.js';
import type { EngineSpec, LocalAsrEngine } from './types.js';
import { createVoskEngineSync, voskCapabilities } from './vosk-engine.js';
import { loadVosk } from './vosk-lib.js';
import { loadVoskModel } from './vosk-models.js';

/** What an engine spec can do, without loading anything native. */
export function capabilitiesOf(spec: EngineSpec): AsrCapabilities {
  switch (spec.kind) {
    case 'sphinx':
      return SPHINX_CAPABILITIES;
    case 'vosk':
      return voskCapabilities(spec.language);
  }
}

/** A stable key for caching engines built from specs. */
export function specKey(spec: EngineSpec): string {
  return JSON.stringify(spec, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Builds the engine a spec describes, on this thread (synchronously: workers and benchmarks). */
export function createLocalEngine(spec: EngineSpec): LocalAsrEngine {
  switch (spec.kind) {
    case 'sphinx':
      return createSphinxEngine(spec);
    case 'vosk':
      return createVoskEngineSync(spec);
  }
}

/**
 * Loads what a spec needs once per process before it is handed to workers: a Vosk model is loaded here (off the
 * event loop) and workers get its address, so N workers share one copy.
 */
export async function prepareSpec(spec: EngineSpec): Promise<EngineSpec> {
  switch (spec.kind) {
    case 'sphinx':
      return spec;
    case 'vosk':
      if (spec.modelHandle !== undefined) return spec;
      return { ...spec, modelHandle: (await loadVoskModel(spec.modelPath, spec.modelName, loadVosk(spec.libPath))).pointer };
  }
}
