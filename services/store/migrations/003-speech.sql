-- Speech results: final transcript segments with word timings and sentiment, per-call metrics, transcription status.

-- How far a call's transcription got. `transcription_lost` lists call time that was not transcribed
-- ([{speaker, fromMs, toMs, reason}], from the recognizer's `lost` results).
alter table calls
  add column transcription_status text not null default 'pending'
    check (transcription_status in ('pending', 'running', 'done', 'not-transcribed', 'failed')),
  add column transcription_note text,
  add column asr_engine text,
  add column transcription_lost jsonb not null default '[]';

-- One row per final utterance of one speaker. Words are kept on the row as [{w, s, e, c}] (text, start ms,
-- end ms, confidence): the review player and scoring evidence always read a segment with its words.
-- `search_text` is `text` normalised for matching (Persian letter variants, ZWNJ, spacing; see
-- normalizePersian); `tsv` indexes it twice: 'simple' (exact words, any script, no stop words) and
-- 'english' (stems), and queries match either.
create table transcript_segments (
  id uuid primary key default gen_random_uuid(),
  call_id uuid not null references calls(id) on delete cascade,
  utterance_id text not null,
  speaker text not null check (speaker in ('agent', 'customer')),
  start_ms integer not null,
  end_ms integer not null,
  text text not null,
  search_text text not null,
  words jsonb not null default '[]',
  engine text not null,
  language text not null,
  confidence double precision,
  sentiment_score double precision,
  sentiment_label text check (sentiment_label in ('negative', 'neutral', 'positive')),
  sentiment_engine text,
  created_at timestamptz not null default now(),
  tsv tsvector generated always as (to_tsvector('simple', search_text) || to_tsvector('english', search_text)) stored,
  unique (call_id, utterance_id)
);
create index transcript_segments_call on transcript_segments (call_id, start_ms);
create index transcript_segments_tsv on transcript_segments using gin (tsv);

create table call_metrics (
  call_id uuid primary key references calls(id) on delete cascade,
  metrics jsonb,
  sentiment jsonb,
  updated_at timestamptz not null default now()
);
