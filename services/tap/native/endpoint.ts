import type { IncomingMessage } from 'node:http';
import { findTapKey } from '../../auth/index.js';
import { createTapEndpoint, type AuthResult, type TapEndpoint } from '../shared/endpoint.js';
import type { TapContext } from '../shared/context.js';
import { maxJumpMs } from '../shared/limits.js';
import type { TapMetrics } from '../shared/metrics.js';
import { bearerOrQueryKey } from '../shared/request.js';
import { systemClock } from '../shared/types.js';
import { createNativeSession } from './session.js';

/** `/tap/native`: a native tap key as `Authorization: Bearer <key>` or `?key=`; anything else is HTTP 401. */
export function createNativeEndpoint(ctx: TapContext, metrics: TapMetrics): TapEndpoint {
  async function authenticate(req: IncomingMessage): Promise<AuthResult<{ tapKeyId: string }>> {
    const apiKey = bearerOrQueryKey(req);
    if (!apiKey) return { ok: false, status: 401, message: 'a tap API key is required (Authorization: Bearer or ?key=)' };
    const key = await findTapKey(ctx.db, apiKey, 'native');
    if (!key) return { ok: false, status: 401, message: 'unknown or revoked API key' };
    return { ok: true, value: { tapKeyId: key.id } };
  }

  return createTapEndpoint({
    protocol: 'native', ctx, metrics, authenticate, minFailureMs: 200,
    createSession: (conn, auth) => createNativeSession({
      socket: conn.socket, clock: systemClock, log: conn.log, calls: conn.binding, tapKeyId: auth.tapKeyId,
      maxJumpMs: maxJumpMs(ctx.config),
    }),
  });
}
