import { AppError } from '../../core/index.js';

/**
 * Waits for named replies from the server (`opened`, `started`, `closed`…). A reply that arrives before anyone waits
 * is kept; `fail` rejects every current and future wait (e.g. the socket closed).
 */
export function createReplyWaiter<K extends string>() {
  const arrived = new Map<K, unknown>();
  const pending = new Map<K, { resolve: (v: unknown) => void; reject: (e: unknown) => void }[]>();
  let failure: Error | undefined;
  return {
    resolve(key: K, value: unknown = undefined): void {
      const list = pending.get(key);
      if (list?.length) { pending.delete(key); for (const p of list) p.resolve(value); } else arrived.set(key, value);
    },
    fail(err: Error): void {
      failure ??= err;
      const all = [...pending.values()].flat();
      pending.clear();
      for (const p of all) p.reject(failure);
    },
    /** Forgets replies and failures (a new socket after a reconnect). */
    reset(): void { arrived.clear(); failure = undefined; },
    wait<T = unknown>(key: K, what: string, timeoutMs: number, signal?: AbortSignal): Promise<T> {
      if (arrived.has(key)) { const v = arrived.get(key); arrived.delete(key); return Promise.resolve(v as T); }
      if (failure) return Promise.reject(failure);
      return new Promise<T>((resolve, reject) => {
        const timeout = AbortSignal.timeout(timeoutMs);
        const sig = signal ? AbortSignal.any([signal, timeout]) : timeout;
        const entry = {
          resolve: (v: unknown) => { sig.removeEventListener('abort', onAbort); resolve(v as T); },
          reject: (e: unknown) => { sig.removeEventListener('abort', onAbort); reject(e as Error); },
        };
        function onAbort() {
          const list = pending.get(key) ?? [];
          pending.set(key, list.filter((p) => p !== entry));
          reject(timeout.aborted
            ? new AppError(`no ${what} from the server within ${timeoutMs} ms`, { status: 504 })
            : signal?.reason as Error);
        }
        if (sig.aborted) { onAbort(); return; }
        sig.addEventListener('abort', onAbort, { once: true });
        pending.set(key, [...(pending.get(key) ?? []), entry]);
      });
    },
  };
}
