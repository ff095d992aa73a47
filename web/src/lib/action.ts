import { createSignal } from 'solid-js';

/**
 * The state of an admin screen's changes: busy while one runs, the last error, and the last success message (for a
 * status line). `run` resolves to whether the work succeeded; it never throws.
 */
export function createAction() {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  const [done, setDone] = createSignal<string>();
  const run = async (work: () => Promise<string | undefined>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      setDone(await work());
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, run, clear: () => { setError(undefined); setDone(undefined); } };
}

export type Action = ReturnType<typeof createAction>;
