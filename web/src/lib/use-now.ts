import { createSignal, onCleanup, type Accessor } from 'solid-js';

/** Date.now(), updated every `everyMs` while the calling component lives (running call durations). */
export function useNow(everyMs = 1000): Accessor<number> {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), everyMs);
  onCleanup(() => clearInterval(timer));
  return now;
}
