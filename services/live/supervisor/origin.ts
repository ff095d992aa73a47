import type { IncomingMessage } from 'node:http';

/**
 * Whether a WebSocket upgrade's Origin may use the session cookie. Browsers always send Origin on WebSocket
 * requests, so a page on another site (cross-site WebSocket hijacking) is refused unless its origin is the server's
 * own (the Host the request was sent to, or PUBLIC_URL) or listed in `live.allowedOrigins`. A request without
 * Origin does not come from a browser page and is let through to the cookie check.
 */
export function originAllowed(req: IncomingMessage, opts: { publicUrl?: string; allowedOrigins: readonly string[] }): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (opts.allowedOrigins.some((o) => o.replace(/\/+$/, '').toLowerCase() === url.origin.toLowerCase())) return true;
  if (opts.publicUrl) {
    try {
      if (new URL(opts.publicUrl).origin === url.origin) return true;
    } catch {
      // an invalid PUBLIC_URL is rejected by the config schema; nothing to match here
    }
  }
  const host = req.headers.host;
  return host !== undefined && url.host.toLowerCase() === host.toLowerCase() && (url.protocol === 'http:' || url.protocol === 'https:');
}
