import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from './helpers/server.js';

describe('server basics', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server?.close(); });

  it('reports health with the database kind', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    const body = await res.json() as { status: string; db: string };
    expect(body.status).toBe('ok');
    expect(body.db).toBe(process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');
  });

  it('serves Prometheus metrics', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/^callsight_live_calls 0$/m);
  });

  it('refuses WebSocket upgrades on unknown paths with 404', async () => {
    const ws = new WebSocket(`${server.wsUrl}/nope`);
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(404);
  });
});
