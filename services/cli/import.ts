/**
 * Batch import of recorded calls: each file becomes a call with its recording, transcript, sentiment and metrics,
 * through the same pipeline as a live call, as fast as the machine allows.
 *
 *   npm run import -- [--agent ID --queue NAME --direction inbound --language en-US --left agent --mono] FILES…
 *   npm run import -- --csv calls.csv [FILES…]
 *
 * Uses the server's configuration (DATABASE_URL, or PGlite in DATA_DIR: stop the server first, PGlite is single-process).
 * Exit code 1 when any file failed (the others are imported), 2 for a usage error.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.js';
import { AppError, createLogger, createMetrics } from '../core/index.js';
import {
  createImportDisplay, createImporter, createMetadataLookup, filesOfMetadataCsv, mergeImportMeta, parseImportMeta, parseMetadataCsv,
  type ImportMeta, type ImportOutcome, type ImportProgress, type MetadataRow, type PreparedImport,
} from '../import/index.js';
import { createInProcessBus } from '../live/index.js';
import { migrate, openDb, type Db } from '../store/index.js';


const USAGE = `usage: npm run import -- [options] FILES…
Imports recorded calls (mp3, wav, ogg, opus, m4a, anything ffmpeg reads) with their recording and transcript.
  --agent ID               the agent's platform id (created when new)
  --queue NAME             the queue (created when new)
  --direction DIR          inbound (default) or outbound
  --language TAG           language of the calls (default: DEFAULT_LANGUAGE, en-US)
  --customer-number N      the customer's number
  --started-at TIME        when the call started (default: the file's creation_time tag, else now)
  --left agent|customer    whose voice is on the left channel of a stereo file (default agent)
  --mono                   mix stereo files down to one channel (mono audio is stored as the agent's channel)
  --csv FILE               per-file metadata: a header row with file and any of agent, queue, direction, language,
                           customerNumber, startedAt, left, mono; paths relative to the CSV. Its values override
                           the options above. Without FILES, the files it lists are imported.
  --jobs N                 files processed at once (default: one per two cores)
  --json                   one JSON line per file (and a summary line) on stdout instead of text
Stop the server first when it uses PGlite (no DATABASE_URL): PGlite is single-process.
Exit code 1 when any file failed (the other files are imported).`;

class UsageError extends Error {}

interface Options {
  files: string[];
  base: ImportMeta;
  csv?: { path: string; rows: MetadataRow[] };
  jobs?: number;
  json: boolean;
}

function parseOptions(argv: string[]): Options | 'help' {
  const { positionals, values } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      agent: { type: 'string' }, queue: { type: 'string' }, direction: { type: 'string' }, language: { type: 'string' },
      'customer-number': { type: 'string' }, 'started-at': { type: 'string' }, left: { type: 'string' }, mono: { type: 'boolean' },
      csv: { type: 'string' }, jobs: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  let base: ImportMeta;
  try {
    base = parseImportMeta({
      agent: values.agent, queue: values.queue, direction: values.direction, language: values.language,
      customerNumber: values['customer-number'], startedAt: values['started-at'], left: values.left, mono: values.mono,
    }, 'option');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let jobs: number | undefined;
  if (values.jobs !== undefined) {
    jobs = Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError('--jobs must be a whole number from 1 to 64');
  }
  let csv: Options['csv'];
  if (values.csv) {
    const path = resolve(values.csv);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read --csv ${values.csv}: ${(err as Error).message}`);
    }
    csv = { path, rows: parseMetadataCsv(text, basename(path)) };
  }
  const files = positionals.length ? positionals.map((f) => resolve(f)) : csv ? filesOfMetadataCsv(csv.rows, csv.path) : [];
  if (!files.length) throw new UsageError('no files to import');
  return { files, base, csv, jobs, json: values.json ?? false };
}

/** Per-file metadata: the options, overridden by the file's CSV row. */
function metaFor(opts: Options): (file: string) => ImportMeta {
  if (!opts.csv) return () => opts.base;
  const lookup = createMetadataLookup(opts.csv.rows, dirname(opts.csv.path));
  return (file) => mergeImportMeta(opts.base, lookup(file)?.meta);
}

async function importAll(db: Db, opts: Options): Promise<number> {
  const config = loadConfig();
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const bus = createInProcessBus((err) => log.error({ err }, 'bus handler failed'));
  const workers = config.speech.asrWorkers || availableParallelism();
  const importer = createImporter({ config, db, bus, log, concurrency: opts.jobs, asrWorkers: workers, metrics: createMetrics() });
  const display = createImportDisplay({ json: opts.json, out: process.stdout, err: process.stderr });
  const meta = metaFor(opts);
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    display.note('stopping: the files in progress end as interrupted calls (press Ctrl-C again to quit at once)');
    importer.abort('stopped by Ctrl-C');
  };
  process.on('SIGINT', onSignal);
  try {
    const prepared: PreparedImport[] = [];
    let rejected = 0;
    for (const file of opts.files) {
      try {
        prepared.push(await importer.prepare(file, { meta: meta(file) }));
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        rejected++;
        const shown = relative(process.cwd(), file);
        display.rejected(shown.startsWith('..') || isAbsolute(shown) ? file : shown, err.message);
      }
    }
    display.start(prepared);
    const started = performance.now();
    const outcomes: ImportOutcome[] = await Promise.all(prepared.map((p) => importer.run(p, {
      onProgress: (progress: ImportProgress) => display.progress(progress),
    }).then((outcome) => { display.finished(outcome); return outcome; })));
    display.summary({ outcomes, rejected, wallMs: performance.now() - started });
    return rejected || outcomes.some((o) => !o.ok) || interrupted ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    display.close();
    await importer.close();
    await bus.close();
  }
}

async function main(argv: string[]): Promise<number> {
  let db: Db | undefined;
  try {
    const opts = parseOptions(argv);
    if (opts === 'help') { console.log(USAGE); return 0; }
    db = await openDb(loadConfig());
    await migrate(db);
    return await importAll(db, opts);
  } catch (err) {
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`${err.message}\n${USAGE}`);
      return 2;
    }
    if (err instanceof AppError) { console.error(err.message); return 1; }
    throw err;
  } finally {
    await db?.close();
  }
}

const code = await main(process.argv.slice(2));
// Everything is stored and closed: exit now, once stdout has drained, rather than wait on native threads' teardown.
process.stdout.write('', () => process.exit(code));
