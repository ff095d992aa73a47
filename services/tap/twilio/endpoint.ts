import type { IncomingMessage } from 'node:http';
import { findTapKey } from '../../auth/index.js';
import { createTapEndpoint, type AuthResult, type TapEndpoint } from '../shared/endpoint.js';
import type { TapContext } from '../shared/context.js';
import type { TapMetrics } from '../shared/metrics.js';
import { maxJumpMs } from '../shared/limits.js';
import { header, requestAddress } from '../shared/request.js';
import { systemClock } from '../shared/types.js';
import { createTwilioSession } from './session.js';
import { verifyTwilioSignature } from './signature.js';

interface TwilioAuth { signed: boolean }

/**
 * `/tap/twilio`: with tap.twilioAuthToken configured, X-Twilio-Signature must sign the wss:// URL (from publicUrl,
 * else the Host header) or the upgrade is refused with 401. Without a token, `start.customParameters.apiKey` must be
 * an active Twilio tap key, checked before any audio is accepted (close 1008 otherwise).
 */
export function createTwilioEndpoint(ctx: TapContext, metrics: TapMetrics): TapEndpoint {
  async function authenticate(req: IncomingMessage): Promise<AuthResult<TwilioAuth>> {
    const token = ctx.config.tap.twilioAuthToken;
    if (!token) return { ok: true, value: { signed: false } };
    const signature = header(req, 'x-twilio-signature');
    if (!signature) return { ok: false, status: 401, message: 'X-Twilio-Signature is required' };
    const urls = requestAddress(req, ctx.config.publicUrl).websocketUrls();
    if (!verifyTwilioSignature(token, signature, urls)) return { ok: false, status: 401, message: 'invalid X-Twilio-Signature' };
    return { ok: true, value: { signed: true } };
  }

  return createTapEndpoint<TwilioAuth>({
    protocol: 'twilio', ctx, metrics, authenticate, minFailureMs: 200,
    createSession(conn, auth) {
      return createTwilioSession({
        socket: conn.socket, clock: systemClock, log: conn.log, calls: conn.binding, maxJumpMs: maxJumpMs(ctx.config),
        authorize: auth.signed ? undefined : async (apiKey) => (apiKey ? (await findTapKey(ctx.db, apiKey, 'twilio'))?.id : undefined),
        onUnauthorized: () => metrics.connection('twilio', 'unauthorized'),
      });
    },
  });
}
