import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A PostgreSQL server URL with a superuser: TEST_DATABASE_URL when set (scripts/test.sh's PostgreSQL run), else
 * Debian's postgresql started by scripts/start-postgres.sh (needs root, as in CI). Without either, a clear error.
 */
export function postgresServerUrl(): string {
  const given = process.env.TEST_DATABASE_URL;
  if (given) return given;
  if (process.getuid?.() !== 0) {
    throw new Error('this test needs PostgreSQL: set TEST_DATABASE_URL, or run as root so that scripts/start-postgres.sh can start Debian\'s postgresql');
  }
  return execFileSync('bash', ['scripts/start-postgres.sh'], { stdio: ['ignore', 'pipe', 'inherit'], timeout: 120_000 }).toString().trim();
}

/** A new, empty database on the server at `serverUrl`; `drop` removes it (closing its connections). */
export async function createDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `callsight_t_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try { await client.query(sql); } finally { await client.end(); }
  };
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
