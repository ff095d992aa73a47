import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import ffmpeg from 'fluent-ffmpeg';
import { EngineError, type Logger } from '../core/index.js';

/**
 * How the two parties are coded in the Ogg/Opus file.
 * - `coupled`: ordinary stereo (channel mapping family 0), plays everywhere. At low bitrates libopus shares
 *   information between channels: at 24 kbps about -9 dB of crosstalk while both talk, and below ~20 kbps it
 *   collapses to mono.
 * - `independent`: two mono streams (mapping family 255): no crosstalk at any bitrate, but some players
 *   (opusfile-based ones, possibly browsers) cannot play it.
 */
export type OpusChannelCoding = 'coupled' | 'independent';

export interface TranscodeOptions {
  ffmpegPath: string;
  bitrateKbps: number;
  channelCoding: OpusChannelCoding;
  /** Duration of the source, to verify the result against. */
  expectedMs: number;
  log: Logger;
  /** Allowed difference between the decoded result and the source (default 60 ms). */
  toleranceMs?: number;
}

export interface TranscodeResult {
  bytes: number;
  /** Duration of the decoded result. */
  durationMs: number;
}

const OUTPUT_RATE = 48000;

function createLimiter(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** Transcodes run as child processes; this bounds how many run at once when many calls end together. */
const limit = createLimiter(Math.max(1, availableParallelism() - 1));

/** Generous limit: Opus encodes far faster than real time. */
function timeoutSeconds(durationMs: number): number {
  return Math.ceil(120 + durationMs / 1000 / 4);
}

async function encode(input: string, output: string, opts: TranscodeOptions): Promise<void> {
  // fluent-ffmpeg 2.1.3 throws an uncaught TypeError when the binary cannot be spawned (after its capability
  // cache is warm), so a missing or non-executable binary must be caught here first.
  try {
    await access(opts.ffmpegPath, constants.X_OK);
  } catch (err) {
    throw new EngineError(`ffmpeg binary ${opts.ffmpegPath} is not executable`, false, { cause: err });
  }
  return new Promise((resolve, reject) => {
    ffmpeg(input, { timeout: timeoutSeconds(opts.expectedMs) })
      .setFfmpegPath(opts.ffmpegPath)
      .inputOptions(['-nostdin'])
      .noVideo()
      .audioCodec('libopus')
      .audioBitrate(opts.bitrateKbps)
      .audioChannels(2)
      .audioFrequency(OUTPUT_RATE)
      .outputOptions(['-application', 'voip', '-mapping_family', opts.channelCoding === 'coupled' ? '0' : '255'])
      .format('ogg')
      .on('error', (err: Error, _stdout: string | null, stderr: string | null) => {
        reject(new EngineError(`ffmpeg could not transcode the recording: ${err.message}`, true, {
          cause: Object.assign(err, { stderr: stderr?.slice(-2000) }),
        }));
      })
      .on('end', () => resolve())
      .save(output);
  });
}

/** Decodes the file with ffmpeg and returns its duration in ms (exact: counts the decoded samples). */
export function decodedDurationMs(ffmpegPath: string, file: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, ['-nostdin', '-v', 'error', '-i', file, '-ac', '1', '-ar', String(OUTPUT_RATE), '-f', 's16le', 'pipe:1'], {
      stdio: ['ignore', 'pipe', 'pipe'], signal: AbortSignal.timeout(timeoutMs),
    });
    let bytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { bytes += chunk.length; });
    child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString('utf8')).slice(-2000); });
    child.on('error', (err) => reject(new EngineError('ffmpeg could not decode the transcoded recording', true, { cause: err })));
    child.on('close', (code, signal) => {
      if (code === 0 && !stderr.trim()) resolve((bytes / 2 / OUTPUT_RATE) * 1000);
      else reject(new EngineError(`decoding the transcoded recording failed (exit ${code ?? signal}): ${stderr.trim().slice(0, 300)}`, true));
    });
  });
}

/**
 * Transcodes a stereo WAV to Ogg/Opus (48 kHz stereo) at `output`, then verifies it by decoding it back:
 * non-empty, decodes without errors, and its duration is within the tolerance of `expectedMs`.
 * Throws EngineError when anything fails; the caller decides what to keep.
 */
export async function transcodeToOggOpus(input: string, output: string, opts: TranscodeOptions): Promise<TranscodeResult> {
  return limit(async () => {
    const started = performance.now();
    await encode(input, output, opts);
    const { size } = await stat(output);
    if (size === 0) throw new EngineError('transcoded recording is empty', true);
    const durationMs = await decodedDurationMs(opts.ffmpegPath, output, timeoutSeconds(opts.expectedMs) * 1000);
    const tolerance = opts.toleranceMs ?? 60;
    if (Math.abs(durationMs - opts.expectedMs) > tolerance) {
      throw new EngineError(
        `transcoded recording lasts ${durationMs.toFixed(1)} ms, the WAV ${opts.expectedMs.toFixed(1)} ms (tolerance ${tolerance} ms)`, true,
      );
    }
    opts.log.debug({ input, output, bytes: size, durationMs, tookMs: Math.round(performance.now() - started) }, 'recording transcoded');
    return { bytes: size, durationMs };
  });
}
