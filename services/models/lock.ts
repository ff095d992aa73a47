import { randomBytes } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { ConflictError } from '../core/index.js';

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const held = new Set<string>();

/** Creates `path` holding our pid, or fails with EEXIST; the file never exists without its content. */
async function create(path: string): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, String(process.pid));
  try {
    await link(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * An exclusive lock file holding our pid, so two `models add` runs (or two calls in one process) never write the
 * same partial file or folder. A lock left by a process that died is taken over. Resolves with the release function.
 */
export async function acquireLock(path: string, what: string): Promise<() => Promise<void>> {
  if (held.has(path)) throw new ConflictError(`${what} is already being installed or removed (by this process)`);
  held.add(path);
  try {
    for (let tries = 0; ; tries++) {
      try {
        await create(path);
        return async () => {
          held.delete(path);
          await rm(path, { force: true });
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
        // Our own pid in the file is a leftover: calls in this process are kept apart by `held`.
        if (tries > 0 || (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid))) {
          throw new ConflictError(`${what} is being installed or removed by another process (pid ${pid || '?'}); wait for it, or delete ${path} if that process is gone`);
        }
        await rm(path, { force: true }); // its process is gone
      }
    }
  } catch (err) {
    held.delete(path);
    throw err;
  }
}
