import { createHmac } from 'node:crypto';
import { safeEqual } from '../shared/request.js';

/** `X-Twilio-Signature` for a WebSocket upgrade: base64 HMAC-SHA1 keyed with the auth token over the URL (no POST body). */
export function twilioSignature(authToken: string, url: string): string {
  return createHmac('sha1', authToken).update(url).digest('base64');
}

/** True when `signature` matches one of the URLs the stream may have been configured with (all compared in constant time). */
export function verifyTwilioSignature(authToken: string, signature: string, urls: readonly string[]): boolean {
  const given = Buffer.from(signature, 'utf8');
  let match = false;
  for (const url of urls) if (safeEqual(Buffer.from(twilioSignature(authToken, url), 'utf8'), given)) match = true;
  return match;
}
