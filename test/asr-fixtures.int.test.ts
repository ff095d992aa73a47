import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readWavSamples } from '../services/audio/index.js';
import type { AudioFrame } from '../services/calls/index.js';
import {
  corpusWer, createAsrWorkerPool, createTranscribeStage, sphinxInstalled, type AsrResult,
} from '../services/speech/asr/index.js';
import type { TranscriptSegment } from '../services/speech/index.js';

// Festival-synthesised calls (16 kHz stereo, agent left / customer right) with their scripts.
const FIXTURE = new URL('./fixtures/calls/support-good', import.meta.url).pathname;
const present = existsSync(`${FIXTURE}.wav`) && existsSync(`${FIXTURE}.json`);

interface ScriptLine { speaker: 'agent' | 'customer'; text: string; startMs: number; endMs: number }

async function* framesOf(callId: string, left: Int16Array, right: Int16Array): AsyncIterable<AudioFrame> {
  const n = 320; // 20 ms at 16 kHz, both channels per step as the call timeline delivers them
  for (let i = 0, seq = 0; i < left.length; i += n, seq++) {
    const startMs = (i * 1000) / 16000;
    yield { callId, channel: 'agent', seq, startMs, pcm: left.subarray(i, i + n), rate: 16000 };
    yield { callId, channel: 'customer', seq, startMs, pcm: right.subarray(i, i + n), rate: 16000 };
  }
}

describe.skipIf(!present || !sphinxInstalled())('ASR on a fixture call (both channels through the worker pool)', () => {
  const pool = createAsrWorkerPool({ size: 2 });
  afterAll(() => pool.close());

  it('recognises the key phrases of each speaker at the script times', async () => {
    const script = JSON.parse(readFileSync(`${FIXTURE}.json`, 'utf8')) as { lines: ScriptLine[] };
    const wav = readWavSamples(`${FIXTURE}.wav`);
    const transcribe = createTranscribeStage(pool.engine({ kind: 'sphinx' }), { language: 'en-US' });
    const results: AsrResult[] = [];
    for await (const r of transcribe(framesOf('support-good', wav.left, wav.right), AbortSignal.timeout(280_000))) results.push(r);

    expect(results.some((r) => r.type === 'lost')).toBe(false);
    const finals = results.flatMap((r) => (r.type === 'final' ? [r.segment] : []));
    const of = (speaker: string) => finals.filter((s) => s.speaker === speaker);
    const textOf = (segs: TranscriptSegment[]) => segs.map((s) => s.text).join(' ');
    const agent = textOf(of('agent'));
    const customer = textOf(of('customer'));

    // Festival's "calling" is often heard as "coming" (ENVIRONMENT.md): the greeting is matched around it.
    expect(agent).toMatch(/thank you for (calling|coming)/);
    expect(agent).toContain('how can i help you today');
    expect(agent).toContain('account number');
    expect(agent).toContain('date of birth');
    expect(agent).toContain('anything else i can help');
    expect(customer).toContain('four five seven two one nine eight');
    const ref = (speaker: string) => script.lines.filter((l) => l.speaker === speaker).map((l) => l.text).join(' ');
    expect(corpusWer([{ reference: ref('agent'), hypothesis: agent }]).wer).toBeLessThan(0.3);
    expect(corpusWer([{ reference: ref('customer'), hypothesis: customer }]).wer).toBeLessThan(0.3);

    // Every final lies on a script line of its own speaker (the channels do not bleed into each other).
    for (const s of finals) {
      const line = script.lines.find((l) => l.speaker === s.speaker && s.startMs < l.endMs && s.endMs > l.startMs);
      expect(line, `${s.speaker} ${s.startMs}-${s.endMs} "${s.text}"`).toBeDefined();
      expect(Math.abs(s.startMs - (line as ScriptLine).startMs)).toBeLessThan(500);
    }
  }, 300_000);
});
