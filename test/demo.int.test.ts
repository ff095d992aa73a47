import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { login } from './helpers/api-session.js';

/** `npm start` runs exactly this: the server process in demo mode on the embedded defaults (PGlite, local disk). */
describe('demo mode', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callsight-demo-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints the demo users, streams simulated calls in, and shuts down cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/server/main.ts'], {
      env: { ...process.env, DEMO: 'true', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await poll(() => /demo is running at (http:\/\/\S+)/.exec(out)?.[1], 60_000, () => out);
      expect(out).toMatch(/supervisor\s+supervisor \/ supervisor-demo/);
      const admin = await login(url, 'admin', 'admin-demo');
      const live = await poll(async () => {
        const body = await (await admin.get('/api/calls?status=live')).json() as { items: { status: string; agent: { externalId: string } | null }[] };
        return body.items[0];
      }, 30_000, () => out);
      expect(live.status).toBe('live');
      expect(['agent-1001', 'agent-1002', 'agent-2001']).toContain(live.agent?.externalId);
      const agent = await login(url, 'agent', 'agent-demo');
      expect((await agent.get('/api/calls')).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 120_000);
});

async function poll<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, context: () => string): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out; process output:\n${context().slice(-3000)}`);
}
