import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { basename, delimiter, dirname, join } from 'node:path';
import ffmpeg, { type FfprobeData } from 'fluent-ffmpeg';
import { ValidationError } from '../core/index.js';

/** What an audio file holds, as ffprobe (or ffmpeg) reads it. */
export interface AudioProbe {
  /** Container, e.g. `mp3`, `wav`, `ogg`, `mov,mp4,m4a,3gp,3g2,mj2`. */
  format: string;
  /** Codec of the first audio stream, e.g. `mp3`, `pcm_s16le`, `vorbis`, `opus`, `aac`. */
  codec: string;
  rate: number;
  channels: number;
  /** From the container; null when it does not say (the decoded length is what counts). */
  durationMs: number | null;
  /** The container's `creation_time` tag, when present. */
  createdAt?: Date;
}

/** A file ffmpeg cannot read as audio. `reason` is ffmpeg's own words where it gave any. */
export class NotAudioError extends ValidationError {
  constructor(readonly file: string, readonly reason: string, opts: { cause?: unknown } = {}) {
    super(`${file}: not a readable audio file (${reason})`, file, opts);
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** ffprobe beside the given ffmpeg (Debian ships both), else on PATH; undefined when there is none (the npm ffmpeg). */
export function findFfprobe(ffmpegPath: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  const exe = process.platform === 'win32' ? 'ffprobe.exe' : 'ffprobe';
  return [join(dirname(ffmpegPath), exe), ...pathEnv.split(delimiter).filter(Boolean).map((d) => join(d, exe))].find(executable);
}

/**
 * ffmpeg's complaint in a line: its last message (without the file name it starts with), and the message before it
 * when there is one, which often says more ("Invalid argument" after "mp3: Failed to read frame size: …").
 */
export function ffmpegReason(stderr: string, file: string): string {
  const clean = (line: string) => {
    for (const prefix of [`${file}: `, `${basename(file)}: `]) if (line.startsWith(prefix)) return line.slice(prefix.length);
    return line.replace(/^\[(\w+) @ 0x[0-9a-f]+\]\s*/, '$1: ');
  };
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/exited with code|Last message repeated/.test(l)).map(clean);
  const last = lines.at(-1) ?? 'ffmpeg gave no reason';
  const before = lines.at(-2);
  return before && before !== last ? `${last}; ${before}` : last;
}

function fromFfprobe(data: FfprobeData, name: string): AudioProbe {
  const audio = data.streams.find((s) => s.codec_type === 'audio');
  if (!audio) throw new NotAudioError(name, data.streams.length ? 'it has no audio stream' : 'ffprobe found no streams');
  const rate = Number(audio.sample_rate ?? 0);
  const channels = Number(audio.channels ?? 0);
  const codec = audio.codec_name ?? 'unknown';
  if (!(rate > 0) || !(channels > 0)) {
    throw new NotAudioError(name, `no valid ${codec} audio in it: ffprobe finds no sample rate or channels`);
  }
  const duration = Number(data.format.duration);
  const created = data.format.tags?.creation_time ?? audio.tags?.creation_time;
  const createdAt = typeof created === 'string' ? new Date(created) : undefined;
  return {
    format: data.format.format_name ?? 'unknown', codec, rate, channels,
    durationMs: Number.isFinite(duration) && duration > 0 ? Math.round(duration * 1000) : null,
    createdAt: createdAt && !Number.isNaN(createdAt.getTime()) ? createdAt : undefined,
  };
}

function probeWithFfprobe(ffprobePath: string, file: string, name: string): Promise<AudioProbe> {
  return new Promise((resolve, reject) => {
    ffmpeg(file).setFfprobePath(ffprobePath).ffprobe(['-v', 'error'], (err: unknown, data: FfprobeData) => {
      if (err) {
        const message = err instanceof Error ? err.message : String(err);
        reject(new NotAudioError(name, ffmpegReason(message, file), { cause: err }));
        return;
      }
      try {
        resolve(fromFfprobe(data, name));
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}

const CHANNEL_LAYOUTS: Record<string, number> = { mono: 1, stereo: 2, '2.1': 3, quad: 4, '4.0': 4, '5.0': 5, '5.1': 6, '7.1': 8 };

/**
 * Reads `ffmpeg -i FILE` output (what ffmpeg prints about its input when given no output) into a probe; used when
 * there is no ffprobe. Throws NotAudioError with ffmpeg's reason.
 */
export function parseFfmpegInputInfo(stderr: string, file: string, name = file): AudioProbe {
  const format = /^Input #0, ([^,]+(?:,[^,\s]+)*), from /m.exec(stderr)?.[1];
  const stream = /Stream #0:\d+[^:]*: Audio: (\w+)(.*)/.exec(stderr);
  if (!format) throw new NotAudioError(name, ffmpegReason(stderr.replace(/At least one output file must be specified/g, ''), file));
  if (!stream) throw new NotAudioError(name, 'it has no audio stream');
  const [, codec, rest] = stream;
  const rate = Number(/, (\d+) Hz/.exec(rest)?.[1] ?? 0);
  const layout = /Hz, ([^,]+)/.exec(rest)?.[1]?.trim() ?? '';
  const channels = CHANNEL_LAYOUTS[layout] ?? Number(/(\d+) channels/.exec(rest)?.[1] ?? 0);
  if (!(rate > 0) || !(channels > 0)) throw new NotAudioError(name, `no valid ${codec} audio in it: ffmpeg finds no sample rate or channels`);
  const d = /Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(stderr);
  return {
    format, codec, rate, channels,
    durationMs: d ? Math.round(((Number(d[1]) * 60 + Number(d[2])) * 60 + Number(d[3])) * 1000) : null,
  };
}

function probeWithFfmpeg(ffmpegPath: string, file: string, name: string): Promise<AudioProbe> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, ['-hide_banner', '-nostdin', '-i', file], { stdio: ['ignore', 'ignore', 'pipe'], signal: AbortSignal.timeout(60_000) });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString('utf8')).slice(-20_000); });
    child.on('error', (err) => reject(new NotAudioError(name, `ffmpeg could not run: ${err.message}`, { cause: err })));
    child.on('close', () => {
      try {
        resolve(parseFfmpegInputInfo(stderr, file, name));
      } catch (err) {
        reject(err as Error);
      }
    });
  });
}

/**
 * Probes `file` with ffprobe through fluent-ffmpeg (or, without ffprobe, `ffmpeg -i`), in a child process.
 * `name` is how errors name the file (an upload's original name). Throws NotAudioError when it is not audio.
 */
export function probeAudio(file: string, opts: { ffmpegPath: string; ffprobePath?: string; name?: string }): Promise<AudioProbe> {
  const name = opts.name ?? basename(file);
  return opts.ffprobePath ? probeWithFfprobe(opts.ffprobePath, file, name) : probeWithFfmpeg(opts.ffmpegPath, file, name);
}
