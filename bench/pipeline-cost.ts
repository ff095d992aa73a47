/**
 * The speech pipeline's CPU cost beyond recognition, per live 8 kHz call: μ-law decode (what a tap does),
 * voice activity (Silero in its worker), prosody, conversation metrics, sentiment of every script line as if it were
 * a final segment, and storing segments and metrics in PGlite. Calls are pushed as fast as the pipeline takes them;
 * process CPU time (all threads) divided by audio time is the share of one core a live call costs.
 */
import { readFileSync } from 'node:fs';
import { decodeMuLaw, encodeMuLaw, readWavSamples, resample } from '../services/audio/index.js';
import type { AudioFrame } from '../services/calls/index.js';
import { createLogger } from '../services/core/index.js';
import { createCallPipeline } from '../services/speech/pipeline/index.js';
import { createSentimentAnalyzer } from '../services/speech/sentiment/index.js';
import { createVad } from '../services/speech/vad/index.js';
import { createTranscriptRepo, migrate, openPglite } from '../services/store/index.js';

interface Line { speaker: 'agent' | 'customer'; text: string; startMs: number; endMs: number }

export async function measurePipelineCost(opts: { calls: number; fixture: string }): Promise<{ audioS: number; cpuS: number; wallS: number; coreShare: number }> {
  const log = createLogger('warn');
  const db = await openPglite('memory://');
  await migrate(db);
  const repo = createTranscriptRepo(db);
  const vad = await createVad({ log });
  const sentiment = createSentimentAnalyzer();
  const wav = readWavSamples(`${opts.fixture}.wav`);
  const script = JSON.parse(readFileSync(`${opts.fixture}.json`, 'utf8')) as { lines: Line[] };
  // What a tap receives: μ-law at 8 kHz per channel.
  const wire = { agent: encodeMuLaw(resample(wav.left, wav.rate, 8000)), customer: encodeMuLaw(resample(wav.right, wav.rate, 8000)) };
  const audioMs = (wire.agent.length * 1000) / 8000;

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: opts.calls }, async (_, c) => {
    const callId = crypto.randomUUID();
    await db.query(`insert into calls (id, protocol, external_id, direction, status, started_at, sample_rate) values ($1, 'native', $2, 'inbound', 'live', now(), 8000)`, [callId, `bench-${c}`]);
    const writes: Promise<unknown>[] = [];
    const pipeline = createCallPipeline(
      { engineFor: async () => ({ reason: 'benchmark: recognition is measured by bench:asr' }), vad, sentiment, log },
      { callId, rate: 8000, language: 'en-US' },
      (e) => { if (e.type === 'metrics.updated' && e.final) writes.push(repo.saveMetrics(callId, { metrics: e.metrics })); },
    );
    const engine = sentiment.engineFor('en-US')!;
    let line = 0;
    for (let i = 0, seq = 0; i < wire.agent.length; i += 160, seq++) {
      const startMs = i / 8;
      const frame = (channel: 'agent' | 'customer'): AudioFrame => ({
        callId, channel, seq, startMs, rate: 8000, pcm: decodeMuLaw(wire[channel].subarray(i, i + 160)),
      });
      pipeline.onFrames(frame('agent'), frame('customer'));
      while (line < script.lines.length && script.lines[line].endMs <= startMs) {
        const l = script.lines[line++];
        const score = await engine.score(l.text, 'en-US');
        writes.push(repo.saveSegment({
          callId, speaker: l.speaker, utteranceId: `u${line}`, text: l.text, startMs: l.startMs, endMs: l.endMs, words: [],
          engine: 'script', language: 'en-US', sentiment: score,
        }));
      }
      if (seq % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    await pipeline.onEnd?.('ended');
    await pipeline.done;
    await Promise.all(writes);
  }));
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  await vad.close();
  await db.close();
  const audioS = (opts.calls * audioMs) / 1000;
  return { audioS, cpuS, wallS, coreShare: cpuS / audioS };
}
