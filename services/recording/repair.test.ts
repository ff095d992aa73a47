import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseWav, readWavSamples, wavHeader } from '../audio/index.js';
import { repairRecordings } from './repair.js';
import { expected, quietLog, tempDir } from './test-support.js';

const recordingIndex = fileURLToPath(new URL('./index.ts', import.meta.url));
const support = fileURLToPath(new URL('./test-support.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Runs an ES module script in a fresh Node process (with tsx), optionally under a shell prefix such as `ulimit`. */
function runChild(script: string, shellPrefix = ''): ReturnType<typeof spawnSync> {
  const node = [process.execPath, '--import', 'tsx', '--input-type=module', '-e', script];
  if (!shellPrefix) return spawnSync(node[0], node.slice(1), { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  return spawnSync('bash', ['-c', `${shellPrefix}; exec "$0" "$@"`, ...node], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
}

describe('crash safety and repair', () => {
  it('a killed process leaves a valid WAV; repair makes every sample that reached the disk readable', async () => {
    const dir = tempDir();
    const rate = 16000;
    const script = `
      import { createRecorder } from ${JSON.stringify(recordingIndex)};
      import { frame, quietLog } from ${JSON.stringify(support)};
      const rec = createRecorder({ dir: ${JSON.stringify(dir)}, callId: 'crash', rate: ${rate}, log: quietLog, transcode: true, opusBitrateKbps: 24 });
      let at = 0, seq = 0;
      const send = (ms) => { for (const end = at + ms * ${rate} / 1000; at < end; at += 320, seq++) rec.onFrames(frame('agent', seq, at, 320, ${rate}), frame('customer', seq, at, 320, ${rate})); };
      send(2500);
      await new Promise((r) => setTimeout(r, 1300)); // the header catches up meanwhile
      send(1000);
      process.kill(process.pid, 'SIGKILL'); // no onEnd, no exit handlers
    `;
    const child = runChild(script);
    expect(child.signal).toBe('SIGKILL');
    const path = join(dir, 'crash.wav');
    const total = 3.5 * rate;

    // Valid as it is: the header only lags the data.
    const before = parseWav(readFileSync(path));
    expect(before.frames).toBe(2.5 * rate);
    expect(readFileSync(path).length).toBe(44 + total * 4);

    appendFileSync(path, Buffer.from([1, 2, 3])); // a torn last write
    writeFileSync(join(dir, 'crash.ogg.partial'), 'half a transcode');

    const repaired = await repairRecordings(dir, quietLog);
    expect(repaired).toEqual([{ path, statedBytes: 2.5 * rate * 4, dataBytes: total * 4, truncatedBytes: 3, durationMs: 3500 }]);
    const wav = readWavSamples(path);
    expect(wav.left).toEqual(expected('agent', total));
    expect(wav.right).toEqual(expected('customer', total));
    expect(existsSync(join(dir, 'crash.ogg.partial'))).toBe(false);
    expect(await repairRecordings(dir, quietLog)).toEqual([]); // nothing left to do
  });

  it('counts write errors (disk full) without throwing and keeps what was written valid', () => {
    const dir = tempDir();
    const rate = 8000;
    const script = `
      import { createRecorder } from ${JSON.stringify(recordingIndex)};
      import { frame, quietLog } from ${JSON.stringify(support)};
      const errors = {};
      const rec = createRecorder({
        dir: ${JSON.stringify(dir)}, callId: 'full', rate: ${rate}, log: quietLog, transcode: false, opusBitrateKbps: 24,
        onError: (kind) => { errors[kind] = (errors[kind] ?? 0) + 1; },
      });
      for (let seq = 0, at = 0; seq < 100; seq++, at += 160) rec.onFrames(frame('agent', seq, at, 160, ${rate}), frame('customer', seq, at, 160, ${rate}));
      await rec.onEnd('ended');
      console.log(JSON.stringify({ errors, info: await rec.finished }));
    `;
    const child = runChild(script, 'ulimit -f 32'); // files may grow to 32 KiB: writes beyond fail with EFBIG
    expect(child.status).toBe(0);
    const { errors, info } = JSON.parse(String(child.stdout).trim()) as { errors: Record<string, number>; info: { samples: number; path: string } };
    expect(errors.write).toBeGreaterThan(0);
    expect(errors.dropped).toBeGreaterThan(0); // still failing at close
    expect(info.samples).toBeGreaterThan(0);
    expect(info.samples).toBeLessThan(100 * 160);
    const wav = readWavSamples(info.path);
    expect(wav.left.length).toBe(info.samples);
    expect(wav.left).toEqual(expected('agent', info.samples));
  });

  it('leaves complete files and files it does not understand alone', async () => {
    const dir = tempDir();
    const complete = Buffer.concat([wavHeader({ rate: 8000, channels: 2, dataBytes: 8 }), Buffer.alloc(8, 1)]);
    writeFileSync(join(dir, 'complete.wav'), complete);
    // data followed by another chunk: the stated size is right although the file is longer
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([4, 0, 0, 0]), Buffer.from('INFO')]);
    const withList = Buffer.concat([complete, list]);
    writeFileSync(join(dir, 'with-list.wav'), withList);
    writeFileSync(join(dir, 'garbage.wav'), 'not a wav at all');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    expect(await repairRecordings(dir, quietLog)).toEqual([]);
    expect(readFileSync(join(dir, 'with-list.wav')).equals(withList)).toBe(true);
    expect(readFileSync(join(dir, 'garbage.wav'), 'utf8')).toBe('not a wav at all');
    expect(await repairRecordings(join(dir, 'missing'), quietLog)).toEqual([]);
  });
});
