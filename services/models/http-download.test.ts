import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DownloadError } from './errors.js';
import { downloadFile, type DownloadOptions } from './http-download.js';
import { closedPort, startTestServer, type TestServer } from './test-server.js';

const body = randomBytes(256 * 1024 + 123);
let server: TestServer;
let dir: string;
let dest: string;

beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server.close(); });
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callsight-dl-'));
  dest = join(dir, 'file.part');
  server.requests.length = 0;
  return () => rm(dir, { recursive: true, force: true });
});

const download = (path: string, o: Partial<DownloadOptions> = {}) =>
  downloadFile({ url: server.url(path), dest, label: 'test-model', expectedSize: body.length, retryDelayMs: 5, ...o });

const sizeOf = (path: string) => stat(path).then((s) => s.size, () => 0);

async function rejection(p: Promise<unknown>): Promise<DownloadError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(DownloadError);
  return err as DownloadError;
}

describe('downloadFile (a real HTTP server on port 0)', () => {
  it('downloads a file and reports progress up to its size', async () => {
    server.serve('/ok.bin', body);
    const seen: number[] = [];
    await expect(download('/ok.bin', { onProgress: (p) => seen.push(p.received) })).resolves.toEqual({ size: body.length });
    expect((await readFile(dest)).equals(body)).toBe(true);
    expect(seen.at(-1)).toBe(body.length);
    expect(server.requests).toEqual([{ path: '/ok.bin', range: undefined, status: 200 }]);
  });

  it('resumes with a Range request after the connection is cut mid-body', async () => {
    server.serve('/cut.bin', { body, cut: { times: 1, after: 100_000 } });
    const retries: string[] = [];
    await download('/cut.bin', { onRetry: (r) => retries.push(r.error.message) });
    expect((await readFile(dest)).equals(body)).toBe(true);
    expect(retries).toHaveLength(1);
    expect(server.requests.map((r) => [r.status, r.range])).toEqual([[200, undefined], [206, expect.stringMatching(/^bytes=\d+-$/)]]);
    const resumedAt = Number(/=(\d+)-/.exec(server.requests[1].range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(100_000);
  });

  it('resumes a partial file an earlier run left, asking only for the rest', async () => {
    server.serve('/partial.bin', body);
    await writeFile(dest, body.subarray(0, 5000));
    await download('/partial.bin');
    expect((await readFile(dest)).equals(body)).toBe(true);
    expect(server.requests).toEqual([{ path: '/partial.bin', range: 'bytes=5000-', status: 206 }]);
  });

  it('starts over when the server ignores Range', async () => {
    server.serve('/norange.bin', { body, ignoreRange: true });
    await writeFile(dest, Buffer.alloc(5000, 7)); // garbage that must not survive
    await download('/norange.bin');
    expect((await readFile(dest)).equals(body)).toBe(true);
    expect(server.requests.map((r) => r.status)).toEqual([200]);
  });

  it('retries after HTTP 500 and succeeds', async () => {
    server.serve('/flaky.bin', { body, failFirst: 2 });
    await download('/flaky.bin');
    expect((await readFile(dest)).equals(body)).toBe(true);
    expect(server.requests.map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it('gives up after the retries with the last HTTP error', async () => {
    server.serve('/down.bin', { body, failFirst: 100 });
    const err = await rejection(download('/down.bin', { retries: 2 }));
    expect(err.message).toBe(`cannot download test-model from ${server.origin.slice(7)}: HTTP 500 Internal Server Error`);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a 404', async () => {
    const err = await rejection(download('/missing.bin'));
    expect(err).toMatchObject({ kind: 'http', retryable: false });
    expect(err.message).toMatch(/HTTP 404/);
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a file whose advertised length differs from the manifest, without retrying', async () => {
    server.serve('/bigger.bin', Buffer.concat([body, Buffer.alloc(10)]));
    const err = await rejection(download('/bigger.bin'));
    expect(err.message).toBe(
      `cannot download test-model from ${server.origin.slice(7)}: the server offers ${body.length + 10} bytes, the manifest expects ${body.length} (the file changed upstream?)`,
    );
    expect(server.requests).toHaveLength(1);
    expect(await sizeOf(dest)).toBe(0);
  });

  it('says clearly that the host cannot be reached (ECONNREFUSED), and what to do instead', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/vosk/models/x.zip`;
    const err = await rejection(downloadFile({ url, dest, label: 'test-model', expectedSize: null, retryDelayMs: 5 }));
    expect(err).toMatchObject({ kind: 'offline', retryable: false });
    expect(err.message).toBe(
      `cannot reach 127.0.0.1:${port} (connection refused) to download test-model: no network? `
      + `download ${url} on a machine with internet, copy it here and run \`npm run models -- import FILE\``,
    );
  });

  it('gives up on a stalled connection', async () => {
    let release = () => {};
    server.serve('/stall.bin', { body, gate: { after: 1000, release: new Promise<void>((r) => { release = r; }) } });
    const err = await rejection(download('/stall.bin', { stallTimeoutMs: 200, retries: 0 }));
    release();
    expect(err).toMatchObject({ kind: 'stalled' });
    expect(err.message).toMatch(/no data for 0 s$/);
  });

  it('stops when aborted, keeping the partial file for a later resume', async () => {
    let release = () => {};
    server.serve('/slow.bin', { body, gate: { after: 4096, release: new Promise<void>((r) => { release = r; }) } });
    const ac = new AbortController();
    // Abort once the first 4 KiB arrived and had time to reach the disk.
    const p = download('/slow.bin', { signal: ac.signal, onProgress: (pr) => { if (pr.received >= 4096) setTimeout(() => ac.abort(), 50); } });
    const err = await rejection(p);
    release();
    expect(err.kind).toBe('aborted');
    expect(err.message).toBe('download of test-model cancelled (the partial file is kept for resuming)');
    expect(await sizeOf(dest)).toBe(4096);
  });
});
