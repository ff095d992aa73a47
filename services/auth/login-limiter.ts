/** Counts failed logins per key (username + client address) in a sliding window. In memory: per process. */
export interface LoginLimiter {
  /** undefined when an attempt is allowed, else the seconds until one will be. */
  blockedFor(key: string): number | undefined;
  failed(key: string): void;
  succeeded(key: string): void;
}

export function createLoginLimiter(opts: {
  maxFailures: number; windowSeconds: number; maxKeys?: number; now?: () => number;
}): LoginLimiter {
  const now = opts.now ?? Date.now;
  const windowMs = opts.windowSeconds * 1000;
  const maxKeys = opts.maxKeys ?? 10_000;
  const failures = new Map<string, number[]>();

  const recent = (key: string): number[] => {
    const cutoff = now() - windowMs;
    const times = (failures.get(key) ?? []).filter((t) => t > cutoff);
    if (times.length) failures.set(key, times);
    else failures.delete(key);
    return times;
  };

  const evict = () => {
    for (const key of failures.keys()) recent(key);
    for (const key of failures.keys()) {
      if (failures.size < maxKeys) break;
      failures.delete(key);
    }
  };

  return {
    blockedFor(key) {
      const times = recent(key);
      if (times.length < opts.maxFailures) return undefined;
      const oldestCounted = times[times.length - opts.maxFailures];
      return Math.max(1, Math.ceil((oldestCounted + windowMs - now()) / 1000));
    },
    failed(key) {
      const times = recent(key);
      if (!failures.has(key) && failures.size >= maxKeys) evict();
      times.push(now());
      failures.set(key, times.slice(-opts.maxFailures));
    },
    succeeded(key) {
      failures.delete(key);
    },
  };
}
