/**
 * Tap simulator: streams a recorded call to Callsight over AudioHook, Twilio Media Streams or the native protocol.
 * `npm run simulate -- --help` lists the flags; the library behind it is services/cli/sim.
 */
import { AppError } from '../core/index.js';
import { parseCliArgs, USAGE, type CliOptions } from './sim/cli-args.js';
import { prepareCallMedia, simulateCall, type PreparedMedia, type SimSummary } from './sim/index.js';

interface Live { audioMs: number; totalMs: number; lagMs: number; done: boolean }

const out = (s: string) => process.stdout.write(s);
const err = (s: string) => process.stderr.write(s);
const secs = (ms: number) => (ms / 1000).toFixed(1);

function describe(s: SimSummary): string {
  const ok = s.outcome === 'completed';
  const inj = (['agent', 'customer', 'both'] as const).map((t) => `${t} ${s.injected[t].frames}`).join(', ');
  const files = (['agent', 'customer', 'both'] as const).map((t) => s.injected[t].file).filter(Boolean);
  return `${ok ? '✓' : '✗'} ${s.protocol} ${s.externalId} ${s.outcome}${s.serverReason ? ` (${s.serverReason})` : ''}`
    + `${s.serverCallId ? `, server call ${s.serverCallId}` : ''}: agent ${s.framesSent.agent} / customer ${s.framesSent.customer} frames, `
    + `${secs(s.audioMs)} s of audio in ${secs(s.wallMs)} s, send lag p95 ${s.sendLag.p95Ms} ms (max ${s.sendLag.maxMs})`
    + `${s.skippedFrames ? `, skipped ${s.skippedFrames}` : ''}${s.lostFrames ? `, lost ${s.lostFrames}` : ''}${s.reconnects ? `, reconnects ${s.reconnects}` : ''}`
    + `, injected frames: ${inj}${files.length ? ` → ${files.join(', ')}` : ''}`
    + `${s.serverErrors.length ? `\n    server errors: ${s.serverErrors.slice(0, 5).join('; ')}` : ''}\n`;
}

/** The summary without the PCM arrays (for --json). */
const printable = (s: SimSummary) => ({
  ...s,
  injected: Object.fromEntries(Object.entries(s.injected).map(([k, { pcm: _pcm, ...rest }]) => [k, rest])),
});

function externalIdFor(opts: CliOptions, copy: number, round: number): string | undefined {
  const id = opts.call.metadata?.externalId;
  if (!id || (opts.calls === 1 && !opts.loop)) return id;
  // Copies need distinct ids; AudioHook (UUID) and Twilio (streamSid) ids are generated instead.
  return opts.call.protocol === 'native' ? `${id}-${copy + 1}-${round + 1}` : undefined;
}

async function run(opts: CliOptions): Promise<number> {
  const ctl = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    err('\nending the calls… (Ctrl-C again to quit at once)\n');
    ctl.abort(new AppError('interrupted'));
  });

  const media: PreparedMedia = await prepareCallMedia(opts.call);
  const live: Live[] = Array.from({ length: opts.calls }, () => ({ audioMs: 0, totalMs: media.frameCount * media.frameMs, lagMs: 0, done: false }));
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  const showProgress = () => {
    if (opts.quiet) return;
    const now = Date.now();
    if (now - lastLine < (tty ? 250 : 5000)) return;
    lastLine = now;
    const active = live.filter((l) => !l.done).length;
    const audio = Math.min(...live.map((l) => l.audioMs));
    const lag = Math.max(...live.map((l) => l.lagMs));
    const line = `${opts.call.protocol}: ${active}/${opts.calls} call(s) live, ${secs(audio)} / ${secs(live[0].totalMs)} s, frame lag ${lag.toFixed(1)} ms`;
    err(tty ? `\r\x1b[K${line}` : `${line}\n`);
  };
  const ticker = setInterval(() => showProgress(), 250);
  const summaries: SimSummary[] = [];
  const failures: unknown[] = [];

  async function copy(i: number): Promise<void> {
    for (let round = 0; ; round++) {
      live[i].done = false;
      let s: SimSummary;
      try {
        s = await simulateCall({
          ...opts.call, media, signal: ctl.signal,
          metadata: { ...opts.call.metadata, externalId: externalIdFor(opts, i, round) },
          onProgress: (p) => { live[i].audioMs = p.audioMs; live[i].lagMs = p.lagMs; },
        });
      } finally {
        live[i].done = true;
      }
      summaries.push(s);
      if (!opts.json) { if (tty && !opts.quiet) err('\r\x1b[K'); out(describe(s)); }
      if (!opts.loop || ctl.signal.aborted) return;
    }
  }

  const results = await Promise.allSettled(live.map((_, i) => copy(i)));
  clearInterval(ticker);
  if (tty && !opts.quiet) err('\r\x1b[K');
  for (const r of results) if (r.status === 'rejected') failures.push(r.reason);
  if (opts.json) out(`${JSON.stringify(summaries.map(printable), null, 2)}\n`);
  for (const f of new Set(failures.map((f) => (f instanceof Error ? f.message : String(f))))) err(`simulate: ${f}\n`);
  if (failures.length) return 1;
  return ctl.signal.aborted ? 130 : 0;
}

async function main(argv: string[]): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseCliArgs(argv);
  } catch (e) {
    err(`simulate: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (opts.help) { out(`${USAGE}\n`); return 0; }
  try {
    return await run(opts);
  } catch (e) {
    err(`simulate: ${e instanceof Error ? e.message : String(e)}\n`);
    if (!(e instanceof AppError) && e instanceof Error && e.stack) err(`${e.stack}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
