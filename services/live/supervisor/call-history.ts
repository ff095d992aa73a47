import { createTranscriptRepo, type Queryable } from '../../store/index.js';
import type { LiveCall } from './call-directory.js';
import type { CallSnapshot } from './protocol.js';

type Segment = CallSnapshot['transcript'][number];

/**
 * What a late subscriber gets first: the stored final segments merged with the finals seen on the bus but maybe
 * not stored yet (same utterance id: the stored one wins), and the latest metrics and
 * sentiment summary held in memory, else the stored ones.
 */
export async function loadCallHistory(db: Queryable, call: LiveCall): Promise<Omit<CallSnapshot, 'call'>> {
  const repo = createTranscriptRepo(db);
  const [stored, storedMetrics] = await Promise.all([
    repo.listSegments(call.callId),
    call.metrics && call.sentiment ? undefined : repo.getMetrics(call.callId),
  ]);
  const byUtterance = new Map<string, Segment>();
  for (const { segment: s, sentiment } of call.finals.values()) {
    byUtterance.set(s.utteranceId, { utteranceId: s.utteranceId, speaker: s.speaker, startMs: s.startMs, endMs: s.endMs, text: s.text, sentiment });
  }
  for (const s of stored) {
    const sentiment = s.sentiment ?? byUtterance.get(s.utteranceId)?.sentiment ?? null;
    byUtterance.set(s.utteranceId, { utteranceId: s.utteranceId, speaker: s.speaker, startMs: s.startMs, endMs: s.endMs, text: s.text, sentiment });
  }
  const transcript = [...byUtterance.values()].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  return {
    transcript,
    metrics: call.metrics ?? storedMetrics?.metrics ?? null,
    sentiment: call.sentiment ?? storedMetrics?.sentiment ?? null,
  };
}
