/**
 * A real HTTP file server for the model manager's tests (node:http on port 0): honours Range, and can be told to
 * misbehave per file — answer 500, cut the connection mid-body, ignore Range, hide or lie about the length, or
 * hold the body until the test releases it. Not used at run time.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ServedFile {
  body: Buffer;
  /** Answer the first N requests with 500 (and `Retry-After: 0`). */
  failFirst?: number;
  /** On the first `times` requests, send `after` bytes and then close the connection. */
  cut?: { times: number; after: number };
  /** Answer 200 with the whole file even when asked for a range. */
  ignoreRange?: boolean;
  /** Send no Content-Length (chunked). */
  chunked?: boolean;
  /** Send `after` bytes, then wait for `release` before sending the rest. */
  gate?: { after: number; release: Promise<void> };
  status?: number;
}

export interface RequestLog {
  path: string;
  range: string | undefined;
  status: number;
}

export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly requests: RequestLog[];
  url(path: string): string;
  serve(path: string, file: ServedFile | Buffer): void;
  /** Resolves when `count` requests for `path` have arrived. */
  requested(path: string, count?: number): Promise<void>;
  close(): Promise<void>;
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((res) => s.listen(0, '127.0.0.1', res));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((res) => s.close(() => res()));
  return port;
}

function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'invalid' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d+)-(\d*)$/.exec(header);
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  return start >= size || start > end ? 'invalid' : { start, end };
}

function write(res: ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise((resolve) => { if (res.write(chunk)) resolve(); else res.once('drain', resolve); });
}

export async function startTestServer(): Promise<TestServer> {
  const files = new Map<string, ServedFile & { hits: number }>();
  const requests: RequestLog[] = [];
  const waiters: { path: string; count: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const f = files.get(path);
    const range = req.headers.range;
    const log = (status: number) => {
      requests.push({ path, range, status });
      const count = requests.filter((r) => r.path === path).length;
      for (const w of waiters.filter((x) => x.path === path && count >= x.count)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
    };
    if (!f) { log(404); res.writeHead(404).end('not found'); return; }
    f.hits += 1;
    if (f.status) { log(f.status); res.writeHead(f.status).end(); return; }
    if (f.failFirst && f.hits <= f.failFirst) { log(500); res.writeHead(500, { 'retry-after': '0' }).end('try later'); return; }
    const size = f.body.length;
    const r = f.ignoreRange ? undefined : parseRange(range, size);
    if (r === 'invalid') { log(416); res.writeHead(416, { 'content-range': `bytes */${size}` }).end(); return; }
    const body = r ? f.body.subarray(r.start, r.end + 1) : f.body;
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes' };
    if (!f.chunked) headers['content-length'] = String(body.length);
    if (r) headers['content-range'] = `bytes ${r.start}-${r.end}/${size}`;
    log(r ? 206 : 200);
    res.writeHead(r ? 206 : 200, headers);
    if (f.cut && f.hits <= f.cut.times) {
      await write(res, body.subarray(0, f.cut.after));
      // Give the client time to take the bytes: a fetch body that errors drops the chunks it has not handed out.
      await new Promise((r) => setTimeout(r, 50));
      res.socket?.destroy();
      return;
    }
    if (f.gate) {
      await write(res, body.subarray(0, f.gate.after));
      await f.gate.release;
      if (res.destroyed) return;
      res.end(body.subarray(f.gate.after));
      return;
    }
    res.end(body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (s) => { sockets.add(s); s.once('close', () => sockets.delete(s)); });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    requests,
    url: (path) => `${origin}${path}`,
    serve(path, file) {
      files.set(path, { ...(Buffer.isBuffer(file) ? { body: file } : file), hits: 0 });
    },
    requested(path, count = 1) {
      if (requests.filter((r) => r.path === path).length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ path, count, resolve }));
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((res) => server.close(() => res()));
    },
  };
}
