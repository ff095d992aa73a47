import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateStoredCall } from '../services/scoring/workflow/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import { login, type ApiSession } from './helpers/api-session.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { GOOD_CALL, storeEndedCall, type Line } from './scoring-helpers.js';

const EN_SOURCE = readFileSync('scorecards/inbound-support-en.yaml', 'utf8');

const POOR_CALL: Line[] = [
  ['agent', 'yeah what do you want', 500, 2500],
  ['customer', 'my bill is wrong', 3000, 4500],
  ['agent', 'not my problem call someone else', 5000, 8000],
];

interface Outcome { overall: number | null; passed: boolean | null }
interface Distribution { calls: number; scored: number; mean: number | null; passed: number; passRate: number | null; buckets: { from: number; to: number; count: number }[] }
interface Preview {
  scorecardId: string; considered: number;
  published: { version: number; distribution: Distribution } | null;
  draft: { distribution: Distribution };
  changes: { callId: string; agent: { externalId: string } | null; startedAt: string; old: Outcome | null; new: Outcome | null }[];
}

describe('scorecard preview (POST /api/scorecards/:id/preview)', () => {
  let server: TestServer;
  let trainer: ApiSession, qa: ApiSession;
  const callIds: string[] = [];
  const evaluationCount = async () => Number((await server.db.query<{ n: number }>('select count(*)::int as n from evaluations'))[0].n);

  beforeAll(async () => {
    server = await startTestServer();
    await seedDemo(server.db);
    [trainer, qa] = await Promise.all([login(server.url, 'trainer', 'trainer-demo'), login(server.url, 'qa', 'qa-demo-1')]);
    const t0 = Date.now() - 3_600_000;
    callIds.push(await storeEndedCall(server.db, 'preview-a1', GOOD_CALL, { startedAt: new Date(t0) }));
    callIds.push(await storeEndedCall(server.db, 'preview-a2', POOR_CALL, { startedAt: new Date(t0 + 60_000) }));
    callIds.push(await storeEndedCall(server.db, 'preview-a1', POOR_CALL, { startedAt: new Date(t0 + 120_000) }));
    // One call has the published version's stored automatic evaluation; the others are computed on the fly.
    expect(await evaluateStoredCall(server.db, callIds[0])).toHaveLength(1);
  });
  afterAll(async () => { await server?.close(); });

  it('scores the unchanged card like the published version: same distribution, no changes, nothing stored', async () => {
    const before = await evaluationCount();
    const res = await trainer.request('POST', '/api/scorecards/inbound-support-en/preview', { source: EN_SOURCE });
    expect(res.status).toBe(200);
    const p = await res.json() as Preview;
    expect(p.considered).toBe(3);
    expect(p.published?.version).toBe(1);
    expect(p.draft.distribution).toEqual(p.published?.distribution);
    expect(p.draft.distribution.calls).toBe(3);
    expect(p.draft.distribution.buckets).toHaveLength(10);
    expect(p.draft.distribution.buckets.reduce((a, b) => a + b.count, 0)).toBe(p.draft.distribution.scored);
    expect(p.changes).toEqual([]);
    expect(await evaluationCount()).toBe(before);
  });

  it('lists the calls whose pass/fail changes with a lower threshold, with agent and time', async () => {
    const before = await evaluationCount();
    const draft = EN_SOURCE.replace('passThreshold: 80', 'passThreshold: 1');
    const p = await (await trainer.request('POST', '/api/scorecards/inbound-support-en/preview', { source: draft })).json() as Preview;
    const failing = p.published!.distribution.scored - p.published!.distribution.passed;
    expect(failing).toBeGreaterThan(0);
    expect(p.draft.distribution.passed).toBeGreaterThan(p.published!.distribution.passed);
    expect(p.changes.length).toBeGreaterThan(0);
    for (const ch of p.changes) {
      expect(callIds).toContain(ch.callId);
      expect(ch.old?.passed).toBe(false);
      expect(ch.new?.passed).toBe(true);
      expect(ch.new?.overall).toBeCloseTo(ch.old!.overall!, 6);
      expect(ch.agent?.externalId).toMatch(/^preview-a/);
      expect(Number.isNaN(Date.parse(ch.startedAt))).toBe(false);
    }
    expect(await evaluationCount()).toBe(before);
  });

  it('takes the last N calls and a date range (raw YAML with query parameters too)', async () => {
    const last = await (await trainer.request('POST', '/api/scorecards/inbound-support-en/preview', { source: EN_SOURCE, last: 1 })).json() as Preview;
    expect(last.considered).toBe(1);
    const res = await fetch(`${server.url}/api/scorecards/inbound-support-en/preview?to=${encodeURIComponent(new Date(Date.now() - 3_600_000 + 30_000).toISOString())}`, {
      method: 'POST', headers: { cookie: trainer.cookie, 'x-csrf-token': trainer.csrfToken, 'content-type': 'application/yaml' }, body: EN_SOURCE,
    });
    expect(res.status).toBe(200);
    expect((await res.json() as Preview).considered).toBe(1);
  });

  it('rejects a draft that does not validate with line and field, a wrong id, other roles and unknown cards', async () => {
    const bad = EN_SOURCE.replace('passThreshold: 80', 'passThreshold: 180');
    const res = await trainer.request('POST', '/api/scorecards/inbound-support-en/preview', { source: bad });
    expect(res.status).toBe(400);
    const line = EN_SOURCE.split('\n').findIndex((l) => l.startsWith('passThreshold')) + 1;
    expect((await res.json() as { issues: { line: number; field: string }[] }).issues).toContainEqual(expect.objectContaining({ line, field: 'passThreshold' }));
    expect((await trainer.request('POST', '/api/scorecards/outbound-sales/preview', { source: EN_SOURCE })).status).toBe(400);
    expect((await trainer.request('POST', '/api/scorecards/no-such-card/preview', { source: EN_SOURCE.replace('id: inbound-support-en', 'id: no-such-card') })).status).toBe(404);
    expect((await qa.request('POST', '/api/scorecards/inbound-support-en/preview', { source: EN_SOURCE })).status).toBe(403);
  });

  it('validates without scoring (the editor as you type)', async () => {
    const ok = await trainer.request('POST', '/api/scorecards/inbound-support-en/validate', { source: EN_SOURCE });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ valid: true, id: 'inbound-support-en' });
    const bad = await trainer.request('POST', '/api/scorecards/inbound-support-en/validate', { source: EN_SOURCE.replace('weight: 20', 'weight: 25') });
    expect(bad.status).toBe(400);
    const line = EN_SOURCE.split('\n').findIndex((l) => l.startsWith('sections')) + 1;
    expect((await bad.json() as { issues: { line: number; field: string }[] }).issues).toContainEqual(expect.objectContaining({ line, field: 'sections' }));
    const wrongId = await trainer.request('POST', '/api/scorecards/outbound-sales/validate', { source: EN_SOURCE });
    expect((await wrongId.json() as { issues: { field: string }[] }).issues[0]).toMatchObject({ field: 'id' });
    expect((await qa.request('POST', '/api/scorecards/inbound-support-en/validate', { source: EN_SOURCE })).status).toBe(403);
  });
});
