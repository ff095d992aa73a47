// Starts the listen encoder worker from TypeScript sources (under `tsx` or vitest, where no build step has run):
// registers tsx's ESM loader in this worker thread, then imports the worker module named in workerData.entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
