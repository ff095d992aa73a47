import type { Db } from './db.js';

/** Anything that runs parameterised SQL: the database itself or a transaction. */
export type Queryable = Pick<Db, 'query'>;

/** A page of results with the total matching the filter (before limit/offset). */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface PageRequest {
  limit: number;
  offset: number;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` has the shape of a UUID (check before querying a uuid column: PostgreSQL rejects malformed ones). */
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/** PostgreSQL returns bigint as a string through `pg` and as a number through PGlite: normalise. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export function toNumberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

/** Collects `where` conditions and their parameters ($1, $2, … in order). */
export function createWhere() {
  const params: unknown[] = [];
  const conditions: string[] = [];
  return {
    params,
    /** Adds a parameter and returns its placeholder. */
    param(value: unknown): string {
      params.push(value);
      return `$${params.length}`;
    },
    add(condition: string | undefined): void {
      if (condition) conditions.push(condition);
    },
    sql(): string {
      return conditions.length ? `where ${conditions.join(' and ')}` : '';
    },
  };
}

export type Where = ReturnType<typeof createWhere>;

/** `id` when it looks like a UUID, otherwise `byName`: lets filters take either without a failing uuid cast. */
export function idOrName(w: Where, value: string, idColumn: string, nameColumn: string): string {
  return isUuid(value) ? `${idColumn} = ${w.param(value)}` : `${nameColumn} = ${w.param(value)}`;
}
