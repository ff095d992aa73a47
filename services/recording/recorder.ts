import { existsSync, mkdirSync, openSync, rename, unlink } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resolveFfmpeg } from '../audio/index.js';
import type { AudioFrame, CallStatus, FrameSink, SampleRate } from '../calls/index.js';
import { EngineError, ValidationError, type Logger } from '../core/index.js';
import { createErrorReporter, type RecordingErrorHandler } from './error-reporter.js';
import { transcodeToOggOpus, type OpusChannelCoding, type TranscodeResult } from './transcode.js';
import { createWavFileWriter } from './wav-file-writer.js';

const renameAsync = promisify(rename);
const unlinkAsync = promisify(unlink);

export interface RecordingInfo {
  path: string;
  format: 'wav' | 'ogg';
  /** File size. */
  bytes: number;
  durationMs: number;
  /** Samples per channel, at the call's rate. */
  samples: number;
  rate: SampleRate;
}

export interface RecorderOptions {
  dir: string;
  callId: string;
  rate: SampleRate;
  log: Logger;
  /** The ffmpeg binary to transcode with (as resolved at start-up); default: `resolveFfmpeg()`. */
  ffmpegPath?: string;
  transcode: boolean;
  opusBitrateKbps: number;
  /** See OpusChannelCoding (default `coupled`: ordinary stereo). */
  opusChannels?: OpusChannelCoding;
  /** Called for every error (count them as `recording errors` in /metrics). Errors are never thrown at the caller. */
  onError?: RecordingErrorHandler;
  /** Milliseconds, monotonic (default `performance.now`). */
  clock?: () => number;
  /** Longest time the WAV header's sizes may lag the data (default 1000). */
  headerIntervalMs?: number;
  /** Audio held in memory while disk writes fail (default 16 MiB, minutes of a call). */
  maxBacklogBytes?: number;
}

export interface Recorder extends FrameSink {
  /** The WAV being written (it stays if the transcode fails). */
  readonly wavPath: string;
  /** Settles after `onEnd`: the file that holds the call, Ogg/Opus when transcoded and verified, else the WAV. Never rejects. */
  readonly finished: Promise<RecordingInfo>;
  /** Finalises the WAV (header, fdatasync, close) and resolves; the transcode carries on behind `finished`. Idempotent. */
  onEnd(status: CallStatus): Promise<void>;
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Opens `<dir>/<callId>.wav` exclusively. If that name (or its `.ogg`) is taken, it becomes `<callId>-2.wav`, …:
 * an existing recording is never overwritten, neither now nor by the transcode later.
 */
function openNew(dir: string, callId: string): { fd: number; path: string } {
  for (let n = 1; ; n++) {
    const stem = join(dir, n === 1 ? callId : `${callId}-${n}`);
    const path = `${stem}.wav`;
    try {
      if (existsSync(`${stem}.ogg`)) throw Object.assign(new Error(`${stem}.ogg exists`), { code: 'EEXIST' });
      return { fd: openSync(path, 'wx', 0o640), path };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 1000) {
        throw new EngineError(`cannot create recording file ${path}`, false, { cause: err });
      }
    }
  }
}

/**
 * Records a call as one stereo 16-bit WAV (agent left, customer right) written synchronously per block, so a
 * crash keeps everything received. At the end it optionally transcodes to Ogg/Opus, verifies the result and only
 * then deletes the WAV. Throws only at creation (ValidationError for a bad call id, EngineError if the file
 * cannot be created); afterwards errors are logged and counted, never thrown.
 */
export function createRecorder(opts: RecorderOptions): Recorder {
  const { dir, callId, rate } = opts;
  if (!SAFE_ID.test(callId)) throw new ValidationError(`call id ${JSON.stringify(callId)} cannot name a file`, 'callId');
  const clock = opts.clock ?? (() => performance.now());
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new EngineError(`cannot create recording directory ${dir}`, false, { cause: err });
  }
  const { fd, path: wavPath } = openNew(dir, callId);
  const log = opts.log.child({ callId, stage: 'recording' });
  const report = createErrorReporter(log, opts.onError, clock);
  const writer = createWavFileWriter({
    fd, path: wavPath, rate, channels: 2, log, report, clock,
    headerIntervalMs: opts.headerIntervalMs ?? 1000, maxBacklogBytes: opts.maxBacklogBytes ?? 16 * 1024 * 1024,
  });
  log.info({ path: wavPath, rate }, 'recording started');

  let interleaved = new Int16Array(0);
  let ended: Promise<void> | undefined;
  let warnedLate = false;
  let warnedRate = false;
  let resolveFinished!: (info: RecordingInfo) => void;
  const finished = new Promise<RecordingInfo>((resolve) => { resolveFinished = resolve; });

  function write(agent: AudioFrame, customer: AudioFrame): void {
    if ((agent.rate !== rate || customer.rate !== rate) && !warnedRate) {
      warnedRate = true;
      report('write', new Error('frame rate mismatch'), 'frames do not match the recording rate', { rate, frameRate: agent.rate });
    }
    const a = agent.pcm;
    const c = customer.pcm;
    const n = Math.max(a.length, c.length);
    if (interleaved.length < n * 2) interleaved = new Int16Array(n * 2);
    for (let i = 0, j = 0; i < n; i++, j += 2) {
      interleaved[j] = i < a.length ? a[i] : 0;
      interleaved[j + 1] = i < c.length ? c[i] : 0;
    }
    writer.append(interleaved.subarray(0, n * 2));
  }

  async function finish(status: CallStatus): Promise<RecordingInfo> {
    const { dataBytes, fileBytes, droppedBytes } = await writer.close();
    const samples = dataBytes / 4;
    const wavInfo: RecordingInfo = { path: wavPath, format: 'wav', bytes: fileBytes, durationMs: (samples * 1000) / rate, samples, rate };
    log.info({ path: wavPath, status, samples, durationMs: wavInfo.durationMs, droppedBytes }, 'recording closed');
    return wavInfo;
  }

  async function transcode(wavInfo: RecordingInfo): Promise<RecordingInfo> {
    if (!opts.transcode) return wavInfo;
    if (wavInfo.samples === 0) {
      log.info({ path: wavPath }, 'recording is empty; keeping the WAV instead of transcoding');
      return wavInfo;
    }
    const oggPath = wavPath.replace(/\.wav$/, '.ogg');
    const partial = `${oggPath}.partial`;
    let result: TranscodeResult;
    try {
      const ffmpegPath = opts.ffmpegPath ?? resolveFfmpeg().path;
      result = await transcodeToOggOpus(wavPath, partial, {
        ffmpegPath, bitrateKbps: opts.opusBitrateKbps, channelCoding: opts.opusChannels ?? 'coupled',
        expectedMs: wavInfo.durationMs, log,
      });
      await renameAsync(partial, oggPath);
    } catch (err) {
      report('transcode', err, 'recording transcode failed; keeping the WAV', { path: wavPath });
      await unlinkAsync(partial).catch(() => undefined);
      return wavInfo;
    }
    const oggInfo: RecordingInfo = { ...wavInfo, path: oggPath, format: 'ogg', bytes: result.bytes };
    try {
      await unlinkAsync(wavPath);
    } catch (err) {
      report('finalise', err, 'recording transcoded and verified, but the WAV could not be removed', { path: wavPath });
      return oggInfo;
    }
    log.info({ path: oggPath, bytes: result.bytes, wavBytes: wavInfo.bytes, durationMs: result.durationMs }, 'recording transcoded and verified; WAV removed');
    return oggInfo;
  }

  return {
    wavPath,
    finished,
    onFrames(agent, customer) {
      if (ended) {
        if (!warnedLate) log.warn({ seq: agent.seq }, 'frames after the end of the recording are ignored');
        warnedLate = true;
        return;
      }
      try {
        write(agent, customer);
      } catch (err) {
        report('write', err, 'recording failed to take a frame', { seq: agent.seq });
      }
    },
    onEnd(status) {
      ended ??= (async () => {
        let wavInfo: RecordingInfo;
        try {
          wavInfo = await finish(status);
        } catch (err) {
          report('finalise', err, 'recording could not be finalised; the WAV stays as written', { path: wavPath });
          const samples = writer.writtenBytes / 4;
          resolveFinished({ path: wavPath, format: 'wav', bytes: 44 + writer.writtenBytes, durationMs: (samples * 1000) / rate, samples, rate });
          return;
        }
        void transcode(wavInfo).then(resolveFinished, (err: unknown) => {
          report('transcode', err, 'recording finalisation failed; keeping the WAV', { path: wavPath });
          resolveFinished(wavInfo);
        });
      })();
      return ended;
    },
  };
}
