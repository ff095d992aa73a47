/** Something on the call timeline (ms from call start). */
export interface Span {
  startMs: number;
  endMs: number;
}

/** Index of the last item (sorted by startMs) that started at or before `ms`; -1 when none has. */
export function lastStartedAt(items: readonly Span[], ms: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].startMs <= ms) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * The item playing at `ms`: the latest-starting one that has not ended (speakers overlap, so an earlier one may
 * still be running). Looks back a few items; -1 in a gap.
 */
export function activeAt(items: readonly Span[], ms: number, lookBack = 4): number {
  const last = lastStartedAt(items, ms);
  for (let i = last; i >= 0 && i > last - lookBack; i--) if (ms <= items[i].endMs) return i;
  return -1;
}
