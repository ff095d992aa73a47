import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { createTapKey, listTapKeys, revokeTapKey, type AuthEnv, type TapKey } from '../../auth/index.js';
import { ConflictError, NotFoundError } from '../../core/index.js';
import type { ServerContext } from '../context.js';
import { auditAction } from './audit.js';
import { readJson, uuidParam } from './http.js';

const createBody = z.object({
  name: z.string().trim().min(1).max(100),
  protocols: z.array(z.enum(['audiohook', 'twilio', 'native'])).min(1).optional(),
  /** AudioHook HTTP message signatures: true generates a client secret (returned once); a string sets it (base64). */
  clientSecret: z.union([z.literal(true), z.string().regex(/^[A-Za-z0-9+/]{22,}={0,2}$/, 'must be base64, at least 16 bytes')]).optional(),
});

/** A tap key as listed: never the key or the client secret. */
const publicKey = ({ clientSecret, ...k }: TapKey) => ({ ...k, signaturesRequired: clientSecret !== null });

/** Tap keys: GET /, POST / (returns apiKey and clientSecret once), POST /:id/revoke. Admin only. */
export function createAdminTapKeyRoutes(ctx: Pick<ServerContext, 'db'>): Hono<AuthEnv> {
  const { db } = ctx;
  const app = new Hono<AuthEnv>();

  app.get('/', async (c) => c.json({ items: (await listTapKeys(db)).map(publicKey) }));

  app.post('/', async (c) => {
    const body = await readJson(c, createBody);
    const clientSecret = body.clientSecret === true ? randomBytes(32).toString('base64') : (body.clientSecret ?? null);
    const created = await db.transaction(async (tx) => {
      if ((await listTapKeys(tx)).some((k) => k.name === body.name)) throw new ConflictError(`a tap key named ${body.name} already exists`);
      const k = await createTapKey(tx, { name: body.name, protocols: body.protocols, clientSecret });
      await auditAction(tx, c, 'tap_key.created', { type: 'tap_key', id: k.id }, {
        name: k.name, keyPrefix: k.keyPrefix, protocols: k.protocols, signaturesRequired: clientSecret !== null,
      });
      return k;
    });
    const { apiKey, ...key } = created;
    return c.json({ ...publicKey(key), apiKey, clientSecret }, 201);
  });

  app.post('/:id/revoke', async (c) => {
    const id = uuidParam(c, 'id', 'tap key');
    const key = await db.transaction(async (tx) => {
      if (!(await revokeTapKey(tx, id))) throw new NotFoundError('tap key');
      const k = (await listTapKeys(tx)).find((x) => x.id === id);
      await auditAction(tx, c, 'tap_key.revoked', { type: 'tap_key', id }, { name: k?.name, keyPrefix: k?.keyPrefix });
      return k;
    });
    return c.json(key ? publicKey(key) : { id, revoked: true });
  });
  return app;
}
