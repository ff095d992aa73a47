import { describe, expect, it } from 'vitest';
import type { ModelProgress } from './install-files.js';
import { createProgressReporter, formatDownloadLine, formatDuration, formatMB } from './progress.js';

const dl = (received: number, extra: Partial<Extract<ModelProgress, { phase: 'download' }>> = {}): ModelProgress => ({
  phase: 'download', name: 'vosk-en', file: 'en.zip', index: 0, count: 1, received, total: 40_000_000, resumedFrom: 0, ...extra,
});

describe('progress output', () => {
  it('formats sizes, durations and the bar line', () => {
    expect(formatMB(41_205_931)).toBe('41.2 MB');
    expect(formatMB(100_000)).toBe('0.10 MB');
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Infinity)).toBe('--:--');
    expect(formatDownloadLine('vosk-en', 10_000_000, 40_000_000, 2_000_000)).toBe('vosk-en  [######------------------]   25%  10.0/40.0 MB  2.00 MB/s  ETA 0:15');
    expect(formatDownloadLine('vosk-en', 5_000_000, null, 0)).toBe('vosk-en  5.00 MB  -- MB/s');
  });

  it('prints a line per tenth when not on a terminal, and says when it resumes', () => {
    let out = '';
    let t = 0;
    const r = createProgressReporter({ write: (s) => { out += s; }, tty: false, now: () => (t += 1000) });
    for (let mb = 0; mb <= 40; mb += 2) r.onProgress(dl(16_000_000 + mb * 600_000, { resumedFrom: 16_000_000 }));
    r.onProgress({ phase: 'verify', name: 'vosk-en', file: 'en.zip' });
    r.end();
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe('downloading vosk-en (resuming at 16.0 MB)');
    expect(lines.filter((l) => l.startsWith('vosk-en  ['))).toHaveLength(7); // 40 %, 50 %, … 100 %
    expect(lines.at(-2)).toMatch(/^vosk-en {2}\[#{24}\] {2}100% {2}40\.0\/40\.0 MB/);
    expect(lines.at(-1)).toBe('verifying en.zip (size, SHA-256)');
  });

  it('redraws one line on a terminal, at most every interval, and ends it before other output', () => {
    let out = '';
    let t = 0;
    const r = createProgressReporter({ write: (s) => { out += s; }, tty: true, now: () => (t += 10), intervalMs: 100 });
    for (let i = 1; i <= 100; i++) r.onProgress(dl(i * 400_000));
    r.onProgress({ phase: 'unpack', name: 'vosk-en' });
    const redraws = out.split('\r\x1b[2K').length - 1;
    expect(redraws).toBeGreaterThan(5);
    expect(redraws).toBeLessThan(15);
    expect(out).toMatch(/100% {2}40\.0\/40\.0 MB [^\n]*\nunpacking vosk-en\n$/);
  });
});
