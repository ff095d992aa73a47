export type OverflowPolicy = 'wait' | 'drop-oldest';

export interface BoundedQueue<T> extends AsyncIterable<T> {
  /** Adds an item. With 'wait' the promise settles once there is room; with 'drop-oldest' it never waits. */
  push(item: T): Promise<void>;
  close(): void;
  readonly size: number;
  readonly dropped: number;
}

/** A bounded async queue between pipeline stages; it names its overflow policy (DESIGN.md). */
export function createBoundedQueue<T>(opts: { capacity: number; overflow: OverflowPolicy; onDrop?: (item: T) => void }): BoundedQueue<T> {
  const items: T[] = [];
  const readers: ((r: IteratorResult<T>) => void)[] = [];
  const writers: (() => void)[] = [];
  let closed = false;
  let dropped = 0;

  function deliver(): void {
    while (readers.length && items.length) readers.shift()!({ value: items.shift()!, done: false });
    while (writers.length && items.length < opts.capacity) writers.shift()!();
    if (closed && !items.length) while (readers.length) readers.shift()!({ value: undefined, done: true });
  }

  return {
    get size() { return items.length; },
    get dropped() { return dropped; },
    async push(item) {
      if (closed) return;
      if (items.length >= opts.capacity) {
        if (opts.overflow === 'drop-oldest') {
          const old = items.shift()!;
          dropped++;
          opts.onDrop?.(old);
        } else {
          await new Promise<void>((resolve) => writers.push(resolve));
          if (closed) return;
        }
      }
      items.push(item);
      deliver();
    },
    close() {
      closed = true;
      while (writers.length) writers.shift()!();
      deliver();
    },
    [Symbol.asyncIterator]() {
      return {
        next: () => new Promise<IteratorResult<T>>((resolve) => { readers.push(resolve); deliver(); }),
        return: async () => { closed = true; items.length = 0; deliver(); return { value: undefined, done: true }; },
      };
    },
  };
}
