import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deinterleaveStereo, interleaveStereo, parseWav, readWavSamples, resolveFfmpeg, sine, toneDb } from '../audio/index.js';
import type { SampleRate } from '../calls/index.js';
import { ValidationError } from '../core/index.js';
import { createRecorder, type Recorder } from './recorder.js';
import type { RecordingErrorKind } from './error-reporter.js';
import { decodedDurationMs } from './transcode.js';
import { expected, frame, quietLog, tempDir } from './test-support.js';

const base = { log: quietLog, transcode: false, opusBitrateKbps: 24 };

/** ffmpeg's description of a file's first stream (ffprobe is not always installed). */
function describeStream(ffmpeg: string, path: string): string {
  const out = spawnSync(ffmpeg, ['-hide_banner', '-i', path], { encoding: 'utf8' });
  return out.stderr;
}

/** Records `agent` and `customer` in 20 ms frames. */
function feed(rec: Recorder, rate: SampleRate, agent: Int16Array, customer: Int16Array): void {
  const step = rate / 50;
  for (let at = 0, seq = 0; at < agent.length; at += step, seq++) {
    const n = Math.min(step, agent.length - at);
    rec.onFrames(
      { callId: 'c', channel: 'agent', seq, startMs: (at * 1000) / rate, pcm: agent.subarray(at, at + n), rate },
      { callId: 'c', channel: 'customer', seq, startMs: (at * 1000) / rate, pcm: customer.subarray(at, at + n), rate },
    );
  }
}

describe('recorder', () => {
  it.each([8000, 16000, 48000] as SampleRate[])('writes every sample exactly, agent left and customer right, at %i Hz', async (rate) => {
    const dir = tempDir();
    const rec = createRecorder({ ...base, dir, callId: 'call-1', rate });
    let at = 0;
    const lengths = [rate / 50, 1, 7, rate / 10, 0, 333, rate / 50];
    lengths.forEach((n, seq) => {
      rec.onFrames(frame('agent', seq, at, n, rate), frame('customer', seq, at, n, rate));
      at += n;
    });
    await rec.onEnd('ended');
    const info = await rec.finished;
    expect(info).toEqual({ path: rec.wavPath, format: 'wav', bytes: 44 + at * 4, durationMs: (at * 1000) / rate, samples: at, rate });
    const wav = readWavSamples(rec.wavPath);
    expect(wav).toMatchObject({ rate, channels: 2 });
    expect(wav.left).toEqual(expected('agent', at));
    expect(wav.right).toEqual(expected('customer', at));
  });

  it('keeps the header valid at all times, lagging the data by at most a second', async () => {
    const dir = tempDir();
    let now = 0;
    const rate = 8000;
    const rec = createRecorder({ ...base, dir, callId: 'clock', rate, clock: () => now });
    expect(parseWav(readFileSync(rec.wavPath)).frames).toBe(0); // valid from the start
    const seconds = 5 * 50 + 7;
    const all = interleaveStereo(expected('agent', seconds * 160), expected('customer', seconds * 160));
    const allBytes = Buffer.from(all.buffer);
    let written = 0;
    let headerChanges = 0;
    let lastStated = 0;
    for (let seq = 0; seq < seconds; seq++) {
      rec.onFrames(frame('agent', seq, written, 160, rate), frame('customer', seq, written, 160, rate));
      written += 160;
      now += 20;
      const file = readFileSync(rec.wavPath);
      const wav = parseWav(file); // strict: the stated size must be there
      if (wav.frames !== lastStated) headerChanges++;
      lastStated = wav.frames;
      expect(written - wav.frames).toBeLessThanOrEqual(rate); // at most a second behind
      expect(file.subarray(44).equals(allBytes.subarray(0, written * 4))).toBe(true); // the data itself is all there
    }
    expect(headerChanges).toBeLessThanOrEqual(6); // about once a second over 5.14 s
    await rec.onEnd('ended');
    expect(parseWav(readFileSync(rec.wavPath)).frames).toBe(written);
  });

  it('updates the header after the last frame even if no more frames come', async () => {
    const dir = tempDir();
    const rec = createRecorder({ ...base, dir, callId: 'idle', rate: 16000, headerIntervalMs: 50 });
    rec.onFrames(frame('agent', 0, 0, 320, 16000), frame('customer', 0, 0, 320, 16000));
    rec.onFrames(frame('agent', 1, 320, 320, 16000), frame('customer', 1, 320, 320, 16000));
    await new Promise((r) => setTimeout(r, 150));
    expect(parseWav(readFileSync(rec.wavPath)).frames).toBe(640);
    await rec.onEnd('interrupted');
  });

  it('never overwrites an existing recording and rejects call ids that are not file names', async () => {
    const dir = tempDir();
    const a = createRecorder({ ...base, dir, callId: 'same', rate: 8000 });
    const b = createRecorder({ ...base, dir, callId: 'same', rate: 8000 });
    expect(a.wavPath).toBe(join(dir, 'same.wav'));
    expect(b.wavPath).toBe(join(dir, 'same-2.wav'));
    await Promise.all([a.onEnd('ended'), b.onEnd('ended')]);
    writeFileSync(join(dir, 'done.ogg'), 'an earlier, transcoded recording');
    const c = createRecorder({ ...base, dir, callId: 'done', rate: 8000 });
    expect(c.wavPath).toBe(join(dir, 'done-2.wav'));
    await c.onEnd('ended');
    expect(() => createRecorder({ ...base, dir, callId: '../escape', rate: 8000 })).toThrow(ValidationError);
  });

  it('ignores frames after the end and is idempotent', async () => {
    const dir = tempDir();
    const rec = createRecorder({ ...base, dir, callId: 'late', rate: 8000 });
    rec.onFrames(frame('agent', 0, 0, 160, 8000), frame('customer', 0, 0, 160, 8000));
    const end1 = rec.onEnd('ended');
    expect(rec.onEnd('ended')).toBe(end1);
    await end1;
    rec.onFrames(frame('agent', 1, 160, 160, 8000), frame('customer', 1, 160, 160, 8000));
    expect((await rec.finished).samples).toBe(160);
    expect(readWavSamples(rec.wavPath).left.length).toBe(160);
  });

  it('transcodes to a verified Ogg/Opus of the right duration and removes the WAV', async () => {
    const dir = tempDir();
    const rate = 8000;
    const rec = createRecorder({ ...base, dir, callId: 'ogg', rate, transcode: true, opusBitrateKbps: 24 });
    // Agent talks for the first 1.5 s, the customer for the next 1.5 s (plus an odd tail).
    const total = 3 * rate + 123;
    const agent = new Int16Array(total);
    agent.set(sine(rate, 440, 1.5 * rate, 8000));
    const customer = new Int16Array(total);
    customer.set(sine(rate, 1000, 1.5 * rate, 8000), 1.5 * rate);
    feed(rec, rate, agent, customer);
    await rec.onEnd('ended');
    const info = await rec.finished;
    expect(info).toMatchObject({ format: 'ogg', path: join(dir, 'ogg.ogg'), samples: total, rate });
    expect(info.durationMs).toBeCloseTo((total * 1000) / rate, 6);
    expect(existsSync(rec.wavPath)).toBe(false);
    expect(readdirSync(dir)).toEqual(['ogg.ogg']);
    expect(statSync(info.path).size).toBe(info.bytes);

    const ffmpeg = resolveFfmpeg().path;
    expect(Math.abs((await decodedDurationMs(ffmpeg, info.path, 30_000)) - info.durationMs)).toBeLessThan(60);
    expect(describeStream(ffmpeg, info.path)).toMatch(/Audio: opus, 48000 Hz, stereo/);
    const raw = execFileSync(ffmpeg, ['-v', 'error', '-i', info.path, '-f', 's16le', 'pipe:1']);
    const { left, right } = deinterleaveStereo(new Int16Array(raw.buffer, raw.byteOffset, raw.length >> 1));
    const first = { start: 4800, length: 48000 };
    const second = { start: 1.5 * 48000 + 4800, length: 48000 };
    // Coupled stereo at 24 kbps keeps one party out of the other's channel by ~25 dB (see OpusChannelCoding).
    expect(toneDb(left, 48000, 440, first) - toneDb(right, 48000, 440, first)).toBeGreaterThan(20);
    expect(toneDb(right, 48000, 1000, second) - toneDb(left, 48000, 1000, second)).toBeGreaterThan(20);
    expect(toneDb(left, 48000, 440, first)).toBeGreaterThan(toneDb(sine(rate, 440, rate, 8000), rate, 440) - 3);
  });

  it('can code the parties as independent Opus streams (no crosstalk)', async () => {
    const dir = tempDir();
    const rate = 16000;
    const rec = createRecorder({ ...base, dir, callId: 'split', rate, transcode: true, opusBitrateKbps: 16, opusChannels: 'independent' });
    feed(rec, rate, sine(rate, 440, 2 * rate, 8000), sine(rate, 1000, 2 * rate, 8000));
    await rec.onEnd('ended');
    const info = await rec.finished;
    expect(info.format).toBe('ogg');
    const raw = execFileSync(resolveFfmpeg().path, ['-v', 'error', '-i', info.path, '-f', 's16le', 'pipe:1']);
    const { left, right } = deinterleaveStereo(new Int16Array(raw.buffer, raw.byteOffset, raw.length >> 1));
    const w = { start: 4800, length: 48000 };
    expect(toneDb(left, 48000, 440, w) - toneDb(left, 48000, 1000, w)).toBeGreaterThan(40);
    expect(toneDb(right, 48000, 1000, w) - toneDb(right, 48000, 440, w)).toBeGreaterThan(40);
  });

  it('keeps the WAV, logs and counts when the transcode fails', async () => {
    const dir = tempDir();
    const errors: RecordingErrorKind[] = [];
    const rec = createRecorder({
      ...base, dir, callId: 'bogus', rate: 16000, transcode: true, ffmpegPath: '/nonexistent/ffmpeg', onError: (kind) => errors.push(kind),
    });
    for (let seq = 0; seq < 50; seq++) rec.onFrames(frame('agent', seq, seq * 320, 320, 16000), frame('customer', seq, seq * 320, 320, 16000));
    await rec.onEnd('ended');
    const info = await rec.finished;
    expect(info).toMatchObject({ format: 'wav', path: rec.wavPath, samples: 16000, durationMs: 1000 });
    expect(errors).toEqual(['transcode']);
    expect(readdirSync(dir)).toEqual(['bogus.wav']);
    expect(readWavSamples(rec.wavPath).right).toEqual(expected('customer', 16000));
  });

  it('keeps an empty recording as a valid WAV instead of transcoding nothing', async () => {
    const dir = tempDir();
    const rec = createRecorder({ ...base, dir, callId: 'empty', rate: 8000, transcode: true });
    await rec.onEnd('interrupted');
    expect(await rec.finished).toMatchObject({ format: 'wav', samples: 0, bytes: 44 });
    expect(parseWav(readFileSync(rec.wavPath)).frames).toBe(0);
  });
});
