import { describe, expect, it } from 'vitest';
import { ffmpegReason, parseFfmpegInputInfo } from './probe.js';

describe('ffmpeg input info (used when there is no ffprobe)', () => {
  it('reads format, codec, rate, channels and duration', () => {
    const stderr = [
      "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from '/tmp/a.m4a':",
      '  Duration: 00:01:02.50, start: 0.000000, bitrate: 74 kb/s',
      '  Stream #0:0[0x1](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo, fltp, 69 kb/s (default)',
      'At least one output file must be specified',
    ].join('\n');
    expect(parseFfmpegInputInfo(stderr, '/tmp/a.m4a')).toEqual({ format: 'mov,mp4,m4a,3gp,3g2,mj2', codec: 'aac', rate: 44100, channels: 2, durationMs: 62_500 });
    expect(parseFfmpegInputInfo("Input #0, wav, from 'x':\n  Stream #0:0: Audio: pcm_mulaw ([7][0][0][0] / 0x0007), 8000 Hz, 1 channels, s16, 64 kb/s", 'x'))
      .toMatchObject({ codec: 'pcm_mulaw', rate: 8000, channels: 1, durationMs: null });
  });

  it("gives ffmpeg's reason when the input is not audio", () => {
    expect(() => parseFfmpegInputInfo('/tmp/t.txt: Invalid data found when processing input\n', '/tmp/t.txt', 't.txt'))
      .toThrow('t.txt: not a readable audio file (Invalid data found when processing input)');
    expect(() => parseFfmpegInputInfo("Input #0, mp3, from 'x':\n  Stream #0:0: Audio: mp3, 0 channels, fltp", 'x')).toThrow(/no valid mp3 audio/);
    expect(ffmpegReason('ffprobe exited with code 1\n[mp3 @ 0x55d0] Failed to read frame size\nf: Invalid argument\n', 'f')).toBe('Invalid argument; mp3: Failed to read frame size');
  });
});
