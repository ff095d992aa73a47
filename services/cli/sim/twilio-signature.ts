import { createHmac } from 'node:crypto';

/**
 * `X-Twilio-Signature` for a Media Streams upgrade: base64 HMAC-SHA1 keyed with the auth token over the `wss://` URL
 * exactly as configured (a WebSocket upgrade has no POST parameters to append).
 */
export function signTwilioRequest(authToken: string, url: string): string {
  return createHmac('sha1', authToken).update(url).digest('base64');
}

/** The URL Twilio would sign: the configured URL with the `wss` scheme (a local `ws://` test server still gets a `wss://` signature). */
export function twilioSignedUrl(url: URL): string {
  const u = new URL(url.href);
  if (u.protocol === 'ws:') u.protocol = 'wss:';
  if (u.protocol === 'http:') u.protocol = 'https:';
  return u.href;
}
