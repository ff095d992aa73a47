import type { Channel } from '../calls/index.js';
import { normalizePersian } from '../speech/index.js';
import { CALL_JOINS, callFilterWhere, type CallFilter } from './calls-repo.js';
import { toNumber, type Page, type PageRequest, type Queryable } from './rows.js';
import type { CallScope } from './scope.js';

/**
 * A transcript search: `q` in web-search syntax (words are ANDed; "quoted phrase", `or`, `-word`), matched
 * against exact words and English stems, Persian spelling variants folded. The call filters apply too.
 */
export interface TranscriptSearch extends CallFilter {
  q: string;
  speaker?: Channel;
}

export interface SearchHit {
  segmentId: string;
  callId: string;
  utteranceId: string;
  speaker: Channel;
  startMs: number;
  endMs: number;
  /** The segment as recognised. */
  text: string;
  /**
   * The matching stretch of the segment with each match in `<mark>…</mark>`; everything else is HTML-escaped.
   * Taken from the normalised text (Persian ZWNJ and letter variants folded), so it may differ slightly from `text`.
   */
  snippet: string;
  rank: number;
  language: string;
  call: {
    startedAt: Date;
    agent: { id: string; externalId: string; displayName: string } | null;
    queue: string | null;
  };
}

/** True when `q` has something to search for (a letter or digit), e.g. to reject "?!" with a clear message. */
export function isSearchable(q: string): boolean {
  return /[\p{L}\p{N}]/u.test(normalizePersian(q));
}

/**
 * Private-use characters (never in recognised text) as highlight markers, and as stand-ins for < and > while
 * ts_headline runs: its parser would otherwise take "<…>" for an HTML tag and drop it.
 */
const START = '\uE000';
const STOP = '\uE001';
const LT = '\uE002';
const GT = '\uE003';
const HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12, ShortWord=0, MaxFragments=2, FragmentDelimiter=" … "`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function markSnippet(headline: string): string {
  return escapeHtml(headline).replaceAll(START, '<mark>').replaceAll(STOP, '</mark>').replaceAll(LT, '&#60;').replaceAll(GT, '&#62;');
}

interface HitRow {
  id: string; call_id: string; utterance_id: string; speaker: Channel; start_ms: number; end_ms: number; text: string; language: string;
  rank: number; started_at: Date; agent_id: string | null; agent_external_id: string | null; agent_display_name: string | null;
  queue_name: string | null; headline: string;
}

/** Matching segments of calls in `scope`, best rank first (then newest call, then time in call), with the total. */
export async function searchTranscripts(db: Queryable, search: TranscriptSearch, scope: CallScope, page: PageRequest): Promise<Page<SearchHit>> {
  const { q, speaker, ...filter } = search;
  const w = callFilterWhere(filter, scope);
  const text = w.param(normalizePersian(q));
  w.add('s.tsv @@ tsq.query');
  if (speaker) w.add(`s.speaker = ${w.param(speaker)}`);
  const withQuery = `with tsq as (select websearch_to_tsquery('simple', ${text}) || websearch_to_tsquery('english', ${text}) as query)`;
  const from = `from tsq, ${CALL_JOINS} join transcript_segments s on s.call_id = c.id`;

  const [{ n }] = await db.query<{ n: number | string }>(`${withQuery} select count(*) as n ${from} ${w.sql()}`, w.params);
  const options = w.param(HEADLINE_OPTIONS);
  const brackets = w.param(LT + GT);
  const start = w.param(START);
  const rows = await db.query<HitRow>(
    `${withQuery}, hits as (
       select s.id, s.call_id, s.utterance_id, s.speaker, s.start_ms, s.end_ms, s.text, s.search_text, s.language,
         ts_rank(s.tsv, tsq.query)::float8 as rank, c.started_at, c.agent_id, a.external_id as agent_external_id,
         a.display_name as agent_display_name, q.name as queue_name
       ${from} ${w.sql()}
       order by rank desc, c.started_at desc, s.start_ms, s.id
       limit ${w.param(page.limit)} offset ${w.param(page.offset)})
     select hits.*, case when strpos(h.english, ${start}) > 0 then h.english
         else ts_headline('simple', d.doc, tsq.query, ${options}) end as headline
     from hits, tsq, lateral (select translate(hits.search_text, '<>', ${brackets}) as doc) d,
       lateral (select ts_headline('english', d.doc, tsq.query, ${options}) as english) h
     order by rank desc, started_at desc, start_ms, id`,
    w.params,
  );
  return {
    items: rows.map((r) => ({
      segmentId: r.id, callId: r.call_id, utteranceId: r.utterance_id, speaker: r.speaker, startMs: r.start_ms, endMs: r.end_ms,
      text: r.text, snippet: markSnippet(r.headline), rank: r.rank, language: r.language,
      call: {
        startedAt: r.started_at,
        agent: r.agent_id ? { id: r.agent_id, externalId: r.agent_external_id ?? '', displayName: r.agent_display_name ?? '' } : null,
        queue: r.queue_name,
      },
    })),
    total: toNumber(n),
    limit: page.limit,
    offset: page.offset,
  };
}
