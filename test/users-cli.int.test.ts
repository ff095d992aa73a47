import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../services/auth/index.js';
import { createStore, openPglite, type Db, type Store } from '../services/store/index.js';
import { openTestDb } from './helpers/db.js';

// `npm run users` is how the first admin is made outside demo mode: run it as a process, as an operator would.
describe('users command line', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callsight-cli-'));
  let db: Awaited<ReturnType<typeof openTestDb>> | undefined;
  afterAll(async () => {
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Runs `npm run users -- …` the way an operator would, against the test database. */
  const cli = (args: string[], input = '', env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'services/cli/users.ts', ...args], {
      input, encoding: 'utf8', timeout: 30_000,
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(db?.url ? { DATABASE_URL: db.url } : {}), ...env },
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  /** The CLI's database, opened after the CLI exited (PGlite on disk allows one process at a time). */
  const inspect = async <T>(fn: (store: Store, conn: Db) => Promise<T>): Promise<T> => {
    if (db) return fn(createStore(db), db);
    const conn = await openPglite(join(dataDir, 'db'));
    try { return await fn(createStore(conn), conn); } finally { await conn.close(); }
  };

  it('creates the first admin from stdin, lists, sets passwords and disables accounts', async () => {
    if (process.env.TEST_DATABASE_URL) db = await openTestDb();
    expect(cli(['frobnicate']).code).toBe(2);
    const created = cli(['create', '--username', 'Root', '--role', 'admin', '--name', 'Root Admin'], 'first-admin-pw\n');
    expect(created.err).toBe('');
    expect(created.out).toMatch(/^created admin root \(/);
    expect(cli(['create', '--username', 'alice', '--role', 'qa'], '', { CALLSIGHT_PASSWORD: 'alice-pass-1' }).code).toBe(0);
    expect(cli(['list']).out).toMatch(/alice\s+qa\s+active\s+alice\nroot\s+admin\s+active\s+Root Admin/);
    expect(cli(['set-password', '--username', 'alice', '--password', 'alice-pass-2']).code).toBe(0);
    expect(cli(['disable', '--username', 'root']).err).toMatch(/last enabled admin/);
    expect(cli(['disable', '--username', 'alice']).out).toBe('disabled alice\n');

    await inspect(async (store) => {
      const root = await store.users.findCredentials('root');
      expect(root?.user).toMatchObject({ role: 'admin', displayName: 'Root Admin', disabled: false });
      expect(await verifyPassword('first-admin-pw', root?.passwordHash ?? '')).toBe(true);
      const alice = await store.users.findCredentials('alice');
      expect(alice?.user.disabled).toBe(true);
      expect(await verifyPassword('alice-pass-2', alice?.passwordHash ?? '')).toBe(true);
      const log = await store.audit.list({}, { limit: 50, offset: 0 });
      expect(log.items.map((e) => e.action).reverse()).toEqual(['user.created', 'user.created', 'user.password_set', 'user.disabled']);
      expect(log.items.every((e) => e.details.via === 'cli' && e.actorId === null)).toBe(true);
    });
  }, 180_000);
});
