// Synthetic test calls: test/fixtures/calls/scripts/<name>.yaml → test/fixtures/calls/<name>.{wav,ulaw.wav,json}.
//
// Each line is synthesized with Festival (cmu_us_slt_arctic_hts), processed with sox (customer: pitch shift;
// trimmed to the speech itself), then placed on a two-channel timeline: agent = left, customer = right,
// digital silence elsewhere. startMs/endMs in the JSON are the real boundaries of each trimmed clip.
// Deterministic: the same scripts and the same Debian festival/sox versions give byte-identical files.
//
// Usage: bash scripts/make-fixtures.sh [--asr] [name ...]
//   --asr  after generating, run pocketsphinx_continuous on every line of each channel and print a WER report
//   name   only (re)generate these calls (default: all scripts)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

type Speaker = 'agent' | 'customer';

interface ScriptLine {
  speaker: Speaker;
  text: string;
  /** Time from the end of the previous line to the start of this one; negative = starts before it ends (overlap). */
  gapMs?: number;
  /** The gap before this line is a hold the agent asked for (annotation only). */
  hold?: boolean;
  style?: 'angry';
}

interface CallScriptSource {
  name: string;
  description: string;
  direction: 'inbound' | 'outbound';
  queue: string;
  agentId: string;
  customerNumber: string;
  flaws: string[];
  lines: ScriptLine[];
}

interface PlacedLine {
  speaker: Speaker;
  text: string;
  startMs: number;
  endMs: number;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(ROOT, 'test/fixtures/calls');
const SRC_DIR = join(OUT_DIR, 'scripts');
const RATE = 16_000;
const ULAW_RATE = 8_000;
const LEAD_IN_MS = 600;
const TAIL_MS = 800;
/** Turn gaps cycle through these so the timing is varied but deterministic. */
const DEFAULT_GAPS_MS = [450, 700, 350, 600, 500, 800, 400, 650];
/** Minimum pause between two lines of the same speaker (a channel never overlaps itself). */
const MIN_SAME_SPEAKER_GAP_MS = 150;
/** A stretch with both channels silent at least this long is listed in annotations.silences. */
const MIN_ANNOTATED_SILENCE_MS = 2_000;

const VOICES: Record<Speaker, { pitchCents: number; peakDb: number }> = {
  agent: { pitchCents: 0, peakDb: -4 },
  customer: { pitchCents: -350, peakDb: -6 },
};
const STYLES: Record<'angry', { tempo: number; peakDb: number; pitchDelta: number }> = {
  angry: { tempo: 1.1, peakDb: -1, pitchDelta: 100 },
};
/** sox `silence` threshold used to trim festival's leading and trailing silence. */
const TRIM = ['silence', '1', '0.005', '0.5%'];

function run(cmd: string, args: string[], input?: Buffer): Buffer {
  return execFileSync(cmd, args, { input, maxBuffer: 1 << 28, stdio: ['pipe', 'pipe', 'pipe'] });
}

function loadSource(file: string): CallScriptSource {
  const raw = parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { lines: Record<string, unknown>[] };
  for (const key of ['name', 'description', 'direction', 'queue', 'agentId', 'customerNumber', 'flaws', 'lines']) {
    if (raw[key] === undefined) throw new Error(`${file}: missing ${key}`);
  }
  const lines = raw.lines.map((l, i): ScriptLine => {
    const speaker: Speaker = 'agent' in l ? 'agent' : 'customer' in l ? 'customer' : (() => {
      throw new Error(`${file}: line ${i + 1} has neither agent nor customer`);
    })();
    const text = String(l[speaker]).trim();
    return { speaker, text, gapMs: l.gapMs as number | undefined, hold: l.hold === true, style: l.style as 'angry' | undefined };
  });
  return { ...(raw as unknown as CallScriptSource), lines };
}

/** Festival → sox: a trimmed, level-normalised 16 kHz mono clip. */
function synthesize(line: ScriptLine, work: string, index: number): Int16Array {
  const txt = join(work, `line-${index}.txt`);
  const wav = join(work, `line-${index}.wav`);
  writeFileSync(txt, `${line.text}\n`);
  run('text2wave', ['-eval', '(voice_cmu_us_slt_arctic_hts)', '-o', wav, txt]);
  const voice = VOICES[line.speaker];
  const style = line.style ? STYLES[line.style] : undefined;
  const pitch = voice.pitchCents + (voice.pitchCents !== 0 && style ? style.pitchDelta : 0);
  const effects = ['highpass', '80'];
  if (pitch !== 0) effects.push('pitch', String(pitch));
  if (style) effects.push('tempo', '-s', String(style.tempo));
  effects.push('rate', '-v', String(RATE), 'gain', '-n', String(style?.peakDb ?? voice.peakDb));
  effects.push(...TRIM, 'reverse', ...TRIM, 'reverse');
  const pcm = run('sox', ['-D', '-R', wav, '-t', 'raw', '-e', 'signed', '-b', '16', '-c', '1', '-r', String(RATE), '-', ...effects]);
  const clip = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2).slice();
  // 5 ms linear fades so the cut edges do not click.
  const fade = Math.min(RATE / 200, clip.length >> 1);
  for (let k = 0; k < fade; k++) {
    clip[k] = Math.round((clip[k] * k) / fade);
    clip[clip.length - 1 - k] = Math.round((clip[clip.length - 1 - k] * k) / fade);
  }
  return clip;
}

function place(src: CallScriptSource, clips: Int16Array[]): { lines: PlacedLine[]; durationMs: number } {
  const lines: PlacedLine[] = [];
  const lastEnd: Record<Speaker, number> = { agent: -Infinity, customer: -Infinity };
  let prevEnd = 0;
  src.lines.forEach((line, i) => {
    const gap = line.gapMs ?? DEFAULT_GAPS_MS[i % DEFAULT_GAPS_MS.length];
    const startMs = i === 0 ? LEAD_IN_MS : prevEnd + gap;
    const endMs = startMs + Math.round((clips[i].length * 1000) / RATE);
    if (startMs < lastEnd[line.speaker] + MIN_SAME_SPEAKER_GAP_MS) {
      throw new Error(`${src.name}: line ${i + 1} (${line.speaker}) overlaps the same speaker's previous line`);
    }
    lines.push({ speaker: line.speaker, text: line.text, startMs, endMs });
    lastEnd[line.speaker] = endMs;
    prevEnd = Math.max(prevEnd, endMs);
  });
  return { lines, durationMs: prevEnd + TAIL_MS };
}

function annotate(src: CallScriptSource, lines: PlacedLine[]) {
  const overlaps: { startMs: number; endMs: number; interrupter: Speaker }[] = [];
  for (let i = 1; i < lines.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = lines[j];
      const b = lines[i];
      if (a.speaker === b.speaker) continue;
      const start = Math.max(a.startMs, b.startMs);
      const end = Math.min(a.endMs, b.endMs);
      if (end > start) overlaps.push({ startMs: start, endMs: end, interrupter: b.speaker });
    }
  }
  const silences: { startMs: number; endMs: number; hold: boolean }[] = [];
  let covered = lines[0].endMs;
  lines.forEach((l, i) => {
    if (i > 0 && l.startMs - covered >= MIN_ANNOTATED_SILENCE_MS) {
      silences.push({ startMs: covered, endMs: l.startMs, hold: src.lines[i].hold === true });
    }
    covered = Math.max(covered, l.endMs);
  });
  return { overlaps, silences };
}

function wavHeader(format: 1 | 7, rate: number, channels: number, bits: number, dataBytes: number): Buffer {
  const frames = dataBytes / (channels * (bits / 8));
  // PCM: canonical 44-byte header. μ-law: fmt chunk of 18 bytes (cbSize = 0) plus a fact chunk, as the spec asks.
  const fmtSize = format === 1 ? 16 : 18;
  const factSize = format === 1 ? 0 : 12;
  const header = Buffer.alloc(12 + 8 + fmtSize + factSize + 8);
  let o = 0;
  o += header.write('RIFF', o, 'latin1');
  o = header.writeUInt32LE(header.length - 8 + dataBytes, o);
  o += header.write('WAVE', o, 'latin1');
  o += header.write('fmt ', o, 'latin1');
  o = header.writeUInt32LE(fmtSize, o);
  o = header.writeUInt16LE(format, o);
  o = header.writeUInt16LE(channels, o);
  o = header.writeUInt32LE(rate, o);
  o = header.writeUInt32LE((rate * channels * bits) / 8, o);
  o = header.writeUInt16LE((channels * bits) / 8, o);
  o = header.writeUInt16LE(bits, o);
  if (format === 7) {
    o = header.writeUInt16LE(0, o);
    o += header.write('fact', o, 'latin1');
    o = header.writeUInt32LE(4, o);
    o = header.writeUInt32LE(frames, o);
  }
  o += header.write('data', o, 'latin1');
  header.writeUInt32LE(dataBytes, o);
  return header;
}

/** ITU-T G.711 μ-law encoder (bias 0x84, clip 32635). */
function ulawEncode(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  let s = Math.min(sign ? -sample : sample, 32635) + 0x84;
  const exponent = 31 - Math.clz32(s) - 7;
  s = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | s) & 0xff;
}

function generate(file: string, work: string): { name: string; durationMs: number } {
  const src = loadSource(file);
  const clips = src.lines.map((line, i) => synthesize(line, work, i));
  const { lines, durationMs } = place(src, clips);

  const frames = Math.round((durationMs * RATE) / 1000);
  const stereo = new Int16Array(frames * 2);
  lines.forEach((l, i) => {
    const ch = l.speaker === 'agent' ? 0 : 1;
    const at = (l.startMs * RATE) / 1000;
    clips[i].forEach((v, k) => {
      stereo[(at + k) * 2 + ch] = v;
    });
  });
  const pcm = Buffer.from(stereo.buffer);
  writeFileSync(join(OUT_DIR, `${src.name}.wav`), Buffer.concat([wavHeader(1, RATE, 2, 16, pcm.length), pcm]));

  const narrow = run('sox', ['-D', '-R', '-t', 'raw', '-e', 'signed', '-b', '16', '-c', '2', '-r', String(RATE), '-',
    '-t', 'raw', '-e', 'signed', '-b', '16', '-c', '2', '-r', String(ULAW_RATE), '-', 'rate', '-v', String(ULAW_RATE)], pcm);
  const pcm8 = new Int16Array(narrow.buffer, narrow.byteOffset, narrow.length / 2);
  const ulaw = Buffer.alloc(pcm8.length);
  pcm8.forEach((v, k) => {
    ulaw[k] = ulawEncode(v);
  });
  writeFileSync(join(OUT_DIR, `${src.name}.ulaw.wav`), Buffer.concat([wavHeader(7, ULAW_RATE, 2, 8, ulaw.length), ulaw]));

  const json = {
    name: src.name,
    description: src.description,
    language: 'en-US',
    direction: src.direction,
    queue: src.queue,
    agentId: src.agentId,
    customerNumber: src.customerNumber,
    durationMs,
    flaws: src.flaws,
    channels: { left: 'agent', right: 'customer' },
    files: { pcm16k: `${src.name}.wav`, ulaw8k: `${src.name}.ulaw.wav` },
    annotations: annotate(src, lines),
    lines,
  };
  writeFileSync(join(OUT_DIR, `${src.name}.json`), `${JSON.stringify(json, null, 2)}\n`);
  return { name: src.name, durationMs };
}

// ---- optional recognisability report (pocketsphinx_continuous) ----

function words(s: string): string[] {
  return s.toLowerCase().replace(/[^a-z' ]+/g, ' ').split(/\s+/).filter(Boolean);
}

function editDistance(a: string[], b: string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

function asrReport(name: string, work: string): { errors: Record<Speaker, number>; refWords: Record<Speaker, number> } {
  const script = JSON.parse(readFileSync(join(OUT_DIR, `${name}.json`), 'utf8')) as { lines: PlacedLine[] };
  const errors: Record<Speaker, number> = { agent: 0, customer: 0 };
  const refWords: Record<Speaker, number> = { agent: 0, customer: 0 };
  script.lines.forEach((l, i) => {
    const seg = join(work, `asr-${i}.wav`);
    const from = Math.max(0, l.startMs - 150) / 1000;
    run('sox', [join(OUT_DIR, `${name}.wav`), seg, 'remix', l.speaker === 'agent' ? '1' : '2',
      'trim', String(from), String((l.endMs + 150) / 1000 - from)]);
    const hyp = run('pocketsphinx_continuous', ['-infile', seg, '-logfn', '/dev/null']).toString().trim().replace(/\s+/g, ' ');
    const ref = words(l.text);
    const e = editDistance(ref, words(hyp));
    errors[l.speaker] += e;
    refWords[l.speaker] += ref.length;
    const mark = e === 0 ? 'ok ' : `${e}  `;
    console.log(`  ${mark.padEnd(4)}${l.speaker.padEnd(9)}${l.text}\n${' '.repeat(13)}→ ${hyp}`);
  });
  const pct = (s: Speaker) => ((100 * errors[s]) / refWords[s]).toFixed(1);
  console.log(`  ${name}: WER agent ${pct('agent')} % (${refWords.agent} words), customer ${pct('customer')} % (${refWords.customer} words)`);
  return { errors, refWords };
}

function main(): void {
  const args = process.argv.slice(2);
  const asr = args.includes('--asr');
  const only = args.filter((a) => !a.startsWith('--'));
  const files = readdirSync(SRC_DIR).filter((f) => f.endsWith('.yaml')).sort()
    .filter((f) => only.length === 0 || only.includes(f.replace(/\.yaml$/, '')));
  if (files.length === 0) throw new Error(`no scripts matched in ${SRC_DIR}`);
  const work = mkdtempSync(join(tmpdir(), 'callsight-fixtures-'));
  try {
    const totals = { errors: { agent: 0, customer: 0 }, refWords: { agent: 0, customer: 0 } };
    for (const f of files) {
      const { name, durationMs } = generate(join(SRC_DIR, f), work);
      const warn = durationMs < 30_000 || durationMs > 75_000 ? '  (outside 30–75 s)' : '';
      console.log(`${name}: ${(durationMs / 1000).toFixed(1)} s${warn}`);
      if (asr) {
        const r = asrReport(name, work);
        for (const s of ['agent', 'customer'] as const) {
          totals.errors[s] += r.errors[s];
          totals.refWords[s] += r.refWords[s];
        }
      }
    }
    if (asr) {
      for (const s of ['agent', 'customer'] as const) {
        console.log(`overall ${s} WER ${((100 * totals.errors[s]) / totals.refWords[s]).toFixed(1)} % over ${totals.refWords[s]} words`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
