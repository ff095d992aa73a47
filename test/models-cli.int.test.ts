import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildZip } from '../services/models/test-archives.js';
import { createFixture, voskEntry, voskZip, type Fixture } from '../services/models/test-fixtures.js';
import { closedPort, startTestServer, type TestServer } from '../services/models/test-server.js';

// `npm run models` as an operator runs it: a real process, against a manifest and models folder of the test's own
// (CALLSIGHT_MODELS_MANIFEST, CALLSIGHT_MODELS_DIR) and a local HTTP server standing in for the publishers.
let server: TestServer;
let fx: Fixture;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server.close(); });
beforeEach(async () => {
  fx = await createFixture();
  server.requests.length = 0;
  return () => fx.remove();
});

interface Run { code: number | null; out: string; err: string; pid: number | undefined; done: Promise<void>; kill(signal: NodeJS.Signals): void }

function start(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/cli/models.ts', ...args], {
    env: { PATH: process.env.PATH, CALLSIGHT_MODELS_DIR: fx.modelsDir, CALLSIGHT_MODELS_MANIFEST: fx.manifestPath, ...env },
  });
  const run: Run = {
    code: null, out: '', err: '', pid: child.pid,
    done: new Promise((resolve) => child.once('close', (code) => { run.code = code; resolve(); })),
    kill: (signal) => { child.kill(signal); },
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => { run.out += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { run.err += d; });
  return run;
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const run = start(args, env);
  await run.done;
  return run;
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('npm run models', () => {
  it('lists, adds with progress, says when a model is already there, and removes', async () => {
    const zip = voskZip('vosk-model-small-en-us-0.15');
    server.serve('/vosk/en.zip', zip);
    await fx.writeManifest([voskEntry('vosk-en', server.url('/vosk/en.zip'), zip, { sha256: true }), voskEntry('vosk-de', server.url('/de.zip'), zip, { language: 'de' })]);

    const before = await cli(['list']);
    expect(before.code).toBe(0);
    expect(before.out).toMatch(/^NAME\s+ENGINE\s+LANG\s+SIZE\s+STATE\nvosk-en\s+vosk\s+en-us\s+[\d.]+ MB\s+not installed\nvosk-de\s+vosk\s+de\s+[\d.]+ MB\s+not installed\n/);
    expect(before.out).toContain(`models folder: ${fx.modelsDir}\n`);

    const add = await cli(['add', 'vosk-en']);
    expect(add.err).toMatch(/^downloading vosk-en\nvosk-en {2}\[[#-]{24}\] {2}\s*\d+% .*\nverifying en\.zip \(size, SHA-256\)\nunpacking vosk-en\n$/s);
    expect(add.err).toMatch(/\[#{24}\] {2}100%/);
    expect(add.out).toBe(`installed vosk-en at ${join(fx.modelsDir, 'vosk-en')}\n`);
    expect(add.code).toBe(0);
    expect((await stat(join(fx.modelsDir, 'vosk-en/am/final.mdl'))).isFile()).toBe(true);

    expect((await cli(['list'])).out).toMatch(/\nvosk-en\s+vosk\s+en-us\s+[\d.]+ MB\s+installed \d{4}-\d\d-\d\d\n/);
    const json = JSON.parse((await cli(['list', '--json'])).out) as { name: string; state: string; path: string }[];
    expect(json.map((m) => [m.name, m.state])).toEqual([['vosk-en', 'installed'], ['vosk-de', 'missing']]);
    expect((await cli(['add', 'vosk-en'])).out).toBe(`vosk-en is already installed at ${join(fx.modelsDir, 'vosk-en')}\n`);
    expect(server.requests).toHaveLength(1);

    expect(await cli(['remove', 'vosk-en'])).toMatchObject({ code: 0, out: 'removed vosk-en\n' });
    expect((await cli(['list'])).out).toMatch(/\nvosk-en\s+vosk\s+en-us\s+[\d.]+ MB\s+not installed\n/);
  }, 60_000);

  it('fails offline with what to do instead, using the repository manifest through a mirror that is down', async () => {
    const port = await closedPort();
    const env = { CALLSIGHT_MODELS_MANIFEST: '', CALLSIGHT_MODELS_BASE_URL: `http://127.0.0.1:${port}` };
    const list = await cli(['list'], env);
    expect(list.out).toMatch(/^vosk-model-small-en-us-0\.15\s+vosk\s+en-us\s+41\.2 MB\s+not installed$/m);
    expect(list.out).toMatch(/^vosk-model-small-fa-0\.42\s+vosk\s+fa\s+53\.4 MB\s+not installed$/m);
    expect(list.out).toMatch(/^distilbert-sst2-en-onnx\s+onnx-sentiment\s+en\s+\?\s+not installed$/m);

    const add = await cli(['add', 'vosk-model-small-en-us-0.15'], env);
    expect(add.code).toBe(1);
    expect(add.err).toBe(
      `error: cannot reach 127.0.0.1:${port} (connection refused) to download vosk-model-small-en-us-0.15: no network? `
      + `Download http://127.0.0.1:${port}/vosk/models/vosk-model-small-en-us-0.15.zip on a machine with internet, copy it here `
      + 'and run `npm run models -- import FILE`\n',
    );
    expect(await fx.listDir()).toEqual(['.partial']);
  }, 60_000);

  it('imports a local archive and refuses one that fails verification', async () => {
    const zip = voskZip('vosk-model-small-en-us-0.15');
    await fx.writeManifest([voskEntry('vosk-model-small-en-us-0.15', 'https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip', zip, { sha256: true })]);
    const bad = join(fx.dir, 'vosk-model-small-en-us-0.15.zip');
    await writeFile(bad, voskZip('vosk-model-small-en-us-0.15', 'not the published one'));
    const refused = await cli(['import', bad]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^verifying vosk-model-small-en-us-0\.15\.zip \(size, SHA-256\)\nerror: vosk-model-small-en-us-0\.15: (the file is|SHA-256 mismatch).*nothing was installed\n$/);

    const good = join(fx.dir, 'downloaded-elsewhere.zip');
    await writeFile(good, zip);
    const imported = await cli(['import', good, '--name', 'vosk-model-small-en-us-0.15']);
    expect(imported.out).toBe(`installed vosk-model-small-en-us-0.15 at ${join(fx.modelsDir, 'vosk-model-small-en-us-0.15')} (from ${good})\n`);
    expect(imported.code).toBe(0);
  }, 60_000);

  it('keeps a second run off a model being installed, stops on Ctrl-C keeping the partial file, then resumes', async () => {
    const zip = buildZip([{ name: 'm/' }, { name: 'm/am/final.mdl', data: randomBytes(300_000) }, { name: 'm/conf/model.conf', data: 'x' }]);
    let release = () => {};
    server.serve('/big.zip', { body: zip, gate: { after: 100_000, release: new Promise<void>((r) => { release = r; }) } });
    await fx.writeManifest([voskEntry('big', server.url('/big.zip'), zip)]);
    const partial = join(fx.modelsDir, '.partial/big.zip');

    const first = start(['add', 'big']);
    await waitFor(async () => (await stat(partial).catch(() => undefined))?.size === 100_000, 'the first 100 kB');
    const second = await cli(['add', 'big']);
    expect(second.code).toBe(1);
    expect(second.err).toBe(
      `error: model big is being installed or removed by another process (pid ${first.pid}); wait for it, or delete ${join(fx.modelsDir, '.partial/big.lock')} if that process is gone\n`,
    );

    first.kill('SIGINT');
    await first.done;
    release();
    expect(first.code).toBe(130);
    expect(first.err).toMatch(/error: download of big cancelled \(the partial file is kept for resuming\)\n$/);
    expect(await fx.listDir('.partial')).toEqual(['big.zip']); // the lock is released, the bytes are kept

    server.serve('/big.zip', zip);
    const resumed = await cli(['add', 'big']);
    expect(resumed.err).toMatch(/^downloading big \(resuming at 0\.10 MB\)\n/);
    expect(resumed.code).toBe(0);
    expect(server.requests.at(-1)).toMatchObject({ path: '/big.zip', status: 206, range: 'bytes=100000-' });
    expect((await readFile(join(fx.modelsDir, 'big/am/final.mdl'))).length).toBe(300_000);
  }, 60_000);

  it('answers misuse with the usage and exit code 2, unknown models with the known ones', async () => {
    await fx.writeManifest([]);
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^error: missing command\nusage: npm run models -- <command>\n/);
    expect((await cli(['add', '--bogus'])).code).toBe(2);
    const unknown = await cli(['add', 'nope']);
    expect(unknown).toMatchObject({ code: 1, err: 'error: unknown model "nope"; the manifest lists: (none)\n' });
  }, 60_000);
});
