/**
 * ASR benchmark: word error rate and real-time factor per engine on Debian's pocketsphinx-testdata utterances
 * and on the fixture calls (test/fixtures/calls, per channel against the script).
 *
 *   npm run bench:asr [-- --fixtures=N] [--chunk-ms=20]
 *
 * Engines: PocketSphinx when installed; Vosk when VOSK_MODEL_PATH names an installed model (VOSK_LANGUAGE,
 * default en-us). Recognition runs on this thread, one stream at a time, so RTF = processing time / audio time
 * on one core (below 1 is faster than real time).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readWavSamples } from '../services/audio/index.js';
import {
  corpusWer, createSphinxEngine, createVoskEngine, loadSphinxCorpus, sphinxInstalled, streamSignal,
  type AsrEngine,
} from '../services/speech/asr/index.js';
import type { Channel } from '../services/calls/index.js';
import { measurePipelineCost } from './pipeline-cost.js';

interface Item {
  id: string;
  pcm: Int16Array;
  rate: number;
  reference: string;
  speaker: Channel;
}

interface Row {
  engine: string;
  corpus: string;
  items: number;
  audioS: number;
  wer: number;
  rtf: number;
}

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const maxFixtures = args.has('fixtures') ? Number(args.get('fixtures')) : Infinity;
const chunkMs = Number(args.get('chunk-ms') ?? 20);
const FIXTURES = new URL('../test/fixtures/calls/', import.meta.url).pathname;

function librivox(): Item[] {
  return loadSphinxCorpus().map((u) => {
    const wav = readWavSamples(u.path);
    return { id: u.id, pcm: wav.left, rate: wav.rate, reference: u.reference, speaker: 'agent' };
  });
}

interface Script {
  files?: { pcm16k?: string };
  lines: { speaker: Channel; text: string }[];
}

function fixtures(): Item[] {
  if (!existsSync(FIXTURES)) return [];
  const items: Item[] = [];
  const scripts = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort().slice(0, maxFixtures);
  for (const file of scripts) {
    const script = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Script;
    const wavPath = join(FIXTURES, script.files?.pcm16k ?? `${basename(file, '.json')}.wav`);
    if (!existsSync(wavPath)) continue;
    const wav = readWavSamples(wavPath);
    for (const [speaker, pcm] of [['agent', wav.left], ['customer', wav.right]] as const) {
      const reference = script.lines.filter((l) => l.speaker === speaker).map((l) => l.text).join(' ');
      items.push({ id: `${basename(file, '.json')}/${speaker}`, pcm, rate: wav.rate, reference, speaker });
    }
  }
  return items;
}

async function run(engine: AsrEngine, corpus: string, items: Item[]): Promise<Row> {
  const pairs: { reference: string; hypothesis: string }[] = [];
  let audioMs = 0;
  let busyMs = 0;
  for (const item of items) {
    const r = engine.createRecognizer({ language: 'en-US', sampleRate: item.rate, callId: item.id, speaker: item.speaker });
    const out = await streamSignal(r, item.pcm, item.rate, { chunkMs });
    await r.close();
    pairs.push({ reference: item.reference, hypothesis: out.text });
    audioMs += (item.pcm.length * 1000) / item.rate;
    busyMs += out.elapsedMs;
    process.stderr.write('.');
  }
  return { engine: engine.name, corpus, items: items.length, audioS: audioMs / 1000, wer: corpusWer(pairs).wer, rtf: busyMs / audioMs };
}

function table(rows: Row[]): string {
  const head = ['engine', 'corpus', 'items', 'audio s', 'WER %', 'RTF'];
  const body = rows.map((r) => [r.engine, r.corpus, String(r.items), r.audioS.toFixed(1), (r.wer * 100).toFixed(1), r.rtf.toFixed(3)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const engines: AsrEngine[] = [];
  if (sphinxInstalled()) engines.push(createSphinxEngine());
  const voskModel = process.env.VOSK_MODEL_PATH;
  if (voskModel) engines.push(await createVoskEngine({ modelPath: voskModel, language: process.env.VOSK_LANGUAGE ?? 'en-us' }));
  if (!engines.length) throw new Error('no ASR engine available (install pocketsphinx-en-us, or set VOSK_MODEL_PATH)');
  const corpora: [string, Item[]][] = [
    ['librivox', librivox()],
    ['fixtures', fixtures()],
  ];
  const rows: Row[] = [];
  for (const engine of engines) {
    for (const [name, items] of corpora) if (items.length) rows.push(await run(engine, name, items));
  }
  process.stderr.write('\n');
  process.stdout.write(`${table(rows)}\n`);
  const calls = Number(args.get('pipeline-calls') ?? 8);
  const cost = await measurePipelineCost({ calls, fixture: join(FIXTURES, 'support-good') });
  process.stdout.write(`\npipeline beyond ASR (μ-law decode, VAD, prosody, metrics, sentiment, storage): ${calls} calls, `
    + `${cost.audioS.toFixed(0)} s of audio in ${cost.wallS.toFixed(1)} s, CPU ${cost.cpuS.toFixed(2)} s = `
    + `${(100 * cost.coreShare).toFixed(2)}% of one core per live call (target < 2%)\n`);
}

await main();
