import { basename } from 'node:path';
import type { ImportOutcome, ImportProgress, PreparedImport } from './import-call.js';

export interface ImportDisplay {
  /** A file that was not imported at all (not audio, unreadable). */
  rejected(file: string, reason: string): void;
  start(prepared: readonly PreparedImport[]): void;
  progress(p: ImportProgress): void;
  finished(outcome: ImportOutcome): void;
  note(text: string): void;
  summary(s: { outcomes: readonly ImportOutcome[]; rejected: number; wallMs: number }): void;
  close(): void;
}

interface Stream { write(text: string): unknown; isTTY?: boolean }

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const speed = (audioMs: number, wallMs: number) => (wallMs > 0 ? `${(audioMs / wallMs).toFixed(1)}x` : '–');
const bar = (fraction: number, width = 24) => {
  const full = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}]`;
};

function resultLine(o: ImportOutcome): string {
  if (!o.ok) return `FAIL ${o.name}: ${o.error ?? 'failed'}${o.audioMs ? ` (call ${o.callId} keeps the first ${seconds(o.audioMs)})` : ` (call ${o.callId})`}`;
  const t = o.transcription;
  const transcript = t ? `transcription ${t.status}${t.engine ? ` (${t.engine})` : ''}${t.note ? `: ${t.note}` : ''}` : '';
  return `ok   ${o.name} → call ${o.callId}  ${seconds(o.audioMs)} of audio in ${seconds(o.wallMs)} (${speed(o.audioMs, o.wallMs)})  ${transcript}`;
}

/**
 * What `npm run import` shows: on a terminal a progress bar per running file and one for the batch (on stderr),
 * redrawn in place; otherwise plain lines. Results go to stdout, as text or (json) one JSON object per file.
 */
export function createImportDisplay(opts: { json: boolean; out: Stream; err: Stream }): ImportDisplay {
  const { out, err, json } = opts;
  const live = err.isTTY === true;
  const files = new Map<string, ImportProgress>();
  let drawn = 0;
  let lastDraw = 0;
  let done = 0;
  let started = 0;

  const clear = () => {
    if (drawn) err.write(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
  };
  const draw = (force = false) => {
    if (!live || !files.size) return;
    const now = performance.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    clear();
    const lines: string[] = [];
    let fed = 0;
    let total = 0;
    for (const p of files.values()) {
      const whole = p.totalMs ?? p.fedMs;
      fed += Math.min(p.fedMs, whole);
      total += whole;
      if (p.state !== 'importing' && p.state !== 'finishing') continue;
      const fraction = p.totalMs ? p.fedMs / p.totalMs : 0;
      lines.push(`  ${p.name.slice(0, 40).padEnd(40)} ${bar(fraction)} ${String(Math.round(fraction * 100)).padStart(3)}%  ${seconds(p.fedMs)}${p.totalMs ? `/${seconds(p.totalMs)}` : ''}  ${p.state}`);
    }
    const elapsed = now - started;
    lines.push(`  total ${bar(total ? fed / total : 0)} ${String(Math.round(total ? (100 * fed) / total : 0)).padStart(3)}%  ${done}/${files.size} files  ${speed(fed, elapsed)} real time`);
    err.write(`${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const print = (line: string, object?: object) => {
    clear();
    out.write(json ? `${JSON.stringify(object)}\n` : `${line}\n`);
    draw(true);
  };

  return {
    rejected(file, reason) {
      const name = basename(file);
      const why = reason.startsWith(`${name}: `) ? reason.slice(name.length + 2) : reason;
      print(`FAIL ${file}: ${why}`, { file, ok: false, error: reason });
    },
    start(prepared) {
      started = performance.now();
      for (const p of prepared) files.set(p.callId, { callId: p.callId, name: p.name, state: 'queued', fedMs: 0, totalMs: p.probe.durationMs });
      const audio = prepared.reduce((n, p) => n + (p.probe.durationMs ?? 0), 0);
      if (!json && prepared.length) print(`importing ${prepared.length} file${prepared.length === 1 ? '' : 's'} (${seconds(audio)} of audio)`);
    },
    progress(p) {
      const before = files.get(p.callId)?.state;
      files.set(p.callId, p);
      if (!live && !json && before === 'queued' && p.state === 'importing') out.write(`...  ${p.name}: importing\n`);
      draw(before !== p.state);
    },
    finished(o) {
      done++;
      print(resultLine(o), { file: o.name, ...o });
    },
    note(text) {
      clear();
      err.write(`${text}\n`);
      draw(true);
    },
    summary({ outcomes, rejected, wallMs }) {
      const ok = outcomes.filter((o) => o.ok);
      const audioMs = outcomes.reduce((n, o) => n + o.audioMs, 0);
      const failed = outcomes.length - ok.length + rejected;
      print(
        `imported ${ok.length} of ${outcomes.length + rejected} files: ${seconds(audioMs)} of audio in ${seconds(wallMs)} (${speed(audioMs, wallMs)} real time)${failed ? `; ${failed} failed` : ''}`,
        { summary: { imported: ok.length, failed, audioMs: Math.round(audioMs), wallMs: Math.round(wallMs), speed: wallMs > 0 ? audioMs / wallMs : null } },
      );
    },
    close() {
      clear();
      files.clear();
    },
  };
}
