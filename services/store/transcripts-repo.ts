import type { Channel } from '../calls/index.js';
import { ValidationError } from '../core/index.js';
import { normalizePersian, type CallSentiment, type ConversationMetrics, type SentimentLabel, type SentimentScore, type TranscriptSegment, type Word } from '../speech/index.js';
import { isUuid, type Page, type PageRequest, type Queryable } from './rows.js';
import type { CallScope } from './scope.js';
import { searchTranscripts, type SearchHit, type TranscriptSearch } from './transcript-search.js';
import type { LostRange, TranscriptionStatus } from './transcription.js';

/**
 * A final segment to store (a `TranscriptSegment` fits). The utterance id is the key: storing the same
 * utterance again replaces it. `sentiment`, when given, is stored with it; when omitted an earlier score stays.
 */
export type SegmentInput = Pick<TranscriptSegment, 'callId' | 'speaker' | 'utteranceId' | 'text' | 'startMs' | 'endMs' | 'words' | 'engine' | 'language'> & {
  /** Partials are not stored: only finals (or segments without the flag). */
  final?: boolean;
  sentiment?: SentimentScore | null;
};

/** A stored segment as the transcript view and scoring read it. */
export interface StoredSegment {
  id: string;
  callId: string;
  utteranceId: string;
  speaker: Channel;
  startMs: number;
  endMs: number;
  text: string;
  words: Word[];
  engine: string;
  language: string;
  /** Mean word confidence; null without words. */
  confidence: number | null;
  sentiment: SentimentScore | null;
}

export interface StoredMetrics {
  callId: string;
  metrics: ConversationMetrics | null;
  sentiment: CallSentiment | null;
  updatedAt: Date;
}

/** Words as stored in `transcript_segments.words`: compact keys, one object per word. */
interface WordJson { w: string; s: number; e: number; c: number }

interface SegmentRow {
  id: string; call_id: string; utterance_id: string; speaker: Channel; start_ms: number; end_ms: number; text: string;
  words: WordJson[]; engine: string; language: string; confidence: number | null;
  sentiment_score: number | null; sentiment_label: SentimentLabel | null; sentiment_engine: string | null;
}

const toSegment = (r: SegmentRow): StoredSegment => ({
  id: r.id, callId: r.call_id, utteranceId: r.utterance_id, speaker: r.speaker, startMs: r.start_ms, endMs: r.end_ms, text: r.text,
  words: r.words.map((w) => ({ text: w.w, startMs: w.s, endMs: w.e, confidence: w.c })),
  engine: r.engine, language: r.language, confidence: r.confidence,
  sentiment: r.sentiment_label && r.sentiment_score !== null
    ? { score: r.sentiment_score, label: r.sentiment_label, engine: r.sentiment_engine ?? '' } : null,
});

/** The text the full-text index sees: Persian spelling variants, ZWNJ and spacing made canonical (English unchanged). */
export const searchText = (text: string): string => normalizePersian(text);

function checkCallId(callId: string): void {
  if (!isUuid(callId)) throw new ValidationError(`call id ${JSON.stringify(callId)} is not a UUID`, 'callId');
}

function segmentJson(s: SegmentInput) {
  checkCallId(s.callId);
  if (s.final === false) throw new ValidationError(`segment ${s.utteranceId} is a partial: only final segments are stored`, 'final');
  const confidence = s.words.length ? s.words.reduce((sum, w) => sum + w.confidence, 0) / s.words.length : null;
  return {
    call_id: s.callId, utterance_id: s.utteranceId, speaker: s.speaker, start_ms: Math.round(s.startMs), end_ms: Math.round(s.endMs),
    text: s.text, search_text: searchText(s.text), engine: s.engine, language: s.language, confidence,
    words: s.words.map((w): WordJson => ({ w: w.text, s: Math.round(w.startMs), e: Math.round(w.endMs), c: w.confidence })),
    sentiment_score: s.sentiment?.score ?? null, sentiment_label: s.sentiment?.label ?? null, sentiment_engine: s.sentiment?.engine ?? null,
  };
}

const SEGMENT_COLUMNS = 'id, call_id, utterance_id, speaker, start_ms, end_ms, text, words, engine, language, confidence, sentiment_score, sentiment_label, sentiment_engine';

const UPSERT = `
  insert into transcript_segments (call_id, utterance_id, speaker, start_ms, end_ms, text, search_text, words, engine, language,
    confidence, sentiment_score, sentiment_label, sentiment_engine)
  select x.call_id, x.utterance_id, x.speaker, x.start_ms, x.end_ms, x.text, x.search_text, x.words, x.engine, x.language,
    x.confidence, x.sentiment_score, x.sentiment_label, x.sentiment_engine
  from jsonb_to_recordset($1::jsonb) as x(call_id uuid, utterance_id text, speaker text, start_ms integer, end_ms integer, text text,
    search_text text, words jsonb, engine text, language text, confidence double precision, sentiment_score double precision,
    sentiment_label text, sentiment_engine text)
  where exists (select 1 from calls where calls.id = x.call_id)
  on conflict (call_id, utterance_id) do update set
    speaker = excluded.speaker, start_ms = excluded.start_ms, end_ms = excluded.end_ms, text = excluded.text,
    search_text = excluded.search_text, words = excluded.words, engine = excluded.engine, language = excluded.language,
    confidence = excluded.confidence,
    sentiment_score = coalesce(excluded.sentiment_score, transcript_segments.sentiment_score),
    sentiment_label = coalesce(excluded.sentiment_label, transcript_segments.sentiment_label),
    sentiment_engine = coalesce(excluded.sentiment_engine, transcript_segments.sentiment_engine)
  returning id`;

/** Speech results of calls: transcript segments, metrics and sentiment, transcription status, and search over transcripts. */
export function createTranscriptRepo(db: Queryable) {
  /**
   * Stores final segments (insert, or replace the stored one with the same call and utterance id). Segments of
   * unknown calls are skipped; returns how many were stored. Throws ValidationError for a partial or a non-UUID call id.
   */
  async function saveSegments(segments: readonly SegmentInput[]): Promise<number> {
    if (!segments.length) return 0;
    const byKey = new Map<string, ReturnType<typeof segmentJson>>();
    for (const s of segments) byKey.set(`${s.callId} ${s.utteranceId}`, segmentJson(s));
    const rows = await db.query(UPSERT, [JSON.stringify([...byKey.values()])]);
    return rows.length;
  }
  return {
    saveSegments,
    /** One segment (see saveSegments); false when the call is unknown. */
    async saveSegment(segment: SegmentInput): Promise<boolean> {
      return (await saveSegments([segment])) === 1;
    },
    /** Sets the sentiment of a stored segment (scored after it was stored); false when there is no such segment. */
    async setSegmentSentiment(callId: string, utteranceId: string, sentiment: SentimentScore): Promise<boolean> {
      if (!isUuid(callId)) return false;
      const rows = await db.query(
        `update transcript_segments set sentiment_score = $3, sentiment_label = $4, sentiment_engine = $5
         where call_id = $1 and utterance_id = $2 returning id`,
        [callId, utteranceId, sentiment.score, sentiment.label, sentiment.engine],
      );
      return rows.length > 0;
    },
    /** The call's segments in time order (both speakers interleaved), with their words. Not scoped: check the call first. */
    async listSegments(callId: string): Promise<StoredSegment[]> {
      if (!isUuid(callId)) return [];
      const rows = await db.query<SegmentRow>(
        `select ${SEGMENT_COLUMNS} from transcript_segments where call_id = $1 order by start_ms, end_ms, speaker, utterance_id`, [callId],
      );
      return rows.map(toSegment);
    },
    /** listSegments for several calls in one query: each call's segments in time order (calls without any are left out). */
    async listSegmentsOfCalls(callIds: readonly string[]): Promise<Map<string, StoredSegment[]>> {
      const out = new Map<string, StoredSegment[]>();
      const valid = callIds.filter(isUuid);
      if (!valid.length) return out;
      const rows = await db.query<SegmentRow>(
        `select ${SEGMENT_COLUMNS} from transcript_segments where call_id = any($1::uuid[])
         order by call_id, start_ms, end_ms, speaker, utterance_id`, [valid],
      );
      for (const r of rows) {
        const list = out.get(r.call_id);
        if (list) list.push(toSegment(r));
        else out.set(r.call_id, [toSegment(r)]);
      }
      return out;
    },
    /**
     * Stores the call's conversation metrics and/or sentiment summary; a part left out keeps its stored value.
     * False when the call is unknown.
     */
    async saveMetrics(callId: string, data: { metrics?: ConversationMetrics; sentiment?: CallSentiment }): Promise<boolean> {
      if (!isUuid(callId)) return false;
      const rows = await db.query(
        `insert into call_metrics (call_id, metrics, sentiment, updated_at)
         select $1, $2::jsonb, $3::jsonb, now() where exists (select 1 from calls where id = $1)
         on conflict (call_id) do update set metrics = coalesce(excluded.metrics, call_metrics.metrics),
           sentiment = coalesce(excluded.sentiment, call_metrics.sentiment), updated_at = now()
         returning call_id`,
        [callId, data.metrics ? JSON.stringify(data.metrics) : null, data.sentiment ? JSON.stringify(data.sentiment) : null],
      );
      return rows.length > 0;
    },
    /** The stored metrics and sentiment summary; undefined before any were saved. Not scoped: check the call first. */
    async getMetrics(callId: string): Promise<StoredMetrics | undefined> {
      if (!isUuid(callId)) return undefined;
      const [row] = await db.query<{ call_id: string; metrics: ConversationMetrics | null; sentiment: CallSentiment | null; updated_at: Date }>(
        'select call_id, metrics, sentiment, updated_at from call_metrics where call_id = $1', [callId],
      );
      return row ? { callId: row.call_id, metrics: row.metrics, sentiment: row.sentiment, updatedAt: row.updated_at } : undefined;
    },
    /** getMetrics for several calls in one query (calls without stored metrics are left out). */
    async getMetricsOfCalls(callIds: readonly string[]): Promise<Map<string, StoredMetrics>> {
      const valid = callIds.filter(isUuid);
      if (!valid.length) return new Map();
      const rows = await db.query<{ call_id: string; metrics: ConversationMetrics | null; sentiment: CallSentiment | null; updated_at: Date }>(
        'select call_id, metrics, sentiment, updated_at from call_metrics where call_id = any($1::uuid[])', [valid],
      );
      return new Map(rows.map((r) => [r.call_id, { callId: r.call_id, metrics: r.metrics, sentiment: r.sentiment, updatedAt: r.updated_at }]));
    },
    /**
     * Sets the call's transcription status. The note is replaced (omitted = cleared), the engine only when given.
     * False when the call is unknown.
     */
    async setTranscriptionStatus(callId: string, status: TranscriptionStatus, opts: { note?: string | null; engine?: string } = {}): Promise<boolean> {
      if (!isUuid(callId)) return false;
      const rows = await db.query(
        'update calls set transcription_status = $2, transcription_note = $3, asr_engine = coalesce($4, asr_engine) where id = $1 returning id',
        [callId, status, opts.note ?? null, opts.engine ?? null],
      );
      return rows.length > 0;
    },
    /** Records call time that was not transcribed (an ASR `lost` result). The same range twice is kept once. False when the call is unknown. */
    async addLostRange(callId: string, range: LostRange): Promise<boolean> {
      if (!isUuid(callId)) return false;
      const entry = JSON.stringify([{ speaker: range.speaker, fromMs: Math.round(range.fromMs), toMs: Math.round(range.toMs), reason: range.reason }]);
      const rows = await db.query(
        `update calls set transcription_lost = case when transcription_lost @> $2::jsonb then transcription_lost else transcription_lost || $2::jsonb end
         where id = $1 returning id`,
        [callId, entry],
      );
      return rows.length > 0;
    },
    /** Full-text search over the transcripts of the calls `scope` may see; best matches first. */
    search(query: TranscriptSearch, scope: CallScope, page: PageRequest): Promise<Page<SearchHit>> {
      return searchTranscripts(db, query, scope, page);
    },
  };
}

export type TranscriptRepo = ReturnType<typeof createTranscriptRepo>;
