import { EngineError, ValidationError, type Logger } from '../../core/index.js';
import { createLocalEngine, prepareSpec } from './engine-spec.js';
import { createFallbackEngine } from './fallback-engine.js';
import { SPHINX_CAPABILITIES } from './sphinx-engine.js';
import { sphinxInstalled } from './sphinx-lib.js';
import { languageMatches, unsupportedReason } from './support.js';
import type { AsrEngine, EngineSpec } from './types.js';
import { voskCapabilities } from './vosk-engine.js';
import type { AsrWorkerPool } from './worker-pool.js';

/** `ASR_ENGINE`: `auto` prefers Vosk (a model for the call's language) and falls back to PocketSphinx. */
export type AsrEngineMode = 'auto' | 'vosk' | 'sphinx';
export const ASR_ENGINE_MODES: readonly AsrEngineMode[] = ['auto', 'vosk', 'sphinx'];

export function parseAsrEngineMode(value: string | undefined): AsrEngineMode {
  const v = (value ?? 'auto').trim().toLowerCase() || 'auto';
  if ((ASR_ENGINE_MODES as readonly string[]).includes(v)) return v as AsrEngineMode;
  throw new ValidationError(`ASR_ENGINE must be one of ${ASR_ENGINE_MODES.join(', ')}, got "${value}"`, 'ASR_ENGINE');
}

/** An installed Vosk model (as the model manager lists it). */
export interface InstalledVoskModel {
  name: string;
  /** BCP 47 tag or primary subtag: `en-us`, `de`. */
  language: string;
  path: string;
}

export interface ChooseEngineInput {
  mode: AsrEngineMode;
  language: string;
  sampleRate: number;
  installedVoskModels: readonly InstalledVoskModel[];
  /** Whether PocketSphinx (library + en-us model) is installed; checked on disk when omitted. */
  sphinxAvailable?: boolean;
}

/** The engines to use, best first — or why this channel is not transcribed. Never silent. */
export type EngineChoice =
  | { status: 'transcribed'; engine: string; specs: EngineSpec[] }
  | { status: 'not-transcribed'; reason: string };

function pickVoskModel(models: readonly InstalledVoskModel[], language: string): InstalledVoskModel | undefined {
  const exact = models.find((m) => m.language.toLowerCase() === language.toLowerCase());
  return exact ?? models.find((m) => languageMatches(m.language, language));
}

export function chooseEngine(input: ChooseEngineInput): EngineChoice {
  const { mode, language, sampleRate } = input;
  const reasons: string[] = [];
  const candidates: EngineSpec[] = [];

  if (mode !== 'sphinx') {
    const model = pickVoskModel(input.installedVoskModels, language);
    const why = model ? unsupportedReason('vosk', voskCapabilities(model.language), { language, sampleRate }) : `no Vosk model for ${language} installed`;
    if (model && !why) candidates.push({ kind: 'vosk', modelPath: model.path, modelName: model.name, language: model.language });
    else reasons.push(why ?? '');
  }
  if (mode !== 'vosk') {
    const installed = input.sphinxAvailable ?? sphinxInstalled();
    const why = !installed
      ? 'PocketSphinx is not installed'
      : languageMatches('en', language) && sampleRate < 16_000
        ? `PocketSphinx needs 16 kHz audio, this channel is ${sampleRate} Hz`
        : unsupportedReason('sphinx', SPHINX_CAPABILITIES, { language, sampleRate });
    if (!why) candidates.push({ kind: 'sphinx' });
    else reasons.push(why);
  }
  if (!candidates.length) {
    return { status: 'not-transcribed', reason: `not transcribed: no model for ${language} (${reasons.join('; ')})` };
  }
  return { status: 'transcribed', engine: candidates.map((c) => c.kind).join('>'), specs: candidates };
}

/**
 * Builds the engine a choice names — in the worker pool when given one — wrapped for fallback when there are
 * several. A spec that cannot be opened (e.g. a corrupt Vosk model) is skipped while another remains.
 */
export async function openEngine(specs: readonly EngineSpec[], opts: { pool?: AsrWorkerPool; log?: Logger } = {}): Promise<AsrEngine> {
  const engines: AsrEngine[] = [];
  const reasons: string[] = [];
  for (const spec of specs) {
    try {
      const prepared = await prepareSpec(spec);
      engines.push(opts.pool ? opts.pool.engine(prepared) : createLocalEngine(prepared));
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      reasons.push(err.message);
      opts.log?.warn({ err, engine: spec.kind }, 'asr engine unavailable, trying the next');
    }
  }
  if (!engines.length) throw new EngineError(`not transcribed: ${reasons.join('; ') || 'no engine'}`, false);
  return engines.length === 1 ? engines[0] : createFallbackEngine(engines, { log: opts.log });
}
