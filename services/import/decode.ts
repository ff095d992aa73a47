import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename } from 'node:path';
import { PassThrough } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import { EngineError } from '../core/index.js';
import { ffmpegReason, NotAudioError } from './probe.js';

export interface DecodeOptions {
  ffmpegPath: string;
  /** Output rate (ffmpeg resamples). */
  rate: number;
  /** Output channels: 2 keeps the first two channels as they are, 1 mixes all down. */
  channels: 1 | 2;
  /** The source's channel count (more than two: only the first two are kept for stereo). */
  sourceChannels: number;
  /** How errors name the file. */
  name?: string;
  signal?: AbortSignal;
}

/**
 * Decodes an audio file to interleaved signed 16-bit little-endian PCM in an ffmpeg child process (through
 * fluent-ffmpeg), yielding chunks as they come. Backpressure reaches ffmpeg: when the consumer is slow, the pipe
 * fills and ffmpeg waits. Throws NotAudioError with ffmpeg's reason when decoding fails (after the audio decoded
 * so far was yielded). Stopping early (break, throw, abort) kills ffmpeg.
 */
export async function* decodePcm(file: string, opts: DecodeOptions): AsyncGenerator<Buffer> {
  const name = opts.name ?? basename(file);
  // fluent-ffmpeg throws an uncaught TypeError when the binary cannot be spawned: check it first (as transcode.ts does).
  try {
    await access(opts.ffmpegPath, constants.X_OK);
  } catch (err) {
    throw new EngineError(`ffmpeg binary ${opts.ffmpegPath} is not executable`, false, { cause: err });
  }
  opts.signal?.throwIfAborted();
  // No 'close' event: fluent-ffmpeg reports "Output stream closed" as an error when the stream closes before ffmpeg
  // has exited, which happens when the consumer reads the last bytes quickly.
  const out = new PassThrough({ emitClose: false, highWaterMark: 256 * 1024 });
  const cmd = ffmpeg(file)
    .setFfmpegPath(opts.ffmpegPath)
    .inputOptions(['-nostdin', '-v', 'error'])
    .noVideo()
    .outputOptions(['-sn', '-dn'])
    .audioChannels(opts.channels)
    .audioFrequency(opts.rate)
    .audioCodec('pcm_s16le')
    .format('s16le');
  if (opts.channels === 2 && opts.sourceChannels > 2) cmd.audioFilters('pan=stereo|c0=c0|c1=c1');

  let failure: Error | undefined;
  let running = true;
  const exited = new Promise<void>((resolve) => {
    cmd.on('error', (err: Error, _stdout: string | null, stderr: string | null) => {
      running = false;
      failure = opts.signal?.aborted
        ? new EngineError(`decoding ${name} was stopped`, false, { cause: opts.signal.reason })
        : new NotAudioError(name, `decoding failed: ${ffmpegReason(stderr || err.message, file)}`, { cause: err });
      resolve();
    });
    cmd.on('end', () => { running = false; resolve(); });
  });
  const abort = () => cmd.kill('SIGKILL');
  opts.signal?.addEventListener('abort', abort, { once: true });
  cmd.pipe(out, { end: true });
  try {
    for await (const chunk of out) yield chunk as Buffer;
    await exited;
    if (failure) throw failure;
  } finally {
    opts.signal?.removeEventListener('abort', abort);
    if (running) {
      cmd.kill('SIGKILL');
      await exited;
    }
  }
}
