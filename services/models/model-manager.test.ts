import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError, ConflictError } from '../core/index.js';
import { ArchiveError, ChecksumError, DownloadError } from './errors.js';
import type { ModelProgress } from './install-files.js';
import { buildZip } from './test-archives.js';
import { createFixture, md5, sha256, voskEntry, voskTarGz, voskZip, type Fixture } from './test-fixtures.js';
import { closedPort, startTestServer, type TestServer } from './test-server.js';

let server: TestServer;
let fx: Fixture;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server.close(); });
beforeEach(async () => {
  fx = await createFixture();
  server.requests.length = 0;
  return () => fx.remove();
});

async function rejection<T extends Error>(p: Promise<unknown>, type: abstract new (...a: never[]) => T): Promise<T> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(type);
  return err as T;
}

/** Nothing of `name` installed and no half-made folders left: only the lock-free partial folder may remain. */
async function expectNothingInstalled(name: string): Promise<void> {
  expect(await fx.listDir()).toEqual((await fx.listDir()).filter((n) => n === '.partial' || n === 'checksums.json'));
  expect((await fx.listDir('.partial')).filter((n) => n.startsWith(name))).toEqual([]);
}

describe('addModel (downloads from a local HTTP server)', () => {
  it('downloads, verifies and unpacks a zip into models/NAME, with what the engines need to find it', async () => {
    const zip = voskZip('vosk-model-small-en-us-0.15');
    server.serve('/vosk/en.zip', zip);
    await fx.writeManifest([voskEntry('vosk-en', server.url('/vosk/en.zip'), zip, { sha256: true })]);
    const phases: ModelProgress['phase'][] = [];
    const status = await fx.manager().addModel('vosk-en', { onProgress: (p) => { if (phases.at(-1) !== p.phase) phases.push(p.phase); } });

    expect(status).toMatchObject({ name: 'vosk-en', state: 'installed', path: join(fx.modelsDir, 'vosk-en') });
    expect(phases).toEqual(['download', 'verify', 'unpack']);
    // The archive's single top folder becomes models/NAME itself.
    expect(await readFile(join(fx.modelsDir, 'vosk-en/am/final.mdl'), 'utf8')).toMatch(/^acoustic model for vosk-model-small-en-us-0.15/);
    const record = JSON.parse(await readFile(join(fx.modelsDir, 'vosk-en/installed.json'), 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({
      name: 'vosk-en', engine: 'vosk', language: 'en-us', sampleRate: 16000, source: 'download', origin: server.url('/vosk/en.zip'),
      size: zip.length, sha256: sha256(zip),
    });
    expect(await fx.listDir()).toEqual(['.partial', 'vosk-en']); // no staging folder, no archive left
    expect(await fx.listDir('.partial')).toEqual([]);

    // Installed: a second add downloads nothing.
    await expect(fx.manager().addModel('vosk-en')).resolves.toMatchObject({ state: 'installed' });
    expect(server.requests).toHaveLength(1);
  });

  it('unpacks tar.gz, records the SHA-256 of a first download nobody published, and refuses a later different file', async () => {
    const tgz = voskTarGz('vosk-model-small-fa-0.42', 'salam donya');
    server.serve('/fa.tar.gz', tgz);
    await fx.writeManifest([voskEntry('vosk-fa', server.url('/fa.tar.gz'), tgz, { language: 'fa', archive: 'tar.gz', size: null })]);
    await fx.manager().addModel('vosk-fa');
    expect(await readFile(join(fx.modelsDir, 'vosk-fa/graph/words.txt'), 'utf8')).toBe('salam 0\ndonya 1');
    const recorded = JSON.parse(await readFile(join(fx.modelsDir, 'checksums.json'), 'utf8')) as { files: Record<string, unknown> };
    expect(recorded.files['vosk-fa']).toMatchObject({ sha256: sha256(tgz), size: tgz.length, url: server.url('/fa.tar.gz') });

    // Upstream now serves another file of the same size: the reinstall is refused and the model stays as it was.
    const other = Buffer.from(tgz);
    other[other.length - 5] ^= 1;
    server.serve('/fa.tar.gz', other);
    const err = await rejection(fx.manager().addModel('vosk-fa', { force: true }), ChecksumError);
    expect(err.message).toBe(
      `vosk-fa: SHA-256 mismatch — got ${sha256(other)}, expected ${sha256(tgz)} from checksums.json (recorded on the first download, `
      + `${(recorded.files['vosk-fa'] as { recordedAt: string }).recordedAt}); the file is corrupt or was replaced upstream, nothing was installed`,
    );
    expect(await readFile(join(fx.modelsDir, 'vosk-fa/graph/words.txt'), 'utf8')).toBe('salam 0\ndonya 1');
    expect(await fx.listDir()).toEqual(['.partial', 'checksums.json', 'vosk-fa']);
    expect(await fx.listDir('.partial')).toEqual([]);
  });

  it('refuses a download whose SHA-256 or MD5 differs from the manifest, leaving nothing installed', async () => {
    const zip = voskZip('m');
    server.serve('/m.zip', zip);
    await fx.writeManifest([
      voskEntry('bad-sha', server.url('/m.zip'), zip, { sha256: 'ab'.repeat(32) }),
      voskEntry('bad-md5', server.url('/m.zip'), zip, { md5: 'cd'.repeat(16) }),
      voskEntry('good-md5', server.url('/m.zip'), zip, { md5: md5(zip) }),
    ]);
    const sha = await rejection(fx.manager().addModel('bad-sha'), ChecksumError);
    expect(sha.message).toMatch(/^bad-sha: SHA-256 mismatch — got [0-9a-f]{64}, expected (ab){32} from the manifest;/);
    await expectNothingInstalled('bad-sha');
    const m = await rejection(fx.manager().addModel('bad-md5'), ChecksumError);
    expect(m.message).toMatch(/^bad-md5: MD5 mismatch — got [0-9a-f]{32}, expected (cd){16} from the manifest \(the publisher's MD5\);/);
    await expectNothingInstalled('bad-md5');
    await expect(fx.manager().addModel('good-md5')).resolves.toMatchObject({ state: 'installed' });
  });

  it('refuses a file of the wrong size, whether the server says so or not', async () => {
    const zip = voskZip('m');
    server.serve('/m.zip', zip);
    server.serve('/m-chunked.zip', { body: zip, chunked: true });
    await fx.writeManifest([
      voskEntry('sized', server.url('/m.zip'), zip, { size: zip.length + 1 }),
      voskEntry('chunked', server.url('/m-chunked.zip'), zip, { size: zip.length - 1 }),
    ]);
    const offered = await rejection(fx.manager().addModel('sized'), DownloadError);
    expect(offered.message).toMatch(new RegExp(`the server offers ${zip.length} bytes, the manifest expects ${zip.length + 1}`));
    await expectNothingInstalled('sized');
    const got = await rejection(fx.manager().addModel('chunked', { retries: 0 }), AppError);
    expect(got.message).toMatch(new RegExp(`^cannot download chunked from .*: the server sent more than the ${zip.length - 1} bytes expected`));
    await expectNothingInstalled('chunked');
  });

  it('resumes after the connection is cut and retries after HTTP 500', async () => {
    const zip = voskZip('m');
    server.serve('/cut.zip', { body: zip, cut: { times: 1, after: Math.floor(zip.length / 2) } });
    server.serve('/flaky.zip', { body: zip, failFirst: 1 });
    await fx.writeManifest([voskEntry('cut', server.url('/cut.zip'), zip, { sha256: true }), voskEntry('flaky', server.url('/flaky.zip'), zip)]);
    const retries: string[] = [];
    const onProgress = (p: ModelProgress) => { if (p.phase === 'retry') retries.push(p.message); };
    await expect(fx.manager().addModel('cut', { onProgress })).resolves.toMatchObject({ state: 'installed' });
    await expect(fx.manager().addModel('flaky', { onProgress })).resolves.toMatchObject({ state: 'installed' });
    expect(server.requests.map((r) => `${r.path} ${r.status} ${r.range ?? '-'}`)).toEqual([
      '/cut.zip 200 -', expect.stringMatching(/^\/cut\.zip 206 bytes=\d+-$/), '/flaky.zip 500 -', '/flaky.zip 200 -',
    ]);
    expect(retries).toEqual([expect.stringMatching(/^cannot download cut from/), expect.stringMatching(/HTTP 500/)]);
  });

  it('explains what to do when the host cannot be reached', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/vosk/models/vosk-x.zip`;
    await fx.writeManifest([voskEntry('vosk-x', url, Buffer.alloc(10))]);
    const err = await rejection(fx.manager().addModel('vosk-x'), DownloadError);
    expect(err.message).toBe(
      `cannot reach 127.0.0.1:${port} (connection refused) to download vosk-x: no network? `
      + `Download ${url} on a machine with internet, copy it here and run \`npm run models -- import FILE\``,
    );
    await expectNothingInstalled('vosk-x');
  });

  it('refuses a corrupt archive or one without a model in it, and fetches afresh next time', async () => {
    const zip = voskZip('m');
    const truncated = zip.subarray(0, zip.length - 30);
    const empty = buildZip([{ name: 'm/' }, { name: 'm/notes.txt', data: 'no model here' }]);
    server.serve('/truncated.zip', truncated);
    server.serve('/empty.zip', empty);
    await fx.writeManifest([voskEntry('truncated', server.url('/truncated.zip'), truncated), voskEntry('empty', server.url('/empty.zip'), empty)]);
    const corrupt = await rejection(fx.manager().addModel('truncated'), ArchiveError);
    expect(corrupt.message).toMatch(/^cannot unpack truncated \(truncated\.zip\): .* — the archive is corrupt or incomplete$/);
    await expectNothingInstalled('truncated');
    const wrong = await rejection(fx.manager().addModel('empty'), ArchiveError);
    expect(wrong.message).toBe('empty has no am/final.mdl or final.mdl, which a vosk model needs; it is not this model or it is incomplete — nothing was installed');
    await expectNothingInstalled('empty');
  });

  it('lets one add of a model run at a time, and the loser says why', async () => {
    const zip = voskZip('m');
    let release = () => {};
    server.serve('/slow.zip', { body: zip, gate: { after: 1000, release: new Promise<void>((r) => { release = r; }) } });
    await fx.writeManifest([voskEntry('slow', server.url('/slow.zip'), zip)]);
    const first = fx.manager().addModel('slow');
    await server.requested('/slow.zip');
    const second = await rejection(fx.manager().addModel('slow'), ConflictError);
    expect(second.message).toBe('model slow is already being installed or removed (by this process)');
    release();
    await expect(first).resolves.toMatchObject({ state: 'installed' });
    expect(server.requests).toHaveLength(1);
  });

  it('takes over the lock of a process that died', async () => {
    const zip = voskZip('m');
    server.serve('/m.zip', zip);
    await fx.writeManifest([voskEntry('m', server.url('/m.zip'), zip)]);
    await mkdir(join(fx.modelsDir, '.partial'));
    await writeFile(join(fx.modelsDir, '.partial/m.lock'), '999999999'); // no such process
    await expect(fx.manager().addModel('m')).resolves.toMatchObject({ state: 'installed' });
    expect(await fx.listDir('.partial')).toEqual([]);
  });

  it('rejects an unknown model by listing the known ones', async () => {
    await fx.writeManifest([voskEntry('a', 'http://x/a.zip', Buffer.alloc(1)), voskEntry('b', 'http://x/b.zip', Buffer.alloc(1))]);
    const err = await rejection(fx.manager().addModel('c'), AppError);
    expect(err).toMatchObject({ status: 404, message: 'unknown model "c"; the manifest lists: a, b' });
  });
});
