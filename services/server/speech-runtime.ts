import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { Config } from '../config/index.js';
import { EngineError, type Logger, type Metrics } from '../core/index.js';
import { createModelManager, type InstalledModel } from '../models/index.js';
import { chooseEngine, createAsrWorkerPool, openEngine, type AsrEngine, type AsrWorkerPool } from '../speech/asr/index.js';
import type { EngineLookup, SpeechServices } from '../speech/pipeline/index.js';
import { resolveMetricsOptions, type MetricsOptionsInput } from '../speech/metrics/index.js';
import { createSentimentAnalyzer } from '../speech/sentiment/index.js';
import { createVad, type Vad } from '../speech/vad/index.js';

export interface SpeechRuntime {
  services: SpeechServices;
  close(): Promise<void>;
}

/**
 * The process-wide speech parts: the ASR worker pool (started on the first call that needs it), the VAD worker,
 * the sentiment engines, and the engine choice per call language (ASR_ENGINE, installed models).
 */
export async function createSpeechRuntime(config: Config, log: Logger, metrics: Metrics): Promise<SpeechRuntime> {
  const slog = log.child({ stage: 'speech' });
  const models = createModelManager({ modelsDir: resolve(config.speech.modelsDir), log: slog });
  let vad: Vad | null = null;
  try {
    vad = await createVad({ log: slog, metrics });
  } catch (err) {
    slog.error({ err }, 'voice activity detection unavailable: calls get no activity metrics and silence is not skipped');
  }
  let pool: AsrWorkerPool | undefined;
  const engines = new Map<string, Promise<AsrEngine>>();

  // Installed models are read from disk at most every 30 s, not at every call start.
  let installedAt = 0;
  let installedList: Promise<InstalledModel[]> = Promise.resolve([]);
  function installedVosk(): Promise<InstalledModel[]> {
    if (Date.now() - installedAt > 30_000) {
      installedAt = Date.now();
      installedList = models.listInstalled('vosk').catch((err: unknown) => {
        slog.warn({ err }, 'cannot list installed models');
        installedAt = 0;
        return [];
      });
    }
    return installedList;
  }

  async function engineFor(language: string, rate: number): Promise<EngineLookup> {
    const installed = await installedVosk();
    const choice = chooseEngine({ mode: config.speech.asrEngine, language, sampleRate: rate, installedVoskModels: installed });
    if (choice.status === 'not-transcribed') return { reason: choice.reason };
    const key = JSON.stringify(choice.specs);
    let engine = engines.get(key);
    if (!engine) {
      pool ??= createAsrWorkerPool({ size: config.speech.asrWorkers || availableParallelism(), log: slog, metrics });
      engine = openEngine(choice.specs, { pool, log: slog });
      engines.set(key, engine);
      engine.catch(() => engines.delete(key));
    }
    try {
      return { engine: await engine, name: choice.engine };
    } catch (err) {
      if (err instanceof EngineError) return { reason: err.message };
      throw err;
    }
  }

  // Validated here, at start-up, so a bad threshold stops the server with the field's name instead of failing calls.
  const metricsOptions = resolveMetricsOptions(config.speech.metrics as MetricsOptionsInput);
  const sentiment = createSentimentAnalyzer();
  return {
    services: { engineFor, vad, sentiment, log: slog, skipSilence: config.speech.skipSilence, metricsOptions },
    async close() {
      await Promise.allSettled([vad?.close(), pool?.close(), sentiment.close()]);
    },
  };
}
