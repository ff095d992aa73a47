import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono, MiddlewareHandler } from 'hono';

/** Where `npm run build:web` puts the web app. */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Paths that belong to the server, never to the web app's client-side routes (`/live/:id` is the web app's live call page). */
const SERVER_PATHS = /^\/(api|tap|ws)(\/|$)|^\/(health|metrics)$/;

const CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:",
  "media-src 'self' blob:", "connect-src 'self' ws: wss:", "worker-src 'self' blob:", "font-src 'self'",
  "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'", "form-action 'self'",
].join('; ');

const MISSING = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Callsight: web app not built</title>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>The web app is not built</h1>
<p>The server is running, but <code>web/dist</code> is missing. Build it with <code>npm run build:web</code>
(<code>npm start</code> does this for you), then reload this page.</p>
<p>The API is available meanwhile: <code>/api/auth/login</code>, <code>/api/calls</code>, <code>/health</code>.</p>
</body></html>`;

/**
 * Serves the built web app: hashed assets under /assets (cached for a year, precompressed .br/.gz when the
 * client accepts them) and index.html for every other GET that is not a server path (client-side routing).
 * Without a build, those pages explain how to make one (503). Mount after the API routes.
 */
export function mountWebApp(app: Hono, opts: { root?: string } = {}): void {
  const root = opts.root ?? WEB_DIST;
  const index = join(root, 'index.html');
  let assets: MiddlewareHandler | undefined;
  let page: MiddlewareHandler | undefined;
  // Created on first use: serveStatic complains at creation when the folder does not exist yet.
  const built = () => {
    if (!existsSync(index)) return false;
    assets ??= serveStatic({ root, precompressed: true });
    page ??= serveStatic({ root, path: 'index.html', precompressed: true });
    return true;
  };

  app.use('/assets/*', async function webAssets(c, next) {
    if (!built() || !assets) return next();
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    return assets(c, next);
  });

  app.get('*', async function webApp(c, next) {
    if (SERVER_PATHS.test(c.req.path) || c.req.path.startsWith('/assets/')) return next();
    if (!built() || !page) return c.html(MISSING, 503, { 'Cache-Control': 'no-store' });
    c.header('Cache-Control', 'no-cache');
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    return page(c, next);
  });
}
