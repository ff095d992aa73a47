import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessBus } from '../services/live/index.js';
import { createLogger } from '../services/core/index.js';
import { createRescoreRunner } from '../services/scoring/workflow/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import { createRescoreJobRepo, createUserRepo } from '../services/store/index.js';
import { login, type ApiSession } from './helpers/api-session.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { storeEndedCall } from './scoring-helpers.js';

const EN_SOURCE = readFileSync('scorecards/inbound-support-en.yaml', 'utf8');
interface Job { id: string; status: string; total: number; done: number; failed: number; error: string | null; scorecard: { id: string; version: number } }

const day = (d: number) => new Date(Date.UTC(2025, 0, d, 10));

async function finished(api: ApiSession, id: string): Promise<Job> {
  for (let i = 0; i < 300; i++) {
    const job = await (await api.get(`/api/rescore-jobs/${id}`)).json() as Job;
    if (job.status !== 'queued' && job.status !== 'running') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the job never finished');
}

describe('re-scoring past calls', () => {
  let server: TestServer;
  let admin: ApiSession, trainer: ApiSession, qa: ApiSession, agent: ApiSession;
  const inRange: string[] = [];
  let outside: string;

  beforeAll(async () => {
    server = await startTestServer();
    await seedDemo(server.db);
    [admin, trainer, qa, agent] = await Promise.all([
      login(server.url, 'admin', 'admin-demo'), login(server.url, 'trainer', 'trainer-demo'), login(server.url, 'qa', 'qa-demo-1'), login(server.url, 'agent', 'agent-demo'),
    ]);
    for (let i = 0; i < 24; i++) inRange.push(await storeEndedCall(server.db, i % 2 ? 'agent-1001' : 'agent-2001', undefined, { startedAt: new Date(day(1 + (i % 20)).getTime() + i * 1000) }));
    outside = await storeEndedCall(server.db, 'agent-1001', undefined, { startedAt: day(25) });
    // A new version to re-score with: a draft first.
    expect((await trainer.request('POST', '/api/scorecards/inbound-support-en/versions', { source: EN_SOURCE.replace('passThreshold: 80', 'passThreshold: 75') })).status).toBe(201);
  });
  afterAll(async () => { await server?.close(); });

  it('checks roles, the range and that the version is published', async () => {
    const range = { from: day(1).toISOString(), to: day(21).toISOString() };
    expect((await qa.request('POST', '/api/scorecards/inbound-support-en/versions/2/rescore', range)).status).toBe(403);
    expect((await agent.request('POST', '/api/scorecards/inbound-support-en/versions/2/rescore', range)).status).toBe(403);
    expect((await trainer.request('POST', '/api/scorecards/inbound-support-en/versions/2/rescore', range)).status).toBe(409);
    expect((await trainer.request('POST', '/api/scorecards/inbound-support-en/versions/9/rescore', range)).status).toBe(404);
    expect((await trainer.request('POST', '/api/scorecards/inbound-support-en/versions/1/rescore', { from: range.to, to: range.from })).status).toBe(400);
    expect((await trainer.request('POST', '/api/scorecards/inbound-support-en/versions/1/rescore', { from: 'soon' })).status).toBe(400);
    expect((await agent.get('/api/rescore-jobs')).status).toBe(403);
  });

  it('a job re-scores the calls of the range against the version, with progress, and a second run skips them', async () => {
    expect((await trainer.request('POST', '/api/scorecards/inbound-support-en/versions/2/publish')).status).toBe(200);
    const res = await trainer.request('POST', '/api/scorecards/inbound-support-en/versions/2/rescore', { from: day(1).toISOString(), to: day(21).toISOString() });
    expect(res.status).toBe(202);
    const queued = await res.json() as Job;
    expect(res.headers.get('location')).toBe(`/api/rescore-jobs/${queued.id}`);
    expect(queued).toMatchObject({ scorecard: { id: 'inbound-support-en', version: 2 } });
    const job = await finished(qa, queued.id);
    expect(job).toMatchObject({ status: 'done', total: 24, done: 24, failed: 0, error: null });
    const evaluations = await (await qa.get('/api/evaluations?scorecard=inbound-support-en&limit=100')).json() as { items: { callId: string; scorecard: { version: number }; rescoreJobId: string }[] };
    const v2 = evaluations.items.filter((e) => e.scorecard.version === 2);
    expect(v2.map((e) => e.callId).sort()).toEqual([...inRange].sort());
    expect(v2.every((e) => e.rescoreJobId === queued.id)).toBe(true);
    expect(evaluations.items.some((e) => e.callId === outside)).toBe(false);

    const again = await (await admin.request('POST', '/api/scorecards/inbound-support-en/versions/2/rescore', { from: day(1).toISOString(), to: day(21).toISOString() })).json() as Job;
    expect(await finished(admin, again.id)).toMatchObject({ status: 'done', total: 24, done: 24 });
    const after = await (await qa.get('/api/evaluations?scorecard=inbound-support-en&limit=100')).json() as { total: number };
    expect(after.total).toBe(24);
    const list = await (await trainer.get('/api/rescore-jobs?scorecard=inbound-support-en')).json() as { items: { id: string }[] };
    expect(list.items.map((j) => j.id)).toEqual([again.id, queued.id]);
    const audit = await (await admin.get('/api/admin/audit?action=scorecard.rescore_started')).json() as { items: { details: { jobId: string } }[] };
    expect(audit.items.map((a) => a.details.jobId).sort()).toEqual([queued.id, again.id].sort());
  });

  it('keeps the event loop responsive while it runs', async () => {
    const runner = createRescoreRunner({ db: server.db, bus: createInProcessBus(), log: createLogger('silent') });
    const user = (await createUserRepo(server.db).findCredentials('trainer'))!.user;
    let ticks = 0;
    const timer = setInterval(() => { ticks += 1; }, 1);
    // Version 1 has no evaluations in the range: every call is scored.
    const job = await runner.start({ scorecardId: 'inbound-support-en', version: 1, from: day(1), to: day(21), user });
    await runner.idle();
    clearInterval(timer);
    expect(await createRescoreJobRepo(server.db).get(job.id)).toMatchObject({ status: 'done', done: 24 });
    expect(ticks).toBeGreaterThan(3);
    await runner.close();
  });

  it('fails safely on shutdown with the reason and progress, and marks jobs a crash left behind', async () => {
    for (let i = 0; i < 40; i++) await storeEndedCall(server.db, 'agent-1002', undefined, { startedAt: new Date(day(26).getTime() + i * 1000) });
    const runner = createRescoreRunner({ db: server.db, bus: createInProcessBus(), log: createLogger('silent') });
    const user = (await createUserRepo(server.db).findCredentials('trainer'))!.user;
    const job = await runner.start({ scorecardId: 'inbound-support-en', version: 2, from: day(26), to: day(27), user });
    await new Promise((r) => setTimeout(r, 20));
    await runner.close();
    const stopped = (await createRescoreJobRepo(server.db).get(job.id))!;
    expect(stopped.status).toBe('failed');
    expect(stopped.error).toMatch(/^interrupted: the server shut down.*; \d+ of 40 done$/u);
    expect(stopped.done).toBeLessThan(40);
    expect(stopped.finishedAt).not.toBeNull();
    await expect(runner.start({ scorecardId: 'inbound-support-en', version: 2, from: day(26), to: day(27), user })).rejects.toThrow(/shutting down/u);

    // A crash: the row says running, nobody runs it.
    const repo = createRescoreJobRepo(server.db);
    const [{ id: versionId }] = await server.db.query<{ id: string }>(`select id from scorecard_versions where scorecard_id = 'inbound-support-en' and version = 2`);
    const orphan = await repo.insert({ scorecardVersionId: versionId, from: day(26), to: day(27), createdBy: user.id });
    await repo.started(orphan, 40);
    const fresh = createRescoreRunner({ db: server.db, bus: createInProcessBus(), log: createLogger('silent') });
    expect(await fresh.failLeftovers()).toEqual([orphan]);
    expect(await repo.get(orphan)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^interrupted/u) });
    // Running the range again finishes what was left.
    const resumed = await fresh.start({ scorecardId: 'inbound-support-en', version: 2, from: day(26), to: day(27), user });
    await fresh.idle();
    expect(await repo.get(resumed.id)).toMatchObject({ status: 'done', total: 40, done: 40 });
    const [{ n }] = await server.db.query<{ n: number | string }>(
      `select count(*) as n from evaluations e join scorecard_versions v on v.id = e.scorecard_version_id
       join calls c on c.id = e.call_id where v.version = 2 and v.scorecard_id = 'inbound-support-en' and c.started_at >= $1`, [day(26)],
    );
    expect(Number(n)).toBe(40);
    await fresh.close();
  });
});
