import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../services/config/index.js';
import { createLogger } from '../services/core/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import { startServer, type RunningServer } from '../services/server/server.js';
import { createEvaluationRepo, createStore, type Db } from '../services/store/index.js';
import { openTestDb } from './helpers/db.js';
import { storeEndedCall } from './scoring-helpers.js';

async function evaluationsOf(db: Db, callId: string, wanted = 1) {
  for (let i = 0; i < 100; i++) {
    const page = await createEvaluationRepo(db).list({ callId }, { kind: 'all' }, { limit: 10, offset: 0 });
    if (page.items.length >= wanted) return page.items;
    await new Promise((r) => setTimeout(r, 50));
  }
  return [];
}

describe('scoring gaps: missed calls at start-up, calls with speech off', () => {
  let db: Db & { url?: string };
  let dataDir: string;
  let server: RunningServer | undefined;
  const start = () => startServer(
    loadConfig({}, { host: '127.0.0.1', port: 0, dataDir, logLevel: 'silent', speech: { enabled: false } }), { db, log: createLogger('silent') },
  );

  beforeAll(async () => {
    db = await openTestDb();
    dataDir = mkdtempSync(join(tmpdir(), 'callsight-gaps-'));
  });
  afterAll(async () => {
    await server?.close();
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('scores at start-up the ended, transcribed calls that have no automatic evaluation', async () => {
    server = await start();
    await seedDemo(db);
    // Stored as if the server had stopped before scoring them (no bus event reached auto-scoring).
    const missed = await storeEndedCall(db, 'agent-1001');
    const old = await storeEndedCall(db, 'agent-1001', undefined, { startedAt: new Date(Date.now() - 30 * 86_400_000) });
    await new Promise((r) => setTimeout(r, 200));
    expect(await createEvaluationRepo(db).list({ callId: missed }, { kind: 'all' }, { limit: 10, offset: 0 })).toMatchObject({ total: 0 });
    await server.close();
    server = await start();
    const [evaluation] = await evaluationsOf(db, missed);
    expect(evaluation).toMatchObject({ kind: 'auto', scorecard: { id: 'inbound-support-en' } });
    // Outside the look-back window: left alone.
    expect((await createEvaluationRepo(db).list({ callId: old }, { kind: 'all' }, { limit: 10, offset: 0 })).total).toBe(0);
  });

  it('with speech off, scores a call at its end; transcript questions go to review as not evaluable', async () => {
    const store = createStore(db);
    const agent = await store.agents.findOrCreate('agent-1002');
    const queue = await store.queues.findOrCreate('support');
    const id = randomUUID();
    await store.calls.insert({ id, protocol: 'native', externalId: `ext-${id}`, direction: 'inbound', startedAt: new Date(), sampleRate: 8000, agentId: agent.id, queueId: queue.id, language: 'en-US' });
    await store.calls.finish(id, { status: 'ended', endedAt: new Date(), durationMs: 60_000 });
    const events: string[] = [];
    server!.bus.subscribe((e) => { if (e.callId === id) events.push(e.type === 'transcription.changed' ? `${e.type}:${e.status}` : e.type); });
    server!.bus.publish({ type: 'call.ended', callId: id, at: new Date().toISOString(), status: 'ended', durationMs: 60_000 });
    const [evaluation] = await evaluationsOf(db, id);
    expect(evaluation).toMatchObject({ kind: 'auto', needsReview: true });
    const answers = await createEvaluationRepo(db).answers(evaluation.id);
    expect(answers.find((a) => a.questionId === 'greeting')).toMatchObject({ autoValue: null, needsReview: true, reviewReason: 'not-evaluable' });
    const [row] = await db.query<{ transcription_status: string; transcription_note: string | null }>('select transcription_status, transcription_note from calls where id = $1', [id]);
    expect(row.transcription_status).toBe('not-transcribed');
    expect(events).toEqual(['call.ended', 'transcription.changed:not-transcribed', 'evaluation.created']);
  });
});
