import { existsSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Logger } from '../core/index.js';
import { repairRecordings } from '../recording/index.js';
import type { Db } from '../store/index.js';

const CALL_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:-\d+)?\.wav$/;

/**
 * Start-up after a crash: makes every WAV the previous process left readable (header sizes fixed, half frames cut),
 * marks this node's calls still `live` in the database as interrupted, and points them at their repaired recording.
 * Returns how many calls were closed.
 */
export async function recoverAfterCrash(opts: { db: Db; dataDir: string; nodeId: string; log: Logger }): Promise<number> {
  const { db, dataDir, nodeId, log } = opts;
  const repaired = await repairRecordings(join(dataDir, 'recordings'), log);
  const stale = await db.query<{ id: string }>(
    `update calls set status = 'interrupted', ended_at = coalesce(ended_at, now()),
       duration_ms = coalesce(duration_ms, (extract(epoch from (now() - started_at)) * 1000)::integer)
     where status = 'live' and (node_id = $1 or node_id is null) returning id`,
    [nodeId],
  );
  for (const r of repaired) {
    const id = CALL_ID.exec(basename(r.path))?.[1];
    if (id) await setWav(db, id, relative(dataDir, r.path), Math.round(r.durationMs));
  }
  for (const { id } of stale) {
    const wav = join(dataDir, 'recordings', `${id}.wav`);
    if (existsSync(wav)) await setWav(db, id, relative(dataDir, wav));
  }
  if (stale.length) log.warn({ calls: stale.length, recordings: repaired.length }, 'marked calls left live by a previous run as interrupted');
  return stale.length;
}

function setWav(db: Db, id: string, path: string, durationMs?: number) {
  return db.query(
    `update calls set recording_path = $2, recording_format = 'wav', duration_ms = coalesce($3, duration_ms)
     where id = $1 and (recording_path is null or recording_format = 'wav')`,
    [id, path, durationMs ?? null],
  );
}
