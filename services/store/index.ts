export { openDb, openPglite, openPostgres, type Db } from './db.js';
export { migrate } from './migrate.js';
