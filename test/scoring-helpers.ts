import { randomUUID } from 'node:crypto';
import { evaluateStoredCall } from '../services/scoring/workflow/index.js';
import { createStore, type Db, type EvaluationRecord } from '../services/store/index.js';

export type Line = [speaker: 'agent' | 'customer', text: string, startMs: number, endMs: number];

export const GOOD_CALL: Line[] = [
  ['agent', 'thank you for calling acme my name is chris how can i help', 500, 4500],
  ['customer', 'my bill is wrong', 5000, 6500],
  ['agent', 'i am sorry to hear that can i have your account number please', 7000, 10000],
  ['customer', 'it is four five seven', 10500, 12000],
  ['agent', 'is there anything else i can help you with today', 13000, 16000],
];

/**
 * Stores an ended inbound English call with a final transcript straight through the repositories (no bus event, so the
 * server does not score it by itself). `startedAt` defaults to now.
 */
export async function storeEndedCall(db: Db, agentExternalId: string, lines: Line[] = GOOD_CALL, opts: { startedAt?: Date; transcription?: 'done' | 'pending' } = {}): Promise<string> {
  const store = createStore(db);
  const agent = await store.agents.findOrCreate(agentExternalId);
  const queue = await store.queues.findOrCreate('support');
  const id = randomUUID();
  const startedAt = opts.startedAt ?? new Date();
  await store.calls.insert({
    id, protocol: 'native', externalId: `ext-${id}`, direction: 'inbound', startedAt, sampleRate: 16000, agentId: agent.id, queueId: queue.id, language: 'en-US',
  });
  if (lines.length) {
    await store.transcripts.saveSegments(lines.map(([speaker, text, startMs, endMs], i) => ({
      callId: id, speaker, utteranceId: `u${i}`, text, startMs, endMs, engine: 'test', language: 'en-US',
      words: text.split(' ').map((w, j) => ({ text: w, startMs: startMs + j * 200, endMs: startMs + j * 200 + 180, confidence: 0.95 })),
    })));
  }
  const durationMs = (lines.at(-1)?.[3] ?? 10_000) + 1000;
  await store.calls.finish(id, { status: 'ended', endedAt: new Date(startedAt.getTime() + durationMs), durationMs });
  if ((opts.transcription ?? 'done') === 'done') await store.transcripts.setTranscriptionStatus(id, 'done', { engine: 'test' });
  return id;
}

/** A stored call with its automatic evaluation against the active inbound English card. */
export async function storeEvaluatedCall(db: Db, agentExternalId: string, lines: Line[] = GOOD_CALL): Promise<{ callId: string; evaluation: EvaluationRecord }> {
  const callId = await storeEndedCall(db, agentExternalId, lines);
  const [evaluation] = await evaluateStoredCall(db, callId);
  if (!evaluation) throw new Error('the call was not evaluated');
  return { callId, evaluation };
}
