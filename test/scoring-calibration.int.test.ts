import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScorecard, type AnswerValue } from '../services/scoring/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import { login, type ApiSession } from './helpers/api-session.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { storeEndedCall } from './scoring-helpers.js';

const CARD = parseScorecard(readFileSync('scorecards/inbound-support-en.yaml', 'utf8'));
const QUESTIONS = CARD.sections.flatMap((s) => s.questions);
/** Every question at its best answer, with `changes` applied. */
const answers = (changes: Record<string, AnswerValue> = {}) => QUESTIONS.map((q) => ({
  questionId: q.id, value: changes[q.id] ?? (q.type === 'yes-no' ? 'yes' : q.max),
}));

interface View { id: string; status: string; submissions: number; reviewers: { username: string }[]; visible: { reviewer: { username: string }; reference: boolean; answers: { questionId: string; value: AnswerValue }[] }[] }
interface Report {
  reviewers: number; comparedWith: string;
  agreement: { kappa: number | null; percentAgreement: number };
  questions: { questionId: string; consensus: AnswerValue | null; reference: AnswerValue | null; percentAgreement: number; pairAgreement: number; kappa: number | null; answers: Record<string, AnswerValue> }[];
  deviations: { reviewer: { username: string }; compared: number; matched: number; matchRate: number; overallDeviation: number; differences: { questionId: string }[] }[];
  overall: { n: number; min: number; max: number; stddev: number; mean: number; reference: number | null };
}

describe('calibration sessions', () => {
  let server: TestServer;
  let admin: ApiSession, qa: ApiSession, qa2: ApiSession, qa3: ApiSession, trainer: ApiSession, supervisor: ApiSession;
  let callId: string;
  let session: string;
  let qa3Evaluation: string;

  beforeAll(async () => {
    server = await startTestServer();
    await seedDemo(server.db);
    admin = await login(server.url, 'admin', 'admin-demo');
    for (const name of ['qa2', 'qa3']) {
      const res = await admin.request('POST', '/api/admin/users', { username: name, displayName: name, role: 'qa', password: `${name}-password-1` });
      expect(res.status).toBe(201);
    }
    [qa, qa2, qa3, trainer, supervisor] = await Promise.all([
      login(server.url, 'qa', 'qa-demo-1'), login(server.url, 'qa2', 'qa2-password-1'), login(server.url, 'qa3', 'qa3-password-1'),
      login(server.url, 'trainer', 'trainer-demo'), login(server.url, 'supervisor', 'supervisor-demo'),
    ]);
    callId = await storeEndedCall(server.db, 'agent-1001');
  });
  afterAll(async () => { await server?.close(); });

  it('QA opens a session on a call and a published version; other roles cannot', async () => {
    const body = { callId, scorecardId: 'inbound-support-en', title: 'March calibration' };
    expect((await trainer.request('POST', '/api/calibrations', body)).status).toBe(403);
    expect((await supervisor.get('/api/calibrations')).status).toBe(403);
    expect((await qa.request('POST', '/api/calibrations', { ...body, version: 9 })).status).toBe(404);
    expect((await qa.request('POST', '/api/calibrations', { ...body, callId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    const res = await qa.request('POST', '/api/calibrations', body);
    expect(res.status).toBe(201);
    const created = await res.json() as { id: string; status: string; scorecard: { version: number } };
    expect(created).toMatchObject({ status: 'open', scorecard: { id: 'inbound-support-en', version: 1 }, title: 'March calibration', submissions: 0 });
    session = created.id;
    const list = await (await qa2.get('/api/calibrations?status=open')).json() as { items: { id: string }[] };
    expect(list.items.map((s) => s.id)).toEqual([session]);
  });

  it('reviewers score blind: each sees only their own answers while the session is open', async () => {
    expect((await qa.request('POST', `/api/calibrations/${session}/answers`, { answers: answers().slice(1) })).status).toBe(400);
    expect((await qa.request('POST', `/api/calibrations/${session}/answers`, { answers: answers({ greeting: 7 }) })).status).toBe(400);
    expect((await qa.request('POST', `/api/calibrations/${session}/answers`, { answers: answers({ greeting: 'no' }) })).status).toBe(200);
    // A second submission replaces the first.
    expect((await qa.request('POST', `/api/calibrations/${session}/answers`, { answers: answers() })).status).toBe(200);
    expect((await qa2.request('POST', `/api/calibrations/${session}/answers`, { answers: answers({ greeting: 'no' }) })).status).toBe(200);
    const res = await qa3.request('POST', `/api/calibrations/${session}/answers`, { answers: answers({ greeting: 'no', empathy: 3 }) });
    expect(res.status).toBe(200);
    const { evaluationId, session: view } = await res.json() as { evaluationId: string; session: View };
    expect(view.submissions).toBe(3);
    expect(view.reviewers.map((r) => r.username)).toEqual(['qa', 'qa2', 'qa3']);
    expect(view.visible).toHaveLength(1);
    expect(view.visible[0]).toMatchObject({ reviewer: { username: 'qa3' }, reference: false });
    const seenByQa = await (await qa.get(`/api/calibrations/${session}`)).json() as View;
    expect(seenByQa.visible.map((s) => s.reviewer.username)).toEqual(['qa']);
    expect(seenByQa.visible[0].answers.find((a) => a.questionId === 'greeting')!.value).toBe('yes');
    // The answers are evaluations of kind 'calibration', kept out of evaluation lists and the agent's view.
    const listed = await (await qa.get(`/api/evaluations?callId=${callId}`)).json() as { total: number };
    expect(listed.total).toBe(0);
    const e = await (await admin.get(`/api/evaluations/${evaluationId}`)).json() as { kind: string; reviewer: { username: string } };
    expect(e).toMatchObject({ kind: 'calibration', reviewer: { username: 'qa3' } });
    // Blind through the evaluations API too: other reviewers (the session's creator included) cannot open it.
    expect((await qa.get(`/api/evaluations/${evaluationId}`)).status).toBe(404);
    expect((await qa2.get(`/api/evaluations/${evaluationId}`)).status).toBe(404);
    expect((await qa3.get(`/api/evaluations/${evaluationId}`)).status).toBe(200);
    qa3Evaluation = evaluationId;
    expect((await qa.get(`/api/calibrations/${session}/report`)).status).toBe(409);
  });

  it('the answer key is set by the creator or an admin, not by a reviewer of the session', async () => {
    expect((await qa2.request('PUT', `/api/calibrations/${session}/reference`, { answers: answers() })).status).toBe(403);
    // qa created the session but answered as a reviewer.
    expect((await qa.request('PUT', `/api/calibrations/${session}/reference`, { answers: answers() })).status).toBe(409);
    expect((await admin.request('PUT', `/api/calibrations/${session}/reference`, { answers: answers({ greeting: 'no', empathy: 4 }) })).status).toBe(200);
    const view = await (await qa.get(`/api/calibrations/${session}`)).json() as View;
    expect(view.submissions).toBe(3);
    expect(view.visible.map((s) => s.reviewer.username)).toEqual(['qa']);
  });

  it('closing reveals every answer; the report gives agreement, kappa, deviation from the key and score spread', async () => {
    expect((await qa2.request('POST', `/api/calibrations/${session}/close`)).status).toBe(403);
    const closed = await qa.request('POST', `/api/calibrations/${session}/close`);
    expect(closed.status).toBe(200);
    const view = await closed.json() as View;
    expect(view.status).toBe('closed');
    expect((await qa2.get(`/api/evaluations/${qa3Evaluation}`)).status).toBe(200);
    expect(view.visible.map((s) => [s.reviewer.username, s.reference])).toEqual([['qa', false], ['qa2', false], ['qa3', false], ['admin', true]]);
    expect((await qa.request('POST', `/api/calibrations/${session}/close`)).status).toBe(409);
    expect((await qa2.request('POST', `/api/calibrations/${session}/answers`, { answers: answers() })).status).toBe(409);

    const report = await (await qa2.get(`/api/calibrations/${session}/report`)).json() as Report;
    expect(report).toMatchObject({ reviewers: 3, comparedWith: 'reference' });
    const greeting = report.questions.find((q) => q.questionId === 'greeting')!;
    expect(greeting).toMatchObject({ answers: { qa: 'yes', qa2: 'no', qa3: 'no' }, consensus: 'no', reference: 'no' });
    expect(greeting.percentAgreement).toBeCloseTo(2 / 3, 10);
    expect(greeting.pairAgreement).toBeCloseTo(1 / 3, 10);
    const clarity = report.questions.find((q) => q.questionId === 'clarity')!;
    expect(clarity).toMatchObject({ percentAgreement: 1, pairAgreement: 1 });
    // Every question a subject, categories pooled: P̄ = ((n − 2)·1 + 1·⅓ + 1·⅓) / n, chance agreement from the category shares.
    const n = QUESTIONS.length;
    const shares = new Map<string, number>();
    for (const q of QUESTIONS) {
      const given = { greeting: ['yes', 'no', 'no'], empathy: ['5', '5', '3'] }[q.id] ?? Array(3).fill(String(q.type === 'yes-no' ? 'yes' : q.max));
      for (const v of given) shares.set(v, (shares.get(v) ?? 0) + 1);
    }
    const pe = [...shares.values()].reduce((a, c) => a + (c / (3 * n)) ** 2, 0);
    const pbar = (n - 2 + 2 / 3) / n;
    expect(report.agreement.kappa).toBeCloseTo((pbar - pe) / (1 - pe), 10);
    expect(greeting.kappa).toBeCloseTo((1 / 3 - pe) / (1 - pe), 10);

    const byName = Object.fromEntries(report.deviations.map((d) => [d.reviewer.username, d]));
    expect(byName.qa).toMatchObject({ compared: n, matched: n - 2 });
    expect(byName.qa.differences.map((d) => d.questionId).sort()).toEqual(['empathy', 'greeting']);
    expect(byName.qa2).toMatchObject({ matched: n - 1, differences: [{ questionId: 'empathy' }] });
    expect(byName.qa3.differences.map((d) => d.questionId)).toEqual(['empathy']);
    expect(report.overall.n).toBe(3);
    expect(report.overall.max).toBeGreaterThan(report.overall.min);
    expect(report.overall.stddev).toBeGreaterThan(0);
    expect(byName.qa.overallDeviation).toBeCloseTo(report.overall.max - report.overall.reference!, 10);

    const audit = await (await admin.get(`/api/admin/audit?targetType=calibration&targetId=${session}`)).json() as { items: { action: string }[] };
    expect(audit.items.map((a) => a.action).sort()).toEqual([
      'calibration.closed', 'calibration.created', 'calibration.reference_set', 'calibration.submitted', 'calibration.submitted', 'calibration.submitted', 'calibration.submitted',
    ]);
  });

  it('without an answer key, reviewers are compared with the consensus', async () => {
    const res = await qa2.request('POST', '/api/calibrations', { callId, scorecardId: 'inbound-support-en' });
    const { id } = await res.json() as { id: string };
    await qa.request('POST', `/api/calibrations/${id}/answers`, { answers: answers() });
    await qa2.request('POST', `/api/calibrations/${id}/answers`, { answers: answers() });
    await qa3.request('POST', `/api/calibrations/${id}/answers`, { answers: answers({ greeting: 'no' }) });
    expect((await qa2.request('POST', `/api/calibrations/${id}/close`)).status).toBe(200);
    const report = await (await admin.get(`/api/calibrations/${id}/report`)).json() as Report;
    expect(report.comparedWith).toBe('consensus');
    const byName = Object.fromEntries(report.deviations.map((d) => [d.reviewer.username, d]));
    const n = QUESTIONS.length;
    expect(byName.qa).toMatchObject({ matched: n, matchRate: 1, differences: [] });
    expect(byName.qa3).toMatchObject({ matched: n - 1, differences: [{ questionId: 'greeting' }] });
    expect(byName.qa3.overallDeviation).toBeLessThan(0);
    expect(report.overall.reference).toBeNull();
  });
});
