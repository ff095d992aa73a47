import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** One SQL dialect (PostgreSQL) over either embedded PGlite or a real server. Parameters are $1, $2, … */
export interface Db {
  readonly kind: 'pglite' | 'postgres';
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  transaction<T>(fn: (tx: Omit<Db, 'transaction' | 'close'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openDb(opts: { databaseUrl?: string; dataDir: string }): Promise<Db> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openPglite(join(opts.dataDir, 'db'));
}

/** `dir` of 'memory://' keeps the database in memory (tests). */
export async function openPglite(dir: string): Promise<Db> {
  if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
  const pgl = await PGlite.create(dir);
  const run = async <T>(q: Pick<PGlite, 'query'>, sql: string, params?: unknown[]) =>
    (await q.query<T>(sql, params as never[])).rows;
  return {
    kind: 'pglite',
    query: (sql, params) => run(pgl, sql, params),
    exec: async (sql) => { await pgl.exec(sql); },
    transaction: (fn) => pgl.transaction((tx) => fn({
      kind: 'pglite',
      query: (sql, params) => run(tx, sql, params),
      exec: async (sql) => { await tx.exec(sql); },
    })),
    close: () => pgl.close(),
  };
}

export async function openPostgres(url: string): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', () => { /* idle client errors surface on the next query */ });
  await pool.query('select 1');
  return {
    kind: 'postgres',
    query: async (sql, params) => (await pool.query(sql, params)).rows,
    exec: async (sql) => { await pool.query(sql); },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn({
          kind: 'postgres',
          query: async (sql, params) => (await client.query(sql, params)).rows,
          exec: async (sql) => { await client.query(sql); },
        });
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback');
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
