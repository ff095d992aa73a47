/**
 * Downloads one URL to a partial file: resumes with HTTP Range, starts over when the server ignores it, retries
 * network errors and 5xx with backoff, and gives up on a stalled connection. Verification is the caller's job.
 */
import { open, rm, stat, truncate } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { DownloadError } from './errors.js';

export interface DownloadProgress {
  /** Bytes in the partial file so far. */
  received: number;
  /** Bytes expected in all, when known. */
  total: number | null;
  /** Bytes that were already there when this attempt started (so speed excludes them). */
  resumedFrom: number;
}

export interface RetryInfo {
  attempt: number;
  delayMs: number;
  error: DownloadError;
}

export interface DownloadOptions {
  url: string;
  dest: string;
  /** Names the download in errors: the model name. */
  label: string;
  expectedSize: number | null;
  signal?: AbortSignal;
  /** Further attempts after a retryable failure; the count restarts whenever an attempt made progress. */
  retries?: number;
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Abort an attempt when no byte arrives for this long. */
  stallTimeoutMs?: number;
  fetch?: typeof fetch;
  onProgress?: (p: DownloadProgress) => void;
  onRetry?: (r: RetryInfo) => void;
  /** What to do instead when the host cannot be reached (default: offlineHint(url)). */
  offlineHint?: string;
}

const OFFLINE_CODES: Record<string, string> = {
  ENOTFOUND: 'host name not found', EAI_AGAIN: 'DNS lookup failed', ENETUNREACH: 'no route to the network',
  EHOSTUNREACH: 'host unreachable', ECONNREFUSED: 'connection refused', EADDRNOTAVAIL: 'no usable network address',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out', ETIMEDOUT: 'connection timed out',
};

export function offlineHint(url: string): string {
  return `download ${url} on a machine with internet, copy it here and run \`npm run models -- import FILE\``;
}

/** The first `code` on an error, its causes, or an AggregateError's members. */
function errorCode(err: unknown, depth = 0): string | undefined {
  if (!err || typeof err !== 'object' || depth > 5) return undefined;
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && !e.code.startsWith('ABORT')) return e.code;
  if (Array.isArray(e.errors)) for (const inner of e.errors) { const c = errorCode(inner, depth + 1); if (c) return c; }
  return errorCode(e.cause, depth + 1);
}

async function sizeOf(path: string): Promise<number> {
  try { return (await stat(path)).size; } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

async function resetFile(path: string): Promise<void> {
  try { await truncate(path, 0); } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function parseContentRange(value: string | null): { start: number; total: number | null } | null {
  const m = /^bytes\s+(?:(\d+)-\d+|\*)\/(\d+|\*)$/i.exec(value?.trim() ?? '');
  if (!m) return null;
  return { start: m[1] === undefined ? -1 : Number(m[1]), total: m[2] === '*' ? null : Number(m[2]) };
}

function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

class RetryableHttpError extends DownloadError {
  constructor(message: string, readonly retryAfter: number | undefined) {
    super(message, 'http', true);
  }
}

type Attempt = { done: true; size: number } | { done: false; progressed: boolean };

async function attemptOnce(o: DownloadOptions, host: string, signal: AbortSignal): Promise<Attempt> {
  let have = await sizeOf(o.dest);
  if (o.expectedSize !== null && have === o.expectedSize) return { done: true, size: have };
  if (o.expectedSize !== null && have > o.expectedSize) { await resetFile(o.dest); have = 0; }

  const stall = new AbortController();
  const stallMs = o.stallTimeoutMs ?? 60_000;
  let timer = setTimeout(() => stall.abort(), stallMs);
  const kick = () => { clearTimeout(timer); timer = setTimeout(() => stall.abort(), stallMs); };
  const both = AbortSignal.any([signal, stall.signal]);
  let received = have;
  try {
    const headers: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': 'callsight-models' };
    if (have > 0) headers.range = `bytes=${have}-`;
    const res = await (o.fetch ?? fetch)(o.url, { headers, signal: both, redirect: 'follow' });
    const status = res.status;
    let total: number | null = null;
    let flags: 'a' | 'w' = 'a';

    if (status === 206) {
      const range = parseContentRange(res.headers.get('content-range'));
      if (!range || range.start !== have) { await res.body?.cancel(); await resetFile(o.dest); return { done: false, progressed: true }; }
      total = range.total;
    } else if (status === 200) {
      flags = 'w'; // a fresh download, or the server ignored Range: start over
      have = 0;
      received = 0;
      const len = res.headers.get('content-length');
      total = len !== null && /^\d+$/.test(len) ? Number(len) : null;
    } else if (status === 416) {
      await res.body?.cancel();
      const range = parseContentRange(res.headers.get('content-range'));
      if (range?.total !== null && range?.total === have) return { done: true, size: have };
      await resetFile(o.dest);
      return { done: false, progressed: true };
    } else {
      await res.body?.cancel();
      const what = `cannot download ${o.label} from ${host}: HTTP ${status}${res.statusText ? ` ${res.statusText}` : ''}`;
      if (status >= 500 || status === 408 || status === 429) throw new RetryableHttpError(what, retryAfterMs(res.headers.get('retry-after')));
      throw new DownloadError(what, 'http', false);
    }
    if (o.expectedSize !== null && total !== null && total !== o.expectedSize) {
      await res.body?.cancel();
      await resetFile(o.dest);
      throw new DownloadError(
        `cannot download ${o.label} from ${host}: the server offers ${total} bytes, the manifest expects ${o.expectedSize} (the file changed upstream?)`,
        'http', false,
      );
    }
    total ??= o.expectedSize;
    if (!res.body) throw new DownloadError(`cannot download ${o.label} from ${host}: empty response`, 'network', true);

    const resumedFrom = have;
    o.onProgress?.({ received, total, resumedFrom });
    // Each chunk is on disk before the next is read, so a cut connection loses nothing already received.
    const file = await open(o.dest, flags);
    try {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        kick();
        if (total !== null && received + chunk.length > total) {
          throw new DownloadError(`cannot download ${o.label} from ${host}: the server sent more than the ${total} bytes expected (the file changed upstream?)`, 'http', false);
        }
        await file.write(chunk);
        received += chunk.length;
        o.onProgress?.({ received, total, resumedFrom });
      }
    } finally {
      await file.close();
    }
    const size = await sizeOf(o.dest);
    if (total !== null && size !== total) {
      throw new DownloadError(`cannot download ${o.label} from ${host}: connection closed after ${size} of ${total} bytes`, 'network', true);
    }
    return { done: true, size };
  } catch (err) {
    if (err instanceof DownloadError && !err.retryable) await rm(o.dest, { force: true }); // a resume could never fix it
    if (err instanceof DownloadError) throw Object.assign(err, { progressed: received > have });
    if (signal.aborted) throw new DownloadError(`download of ${o.label} cancelled (the partial file is kept for resuming)`, 'aborted', false, { cause: signal.reason });
    if (stall.signal.aborted) {
      throw Object.assign(new DownloadError(`cannot download ${o.label} from ${host}: no data for ${Math.round(stallMs / 1000)} s`, 'stalled', true), { progressed: received > have });
    }
    const code = errorCode(err);
    if (code && OFFLINE_CODES[code] && received === have) {
      throw new DownloadError(
        `cannot reach ${host} (${OFFLINE_CODES[code]}) to download ${o.label}: no network? ${o.offlineHint ?? offlineHint(o.url)}`,
        'offline', false, { cause: err },
      );
    }
    const detail = code ?? (err as Error).message;
    throw Object.assign(
      new DownloadError(`cannot download ${o.label} from ${host}: ${detail}`, 'network', true, { cause: err }),
      { progressed: received > have },
    );
  } finally {
    clearTimeout(timer);
  }
}

/** Downloads `url` into `dest` (resuming what is there); resolves with the final size. */
export async function downloadFile(o: DownloadOptions): Promise<{ size: number }> {
  const signal = o.signal ?? new AbortController().signal;
  const host = new URL(o.url).host;
  const retries = o.retries ?? 4;
  const base = o.retryDelayMs ?? 1000;
  const cap = o.maxRetryDelayMs ?? 30_000;
  let failures = 0;
  let restarts = 0;
  for (;;) {
    signal.throwIfAborted();
    let outcome: Attempt;
    try {
      outcome = await attemptOnce(o, host, signal);
    } catch (err) {
      const e = err as DownloadError & { progressed?: boolean; retryAfter?: number };
      if (!e.retryable) throw e;
      failures = e.progressed ? 1 : failures + 1;
      if (failures > retries) throw e;
      const backoff = Math.min(cap, base * 2 ** (failures - 1)) * (0.75 + Math.random() * 0.5);
      const delayMs = Math.round(e.retryAfter !== undefined ? Math.min(cap, e.retryAfter) : backoff);
      o.onRetry?.({ attempt: failures, delayMs, error: e });
      try { await sleep(delayMs, undefined, { signal }); } catch {
        throw new DownloadError(`download of ${o.label} cancelled (the partial file is kept for resuming)`, 'aborted', false, { cause: signal.reason });
      }
      continue;
    }
    if (outcome.done) return { size: outcome.size };
    if (++restarts > 3) throw new DownloadError(`cannot download ${o.label} from ${host}: the server keeps answering the wrong byte range`, 'http', false);
  }
}
