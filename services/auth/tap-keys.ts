import { createHash, randomBytes } from 'node:crypto';
import type { TapProtocol } from '../calls/index.js';
import type { Queryable } from '../store/index.js';

export interface TapKey {
  id: string;
  name: string;
  keyPrefix: string;
  /** AudioHook client secret (base64); null when signatures are not required for this key. */
  clientSecret: string | null;
  protocols: TapProtocol[];
  revoked: boolean;
}

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

interface Row { id: string; name: string; key_prefix: string; client_secret: string | null; protocols: TapProtocol[]; revoked: boolean }
const toKey = (r: Row): TapKey => ({
  id: r.id, name: r.name, keyPrefix: r.key_prefix, clientSecret: r.client_secret, protocols: r.protocols, revoked: r.revoked,
});

/** Creates a tap credential. The returned `apiKey` is shown once; only its hash is stored. */
export async function createTapKey(db: Queryable, opts: {
  name: string; protocols?: TapProtocol[]; clientSecret?: string | null; apiKey?: string;
}): Promise<TapKey & { apiKey: string }> {
  const apiKey = opts.apiKey ?? `tap_${randomBytes(24).toString('base64url')}`;
  const [row] = await db.query<Row>(
    `insert into tap_keys (name, key_hash, key_prefix, client_secret, protocols) values ($1, $2, $3, $4, $5)
     returning id, name, key_prefix, client_secret, protocols, revoked`,
    [opts.name, hashKey(apiKey), apiKey.slice(0, 8), opts.clientSecret ?? null, opts.protocols ?? ['audiohook', 'twilio', 'native']],
  );
  return { ...toKey(row), apiKey };
}

/** The active key for `apiKey` that may be used with `protocol`, or undefined. */
export async function findTapKey(db: Queryable, apiKey: string, protocol: TapProtocol): Promise<TapKey | undefined> {
  if (!apiKey) return undefined;
  const [row] = await db.query<Row>(
    'select id, name, key_prefix, client_secret, protocols, revoked from tap_keys where key_hash = $1', [hashKey(apiKey)],
  );
  if (!row || row.revoked || !row.protocols.includes(protocol)) return undefined;
  return toKey(row);
}

/** The active (not revoked) key for `apiKey`, whatever its protocols: for platform calls to the HTTP API. */
export async function findActiveTapKey(db: Queryable, apiKey: string): Promise<TapKey | undefined> {
  if (!apiKey) return undefined;
  const [row] = await db.query<Row>(
    'select id, name, key_prefix, client_secret, protocols, revoked from tap_keys where key_hash = $1', [hashKey(apiKey)],
  );
  return row && !row.revoked ? toKey(row) : undefined;
}

export async function listTapKeys(db: Queryable): Promise<TapKey[]> {
  return (await db.query<Row>('select id, name, key_prefix, client_secret, protocols, revoked from tap_keys order by name')).map(toKey);
}

export async function revokeTapKey(db: Queryable, id: string): Promise<boolean> {
  return (await db.query('update tap_keys set revoked = true where id = $1 returning id', [id])).length > 0;
}
