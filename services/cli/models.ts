/**
 * Speech models from the command line.
 *
 *   npm run models -- list [--json]
 *   npm run models -- add NAME [--force] [--retries N]
 *   npm run models -- import FILE [--name NAME] [--force]
 *   npm run models -- remove NAME
 *
 * Models go to $CALLSIGHT_MODELS_DIR (else $MODELS_DIR, the server's setting; default ./models); the list of known models is $CALLSIGHT_MODELS_MANIFEST
 * (default models/manifest.json); $CALLSIGHT_MODELS_BASE_URL fetches from a mirror. Without internet, download
 * the file elsewhere and `import` it. Exit codes: 0 done, 1 failed, 2 usage, 130 interrupted.
 */
import { parseArgs } from 'node:util';
import { AppError } from '../core/index.js';
import { createModelManager, createProgressReporter, formatMB, type ModelStatus } from '../models/index.js';

const USAGE = `usage: npm run models -- <command>
  list [--json]                           known models and what is installed
  add NAME [--force] [--retries N]        download, verify and install a model
  import FILE [--name NAME] [--force]     install from a file downloaded elsewhere
  remove NAME                             delete an installed model
environment:
  CALLSIGHT_MODELS_DIR        where models are installed (else MODELS_DIR, as the server reads it; default ./models)
  CALLSIGHT_MODELS_MANIFEST   the list of known models (default models/manifest.json)
  CALLSIGHT_MODELS_BASE_URL   fetch from this mirror instead, keeping each URL's path`;

class UsageError extends Error {}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

function describe(s: ModelStatus): string {
  switch (s.state) {
    case 'installed': return `installed ${s.installed?.installedAt.slice(0, 10) ?? ''}`.trim();
    case 'unverified': return 'present (not installed by this tool)';
    case 'missing': return 'not installed';
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      json: { type: 'boolean' }, force: { type: 'boolean' }, name: { type: 'string' },
      retries: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, arg, ...extra] = positionals;
  if (values.help) { process.stdout.write(`${USAGE}\n`); return 0; }
  if (!command) throw new UsageError('missing command');
  if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
  const manager = createModelManager();
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const reporter = createProgressReporter({ write: (t) => process.stderr.write(t), tty: Boolean(process.stderr.isTTY) });
  try {
    switch (command) {
      case 'list': {
        const models = await manager.listModels();
        if (values.json) { process.stdout.write(`${JSON.stringify(models.map(({ entry: _entry, ...s }) => s), null, 2)}\n`); return 0; }
        const rows = [['NAME', 'ENGINE', 'LANG', 'SIZE', 'STATE'],
          ...models.map((s) => [s.name, s.engine, s.language, s.size === null ? '?' : formatMB(s.size), describe(s)])];
        process.stdout.write(`${table(rows)}\nmodels folder: ${manager.modelsDir}\n`);
        return 0;
      }
      case 'add': {
        if (!arg) throw new UsageError('add needs a model NAME (see `npm run models -- list`)');
        const retries = values.retries === undefined ? undefined : Number(values.retries);
        if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0)) throw new UsageError('--retries must be a whole number');
        const before = (await manager.listModels()).find((s) => s.name === arg);
        const s = await manager.addModel(arg, { force: values.force, retries, signal: controller.signal, onProgress: reporter.onProgress });
        reporter.end();
        const already = before?.state === 'installed' && !values.force;
        process.stdout.write(already ? `${arg} is already installed at ${s.path}\n` : `installed ${arg} at ${s.path}\n`);
        return 0;
      }
      case 'import': {
        if (!arg) throw new UsageError('import needs a FILE');
        const s = await manager.importModel(arg, { name: values.name, force: values.force, signal: controller.signal, onProgress: reporter.onProgress });
        reporter.end();
        process.stdout.write(`installed ${s.name} at ${s.path} (from ${arg})\n`);
        return 0;
      }
      case 'remove': {
        if (!arg) throw new UsageError('remove needs a model NAME');
        await manager.removeModel(arg);
        process.stdout.write(`removed ${arg}\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } finally {
    reporter.end();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`error: ${(err as Error).message}\n${USAGE}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`error: ${(err as Error).message ?? String(err)}\n`);
    if (!(err instanceof AppError) && process.env.DEBUG) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
    process.exitCode = (err as { kind?: string }).kind === 'aborted' ? 130 : 1;
  },
);
