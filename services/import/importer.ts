import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { resolveFfmpeg } from '../audio/index.js';
import type { SampleRate, TapProtocol } from '../calls/index.js';
import type { Config } from '../config/index.js';
import { createMetrics, type Logger, type Metrics } from '../core/index.js';
import type { EventBus } from '../live/index.js';
import { createSpeechRuntime, type SpeechRuntime } from '../server/speech-runtime.js';
import { createAgentRepo, createCallRepo, createQueueRepo, type Db } from '../store/index.js';
import { importCall, IMPORT_CAPABILITIES, type ImportOutcome, type ImportProgress, type PreparedImport } from './import-call.js';
import type { ImportMeta } from './metadata.js';
import { findFfprobe, probeAudio } from './probe.js';

/** Stored as the calls' protocol (migration 005). TapProtocol names the live taps only, hence the widening here. */
const IMPORT_PROTOCOL = 'import' as string as TapProtocol;

/**
 * Audio an import's pipeline holds before the feeder waits. Small, so progress (audio handed over) stays close to
 * audio transcribed; imports wait rather than drop, so it costs nothing.
 */
const IMPORT_BACKLOG_MS = 10_000;

export interface ImporterOptions {
  config: Config;
  db: Db;
  bus: EventBus;
  log: Logger;
  /**
   * A speech runtime to share. Without one the importer opens its own when the first file needs it, with
   * `asrWorkers` recognition workers (default: config.speech.asrWorkers, else one per core) and its own metrics
   * registry (so it cannot overwrite the server's ASR gauges).
   */
  speech?: SpeechRuntime;
  asrWorkers?: number;
  /** Close the importer's own speech runtime whenever no file is queued or running (the server: workers only during imports). */
  closeSpeechWhenIdle?: boolean;
  /** Files processed at once (default: one per two ASR workers, at least one). */
  concurrency?: number;
  /** ffmpeg to decode and transcode with (default: resolved from config.ffmpegPath on first use). */
  ffmpegPath?: string;
  metrics?: Metrics;
}

export interface Importer {
  /**
   * Probes a file and stores its call (status live, transcription pending, `stats.import.state` queued).
   * Throws NotAudioError naming the file when ffmpeg cannot read it as audio; nothing is stored then.
   */
  prepare(file: string, opts?: { name?: string; meta?: ImportMeta }): Promise<PreparedImport>;
  /** Processes a prepared file once a slot is free. Never rejects: the outcome says whether it worked. */
  run(prepared: PreparedImport, opts?: { onProgress?: (p: ImportProgress) => void }): Promise<ImportOutcome>;
  /** Files queued or running. */
  readonly pending: number;
  /** Settles when no file is queued or running. */
  idle(): Promise<void>;
  /** Stops the files being processed (their calls end `interrupted` with what was decoded) and those queued. */
  abort(reason?: string): void;
  /** Waits for the files in hand, then closes the importer's own speech runtime. */
  close(): Promise<void>;
}

/** Decoded rate for a source rate: narrowband stays 8 kHz (upsampling adds nothing), everything else becomes 16 kHz. */
export function importRate(sourceRate: number): SampleRate {
  return sourceRate <= 8000 ? 8000 : 16000;
}

/** Batch import of recorded calls (CLI and API): probe and store first, then process with bounded concurrency. */
export function createImporter(opts: ImporterOptions): Importer {
  const { config, db, bus, log } = opts;
  const ilog = log.child({ stage: 'import' });
  const workers = opts.asrWorkers ?? (config.speech.asrWorkers || availableParallelism());
  const concurrency = Math.max(1, opts.concurrency ?? Math.floor(workers / 2));
  const recordingErrors = opts.metrics?.counter('callsight_recording_errors_total', 'Recording errors by kind (writes are retried; audio is held in memory meanwhile)');
  const controller = new AbortController();
  let tools: { ffmpegPath: string; ffprobePath?: string } | undefined;
  let own: Promise<SpeechRuntime | null> | undefined;
  let noSpeechReason = 'speech processing is turned off (SPEECH_ENABLED=false)';
  let active = 0;
  let pending = 0;
  const waiting: (() => void)[] = [];
  const idleWaiters: (() => void)[] = [];

  function resolveTools() {
    if (!tools) {
      const ffmpegPath = opts.ffmpegPath ?? resolveFfmpeg(config.ffmpegPath).path;
      tools = { ffmpegPath, ffprobePath: findFfprobe(ffmpegPath) };
      ilog.info({ ...tools }, 'import tools found');
    }
    return tools;
  }

  const forImport = (rt: SpeechRuntime): SpeechRuntime => ({ services: { ...rt.services, maxBacklogMs: IMPORT_BACKLOG_MS }, close: () => rt.close() });

  function speech(): Promise<SpeechRuntime | null> {
    if (opts.speech) return Promise.resolve(forImport(opts.speech));
    if (!config.speech.enabled) return Promise.resolve(null);
    own ??= createSpeechRuntime({ ...config, speech: { ...config.speech, asrWorkers: workers } }, log, createMetrics())
      .then(forImport)
      .catch((err: unknown) => {
        ilog.error({ err }, 'speech runtime could not start: imported calls are not transcribed');
        noSpeechReason = `speech processing could not start: ${(err as Error).message}`;
        own = undefined;
        return null;
      });
    return own;
  }

  async function closeOwn(): Promise<void> {
    const rt = own;
    own = undefined;
    await (await rt)?.close();
  }

  function idle(): Promise<void> {
    return pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));
  }

  async function slot(): Promise<void> {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
  }

  async function release(): Promise<void> {
    active--;
    pending--;
    waiting.shift()?.();
    if (pending === 0) {
      if (opts.closeSpeechWhenIdle) await closeOwn();
      while (idleWaiters.length) idleWaiters.shift()!();
    }
  }

  return {
    get pending() { return pending; },
    async prepare(file, { name = basename(file), meta = {} } = {}) {
      const { ffmpegPath, ffprobePath } = resolveTools();
      const probe = await probeAudio(file, { ffmpegPath, ffprobePath, name });
      const rate = importRate(probe.rate);
      const channels = probe.channels >= 2 && !meta.mono ? 2 : 1;
      const prepared: PreparedImport = {
        callId: randomUUID(), file, name, probe, rate, channels, left: meta.left ?? 'agent',
        language: meta.language ?? config.speech.defaultLanguage, direction: meta.direction ?? 'inbound',
        agent: meta.agent, queue: meta.queue, startedAt: meta.startedAt ?? probe.createdAt ?? new Date(),
      };
      const agent = meta.agent ? await createAgentRepo(db).findOrCreate(meta.agent) : undefined;
      const queue = meta.queue ? await createQueueRepo(db).findOrCreate(meta.queue) : undefined;
      const calls = createCallRepo(db);
      await calls.insert({
        id: prepared.callId, protocol: IMPORT_PROTOCOL, externalId: name, direction: prepared.direction,
        startedAt: prepared.startedAt, sampleRate: rate, agentId: agent?.id ?? null, queueId: queue?.id ?? null,
        customerNumber: meta.customerNumber ?? null, language: prepared.language, capabilities: IMPORT_CAPABILITIES,
        nodeId: config.nodeId,
        metadata: {
          import: {
            file: name, format: probe.format, codec: probe.codec, sourceRate: probe.rate, sourceChannels: probe.channels,
            channels: channels === 2 ? 'stereo' : 'mono', ...(channels === 2 ? { left: prepared.left } : { monoSpeaker: 'agent' }),
          },
        },
      });
      await calls.mergeStats(prepared.callId, { import: { state: 'queued', progress: 0, audioMs: 0 } });
      return prepared;
    },
    async run(prepared, { onProgress } = {}) {
      pending++;
      await slot();
      try {
        const runtime = controller.signal.aborted ? null : await speech();
        return await importCall(prepared, {
          db, bus, log, dataDir: config.dataDir, ffmpegPath: resolveTools().ffmpegPath,
          recording: { transcode: config.recording.transcode, opusBitrateKbps: config.recording.opusBitrateKbps },
          speech: runtime, noSpeechReason, onRecordingError: (kind) => recordingErrors?.inc(1, { kind }),
        }, { onProgress, signal: controller.signal });
      } finally {
        await release();
      }
    },
    idle,
    abort(reason = 'import stopped') {
      controller.abort(new Error(reason));
    },
    async close() {
      await idle();
      await closeOwn();
    },
  };
}
