import { openPglite, openPostgres, type Db } from '../../services/store/index.js';
import { createDatabase } from './postgres.js';

/**
 * A fresh, empty database for one test file: in-memory PGlite by default, or a new database on the
 * PostgreSQL server named by TEST_DATABASE_URL (scripts/test.sh runs the integration suite both ways).
 */
export async function openTestDb(): Promise<Db & { url?: string }> {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) return openPglite('memory://');
  const created = await createDatabase(server);
  const db = await openPostgres(created.url);
  return {
    ...db,
    url: created.url,
    async close() {
      await db.close();
      await created.drop();
    },
  };
}
