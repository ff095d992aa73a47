import type { IncomingMessage } from 'node:http';
import { findTapKey } from '../../auth/index.js';
import { createTapEndpoint, type AuthResult, type TapEndpoint } from '../shared/endpoint.js';
import type { TapContext } from '../shared/context.js';
import type { TapMetrics } from '../shared/metrics.js';
import { header, requestAddress } from '../shared/request.js';
import { systemClock } from '../shared/types.js';
import { isUuid } from './messages.js';
import { createAudiohookSession } from './session.js';
import { createNonceCache, verifyAudiohookSignature } from './signature.js';

interface AudiohookAuth { tapKeyId: string; organizationId: string; sessionId: string; correlationId?: string }

/** Every refused AudioHook upgrade takes at least this long (as the reference server does). */
const MIN_FAILURE_MS = 500;

/**
 * `/tap/audiohook`: X-API-KEY must be an active AudioHook tap key; when the key has a client secret the request
 * must carry a valid RFC 9421 signature. Refusals are HTTP 401 (credentials) or 400 (missing AudioHook headers).
 */
export function createAudiohookEndpoint(ctx: TapContext, metrics: TapMetrics): TapEndpoint {
  const nonces = createNonceCache();

  async function authenticate(req: IncomingMessage): Promise<AuthResult<AudiohookAuth>> {
    const apiKey = header(req, 'x-api-key');
    if (!apiKey) return { ok: false, status: 401, message: 'X-API-KEY is required' };
    const organizationId = header(req, 'audiohook-organization-id');
    const sessionId = header(req, 'audiohook-session-id');
    const correlationId = header(req, 'audiohook-correlation-id');
    const key = await findTapKey(ctx.db, apiKey, 'audiohook');
    if (!key) return { ok: false, status: 401, message: 'unknown or revoked API key' };
    if (key.clientSecret) {
      const address = requestAddress(req, ctx.config.publicUrl);
      const result = verifyAudiohookSignature({
        signature: header(req, 'signature'), signatureInput: header(req, 'signature-input'),
        organizationId, sessionId, correlationId, apiKey,
        authorities: address.authorities, targets: address.targets, secret: key.clientSecret, now: Math.floor(Date.now() / 1000),
      });
      if (!result.ok) return { ok: false, status: 401, message: `invalid request signature: ${result.reason}` };
      if (nonces.replayed(result.nonce, Date.now())) return { ok: false, status: 401, message: 'invalid request signature: nonce replayed' };
    }
    if (!isUuid(organizationId) || !isUuid(sessionId)) {
      return { ok: false, status: 400, message: 'Audiohook-Organization-Id and Audiohook-Session-Id must be UUIDs' };
    }
    return { ok: true, value: { tapKeyId: key.id, organizationId, sessionId, correlationId } };
  }

  return createTapEndpoint<AudiohookAuth>({
    protocol: 'audiohook', ctx, metrics, authenticate, minFailureMs: MIN_FAILURE_MS,
    createSession(conn, auth) {
      const log = conn.log.child({ audiohookSession: auth.sessionId });
      return createAudiohookSession({
        ...auth, socket: conn.socket, clock: systemClock, log, calls: conn.binding,
        onUnauthorized: () => metrics.connection('audiohook', 'unauthorized'),
      });
    },
  });
}
