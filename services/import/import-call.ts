import { join, relative } from 'node:path';
import type { CallDirection, Capabilities, Channel, SampleRate } from '../calls/index.js';
import type { Logger } from '../core/index.js';
import type { EventBus } from '../live/index.js';
import { createRecorder, type Recorder, type RecordingErrorHandler, type RecordingInfo } from '../recording/index.js';
import { attachCallSpeech } from '../server/call-speech.js';
import type { SpeechRuntime } from '../server/speech-runtime.js';
import type { CallPipeline } from '../speech/pipeline/index.js';
import { createCallRepo, createTranscriptRepo, recordCallFinished, type Db, type Transcription } from '../store/index.js';
import { decodePcm } from './decode.js';
import { createFrameCutter, type FramePair } from './frames.js';
import { NotAudioError, type AudioProbe } from './probe.js';

export const IMPORT_CAPABILITIES: Capabilities = { listen: false, whisper: false, barge: false, playToCustomer: false };

/** A file that was probed and has its call row (status live, transcription pending), waiting to be processed. */
export interface PreparedImport {
  callId: string;
  /** Where the file is. */
  file: string;
  /** How the file is named to people (an upload's original name). */
  name: string;
  probe: AudioProbe;
  rate: SampleRate;
  channels: 1 | 2;
  /** Whose voice is on the left channel (stereo). */
  left: Channel;
  language: string;
  direction: CallDirection;
  agent?: string;
  queue?: string;
  startedAt: Date;
}

export type ImportState = 'queued' | 'importing' | 'finishing' | 'done' | 'failed';

export interface ImportProgress {
  callId: string;
  name: string;
  state: ImportState;
  /** Call time decoded and handed to the recorder and the speech pipeline. */
  fedMs: number;
  /** The container's duration, when it states one. */
  totalMs: number | null;
}

/** How one file's import ended. Failures are data, for the batch's report; the call row says the same. */
export interface ImportOutcome {
  callId: string;
  name: string;
  ok: boolean;
  error?: string;
  /** Audio decoded (the call's duration). */
  audioMs: number;
  wallMs: number;
  transcription: Pick<Transcription, 'status' | 'note' | 'engine'> | null;
  recording: { format: RecordingInfo['format']; bytes: number } | null;
}

export interface ImportCallDeps {
  db: Db;
  bus: EventBus;
  log: Logger;
  dataDir: string;
  ffmpegPath: string;
  recording: { transcode: boolean; opusBitrateKbps: number };
  /** Null: the call is stored and recorded but not transcribed; `noSpeechReason` says why (shown on the call). */
  speech: SpeechRuntime | null;
  noSpeechReason?: string;
  onRecordingError?: RecordingErrorHandler;
}

/** How often the call row's `stats.import` progress is updated while a file is processed. */
const STORE_PROGRESS_MS = 2000;

/**
 * Imports one prepared file as a call, like a live call but faster than real time: ffmpeg decodes it in a child
 * process, the PCM is cut into aligned 20 ms frame pairs, and every pair goes to a recorder (the call's stereo WAV,
 * then Ogg/Opus, under dataDir/recordings) and to the call's speech pipeline, which is fed with backpressure
 * (overflow `wait`: nothing is dropped however slow recognition is). Progress is on the call row (`stats.import`)
 * and reported through `onProgress`. A file that fails midway keeps what was decoded: the call ends `interrupted`
 * with the error in `stats.import.error`. Never rejects.
 */
export async function importCall(
  p: PreparedImport, deps: ImportCallDeps, opts: { onProgress?: (progress: ImportProgress) => void; signal?: AbortSignal } = {},
): Promise<ImportOutcome> {
  const started = performance.now();
  const { callId, name, rate } = p;
  const log = deps.log.child({ callId, stage: 'import' });
  const calls = createCallRepo(deps.db);
  const cutter = createFrameCutter({ callId, rate, channels: p.channels, left: p.left });
  const fedMs = () => (cutter.samples * 1000) / rate;
  let stored: Promise<unknown> = Promise.resolve();
  let storedAt = 0;
  const progress = (state: ImportState) => {
    opts.onProgress?.({ callId, name, state, fedMs: fedMs(), totalMs: p.probe.durationMs });
    const now = performance.now();
    if (now - storedAt < STORE_PROGRESS_MS && state === 'importing') return;
    storedAt = now;
    const fraction = p.probe.durationMs ? Math.min(1, fedMs() / p.probe.durationMs) : null;
    stored = stored
      .then(() => calls.mergeStats(callId, { import: { state, progress: fraction, audioMs: Math.round(fedMs()) } }))
      .catch((err: unknown) => log.warn({ err }, 'could not store import progress'));
  };

  deps.bus.publish({
    type: 'call.started', callId, at: p.startedAt.toISOString(), protocol: 'import', direction: p.direction,
    agentExternalId: p.agent, queue: p.queue, capabilities: IMPORT_CAPABILITIES,
  });
  log.info({ file: name, format: p.probe.format, codec: p.probe.codec, rate, channels: p.channels }, 'import started');
  progress('importing');

  let recorder: Recorder | undefined;
  const pipelines: CallPipeline[] = [];
  let speechDone: Promise<void> = Promise.resolve();
  let error: Error | undefined;
  try {
    recorder = createRecorder({
      dir: join(deps.dataDir, 'recordings'), callId, rate, log, ffmpegPath: deps.ffmpegPath,
      transcode: deps.recording.transcode, opusBitrateKbps: deps.recording.opusBitrateKbps, onError: deps.onRecordingError,
    });
    if (deps.speech) {
      speechDone = attachCallSpeech({
        callId, rate, addSink: (pipeline) => pipelines.push(pipeline), overflow: 'wait',
        runtime: deps.speech, db: deps.db, bus: deps.bus, log, language: p.language, stored: Promise.resolve(),
      });
    } else {
      await createTranscriptRepo(deps.db).setTranscriptionStatus(callId, 'not-transcribed', { note: deps.noSpeechReason });
    }
    const sink = recorder;
    const feed = async (pairs: FramePair[]) => {
      for (const [agent, customer] of pairs) {
        sink.onFrames(agent, customer);
        for (const pipeline of pipelines) await pipeline.write(agent, customer);
      }
    };
    const pcm = decodePcm(p.file, { ffmpegPath: deps.ffmpegPath, rate, channels: p.channels, sourceChannels: p.probe.channels, name, signal: opts.signal });
    for await (const chunk of pcm) {
      await feed(cutter.push(chunk));
      progress('importing');
    }
    await feed(cutter.end());
    if (cutter.samples === 0) throw new NotAudioError(name, 'ffmpeg decoded no audio from it');
  } catch (err) {
    error = err instanceof Error ? err : new Error(String(err));
    log.warn({ err }, 'import failed; the call keeps what was decoded');
  }

  progress('finishing');
  for (const pipeline of pipelines) await pipeline.onEnd?.(error ? 'interrupted' : 'ended');
  await recorder?.onEnd(error ? 'interrupted' : 'ended');
  const [recording] = await Promise.all([recorder?.finished, speechDone]);
  await stored;
  const audioMs = fedMs();
  const wallMs = performance.now() - started;
  const state: ImportState = error ? 'failed' : 'done';
  try {
    await recordCallFinished(deps.db, {
      id: callId, durationMs: audioMs,
      stats: {
        import: {
          state, progress: error ? null : 1, audioMs: Math.round(audioMs), wallMs: Math.round(wallMs),
          speed: wallMs > 0 ? Number((audioMs / wallMs).toFixed(2)) : null, ...(error ? { error: error.message } : {}),
        },
      },
    }, error ? 'interrupted' : 'ended', {
      endedAt: new Date(p.startedAt.getTime() + audioMs),
      recording: recording ? { path: relative(deps.dataDir, recording.path), format: recording.format, bytes: recording.bytes } : undefined,
    });
  } catch (err) {
    log.error({ err }, 'could not store the end of an imported call');
    error ??= new Error(`could not store the call: ${(err as Error).message}`);
  }
  const stateNow = await calls.get(callId, { kind: 'all' }).catch(() => undefined);
  const at = new Date(p.startedAt.getTime() + audioMs).toISOString();
  deps.bus.publish(error
    ? { type: 'call.interrupted', callId, at, durationMs: audioMs }
    : { type: 'call.ended', callId, at, status: 'ended', durationMs: audioMs });
  opts.onProgress?.({ callId, name, state, fedMs: audioMs, totalMs: p.probe.durationMs });
  log.info({ audioMs: Math.round(audioMs), wallMs: Math.round(wallMs), error: error?.message }, 'import finished');
  const t = stateNow?.transcription;
  return {
    callId, name, ok: !error, ...(error ? { error: error.message } : {}), audioMs, wallMs,
    transcription: t ? { status: t.status, note: t.note, engine: t.engine } : null,
    recording: recording ? { format: recording.format, bytes: recording.bytes } : null,
  };
}
