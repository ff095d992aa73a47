import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';

/** A request header's value (first one when repeated), trimmed; undefined when absent or empty. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  return s ? s : undefined;
}

/** Host header without a default port, lower-cased. */
function normalizeHost(host: string | undefined): string | undefined {
  return host?.trim().toLowerCase().replace(/:(443|80)$/, '') || undefined;
}

function publicBase(publicUrl: string | undefined): URL | undefined {
  if (!publicUrl) return undefined;
  try {
    return new URL(publicUrl);
  } catch {
    return undefined;
  }
}

const unique = (xs: (string | undefined)[]): string[] => [...new Set(xs.filter((x): x is string => !!x))];

/**
 * How the peer may have addressed this request, for signature checks: the configured public URL (with its path
 * prefix, if a proxy strips one) and the Host header actually received.
 */
export function requestAddress(req: IncomingMessage, publicUrl: string | undefined) {
  const base = publicBase(publicUrl);
  const target = req.url ?? '/';
  const prefix = base ? base.pathname.replace(/\/+$/, '') : '';
  const host = normalizeHost(header(req, 'host'));
  return {
    /** `@authority` values: host with the port only when it is not the default. */
    authorities: unique([base?.host, host]),
    /** `@request-target` values: path plus query. */
    targets: unique([prefix ? prefix + target : undefined, target]),
    /**
     * WebSocket URLs as a platform configured them: the public URL with http→ws / https→wss (and its wss form,
     * since Twilio only dials wss), then wss:// + Host header; each with and without an explicit default port.
     */
    websocketUrls(): string[] {
      const urls: string[] = [];
      if (base) {
        const scheme = base.protocol === 'http:' ? 'ws:' : 'wss:';
        urls.push(`${scheme}//${base.host}${prefix}${target}`, `wss://${base.host}${prefix}${target}`);
      }
      if (host) urls.push(`wss://${host}${target}`);
      const withPorts = urls.flatMap((u) => {
        let url: URL;
        try {
          url = new URL(u);
        } catch {
          return [];
        }
        if (url.port) return [u];
        const port = url.protocol === 'ws:' ? 80 : 443;
        return [u, `${url.protocol}//${url.hostname}:${port}${url.pathname}${url.search}`];
      });
      return unique(withPorts);
    },
  };
}

/** Constant-time comparison of two byte strings (false on different lengths, still spending the compare). */
export function safeEqual(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** A tap API key from `Authorization: Bearer <key>` or, for clients that cannot set headers, `?key=`. */
export function bearerOrQueryKey(req: IncomingMessage): string | undefined {
  const auth = header(req, 'authorization');
  const m = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  if (m) return m[1];
  const key = new URL(req.url ?? '/', 'http://localhost').searchParams.get('key');
  return key ? key : undefined;
}
