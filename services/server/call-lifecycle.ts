import { join, relative } from 'node:path';
import type { CallLifecycle, CallSession } from '../calls/index.js';
import { createRecorder, type Recorder, type RecordingInfo } from '../recording/index.js';
import { createCallRepo, recordCallFinished, recordCallStarted } from '../store/index.js';
import { attachCallSpeech } from './call-speech.js';
import type { ServerContext } from './context.js';
import type { SpeechRuntime } from './speech-runtime.js';

export interface CallLifecycleOptions {
  /** ffmpeg as resolved at start-up; undefined keeps recordings as WAV (and says so once in the log). */
  ffmpegPath?: string;
  /** Transcription, activity, sentiment and metrics per call; absent when speech is turned off. */
  speech?: SpeechRuntime;
}

/**
 * What happens when a call starts and ends: a crash-safe recorder is attached before the first frame, the call is
 * stored, announced on the bus; at the end the row gets its status and recording (the WAV at once, the verified
 * Ogg/Opus when the transcode finishes).
 */
export function createCallLifecycle(ctx: Omit<ServerContext, 'registry'>, opts: CallLifecycleOptions = {}): CallLifecycle & {
  /** Settles when every call's pending storage work (inserts, transcodes) is done. */
  idle(): Promise<void>;
} {
  const { bus, db, log, config, metrics } = ctx;
  const recordingsDir = join(config.dataDir, 'recordings');
  const recordingErrors = metrics.counter('callsight_recording_errors_total', 'Recording errors by kind (writes are retried; audio is held in memory meanwhile)');
  const storeErrors = metrics.counter('callsight_call_store_errors_total', 'Failures to store a call start or end');
  const inserts = new Map<string, Promise<unknown>>();
  const recorders = new Map<string, Recorder>();
  const background = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => { background.add(p); void p.finally(() => background.delete(p)); };
  const calls = createCallRepo(db);
  const storedPath = (info: RecordingInfo) => relative(config.dataDir, info.path);

  function attachRecorder(session: CallSession): void {
    const recorder = createRecorder({
      dir: recordingsDir, callId: session.id, rate: session.rate, log,
      ffmpegPath: opts.ffmpegPath, transcode: config.recording.transcode && opts.ffmpegPath !== undefined,
      opusBitrateKbps: config.recording.opusBitrateKbps,
      onError: (kind) => recordingErrors.inc(1, { kind }),
    });
    recorders.set(session.id, recorder);
    session.addSink(recorder);
  }

  return {
    started(session) {
      attachRecorder(session);
      const insert = recordCallStarted(db, session, config.nodeId).catch((err: unknown) => {
        storeErrors.inc(1, { op: 'start' });
        log.error({ err, callId: session.id }, 'could not store the call start');
      });
      inserts.set(session.id, insert);
      track(insert);
      if (opts.speech) {
        const language = session.meta.language ?? config.speech.defaultLanguage;
        track(attachCallSpeech({
          callId: session.id, rate: session.rate, addSink: (sink) => session.addSink(sink), runtime: opts.speech, db, bus, log, language, stored: insert,
        }));
      }
      bus.publish({
        type: 'call.started', callId: session.id, at: session.startedAt.toISOString(), protocol: session.meta.protocol,
        direction: session.meta.direction, agentExternalId: session.meta.agentExternalId, queue: session.meta.queue,
        capabilities: session.capabilities,
      });
    },
    resumed(session) {
      bus.publish({ type: 'call.resumed', callId: session.id, at: new Date().toISOString() });
    },
    async finished(session, status) {
      await inserts.get(session.id);
      inserts.delete(session.id);
      const recorder = recorders.get(session.id);
      recorders.delete(session.id);
      const wav = recorder ? { path: relative(config.dataDir, recorder.wavPath), format: 'wav' as const, bytes: null } : undefined;
      try {
        await recordCallFinished(db, { id: session.id, durationMs: session.durationMs, stats: session.stats }, status, { recording: wav });
      } catch (err) {
        storeErrors.inc(1, { op: 'end' });
        log.error({ err, callId: session.id }, 'could not store the call end');
      }
      if (recorder) {
        track(recorder.finished.then(async (info) => {
          await calls.setRecording(session.id, { path: storedPath(info), format: info.format, bytes: info.bytes });
        }).catch((err: unknown) => {
          storeErrors.inc(1, { op: 'recording' });
          log.error({ err, callId: session.id }, 'could not store the finished recording');
        }));
      }
      const at = new Date().toISOString();
      bus.publish(status === 'interrupted'
        ? { type: 'call.interrupted', callId: session.id, at, durationMs: session.durationMs }
        : { type: 'call.ended', callId: session.id, at, status, durationMs: session.durationMs });
    },
    async idle() {
      while (background.size) await Promise.allSettled([...background]);
    },
  };
}
