-- QA scorecards and their workflow (issue 4): versioned scorecards, evaluations with per-question answers and
-- evidence, reviews, disputes, coaching items, calibration sessions and re-scoring jobs. docs/scoring.md, "Workflow".

-- A scorecard is named by the `id` in its YAML (e.g. inbound-support-en); its content lives in versions.
create table scorecards (
  id text primary key,
  name text not null,
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now()
);

-- Every edit is a new version: a draft until published, immutable once published (the application only updates
-- drafts). `definition` is the validated card (services/scoring Scorecard) parsed from `source`, the YAML as written.
create table scorecard_versions (
  id uuid primary key default gen_random_uuid(),
  scorecard_id text not null references scorecards(id) on delete cascade,
  version integer not null check (version > 0),
  status text not null check (status in ('draft', 'published')),
  source text not null,
  source_sha256 text not null,
  definition jsonb not null,
  -- Where the source came from: 'api', or the seed file's name.
  origin text not null default 'api',
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  published_by uuid references users(id) on delete set null,
  published_at timestamptz,
  unique (scorecard_id, version),
  check ((status = 'published') = (published_at is not null))
);
create index scorecard_versions_published on scorecard_versions (scorecard_id, published_at desc) where status = 'published';

-- A blind calibration: several reviewers score the same call on the same version; `reference_evaluation_id` is the
-- answer key (an evaluation of kind 'calibration' by the session's owner).
create table calibration_sessions (
  id uuid primary key default gen_random_uuid(),
  call_id uuid not null references calls(id) on delete cascade,
  scorecard_version_id uuid not null references scorecard_versions(id) on delete cascade,
  title text not null default '',
  status text not null default 'open' check (status in ('open', 'closed')),
  reference_evaluation_id uuid,
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  closed_at timestamptz
);

create table rescore_jobs (
  id uuid primary key default gen_random_uuid(),
  scorecard_version_id uuid not null references scorecard_versions(id) on delete cascade,
  -- Calls started in [from_at, to_at).
  from_at timestamptz not null,
  to_at timestamptz not null,
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed', 'cancelled')),
  total integer not null default 0,
  done integer not null default 0,
  failed integer not null default 0,
  error text,
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);

-- kind: 'auto' (at call end or by a re-score job; reviewed in place), 'review' (created by a reviewer),
-- 'calibration' (one reviewer's blind answers in a calibration session).
-- status: auto → reviewed → acknowledged, or → disputed → reviewed again once every dispute is resolved.
-- `auto_result` is the ScoreResult of the automatic answers; `result` the current one (reviewed, re-scored).
create table evaluations (
  id uuid primary key default gen_random_uuid(),
  call_id uuid not null references calls(id) on delete cascade,
  scorecard_version_id uuid not null references scorecard_versions(id) on delete cascade,
  kind text not null check (kind in ('auto', 'review', 'calibration')),
  status text not null check (status in ('auto', 'in-review', 'reviewed', 'acknowledged', 'disputed')),
  reviewer_id uuid references users(id) on delete set null,
  calibration_id uuid references calibration_sessions(id) on delete cascade,
  rescore_job_id uuid references rescore_jobs(id) on delete set null,
  auto_result jsonb,
  result jsonb not null,
  overall double precision,
  passed boolean,
  needs_review boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  reviewed_at timestamptz,
  acknowledged_at timestamptz
);
-- One automatic evaluation per call and version, whichever node or job gets there first.
create unique index evaluations_auto_once on evaluations (call_id, scorecard_version_id) where kind = 'auto';
create unique index evaluations_calibration_once on evaluations (calibration_id, reviewer_id) where kind = 'calibration';
create index evaluations_call on evaluations (call_id);
create index evaluations_created on evaluations (created_at desc);
create index evaluations_version on evaluations (scorecard_version_id, reviewed_at desc);
alter table calibration_sessions add constraint calibration_sessions_reference_fk
  foreign key (reference_evaluation_id) references evaluations(id) on delete set null;

-- Values are JSON: "yes" | "no" | "na" | a number; SQL null = no answer. The answer in force is
-- `reviewed_value` when a reviewer (or an accepted dispute) set one, else `auto_value`.
create table evaluation_answers (
  evaluation_id uuid not null references evaluations(id) on delete cascade,
  question_id text not null,
  position integer not null,
  auto_value jsonb,
  auto_outcome text check (auto_outcome in ('pass', 'fail', 'na', 'unknown')),
  auto_confidence double precision,
  auto_detail text,
  -- [{segmentId, utteranceId, speaker, startMs, endMs, text, note}]
  evidence jsonb not null default '[]',
  needs_review boolean not null default false,
  review_reason text check (review_reason in ('manual', 'low-confidence', 'not-evaluable', 'na-not-allowed')),
  reviewed_value jsonb,
  comment text,
  -- The call time (ms from its start) the comment refers to.
  comment_ms integer check (comment_ms is null or comment_ms >= 0),
  changed_by uuid references users(id) on delete set null,
  changed_at timestamptz,
  primary key (evaluation_id, question_id)
);

create table disputes (
  id uuid primary key default gen_random_uuid(),
  evaluation_id uuid not null references evaluations(id) on delete cascade,
  question_id text not null,
  raised_by uuid references users(id) on delete set null,
  reason text not null,
  -- The answer the agent asks for (optional).
  proposed_value jsonb,
  status text not null default 'open' check (status in ('open', 'accepted', 'rejected')),
  resolution_reason text,
  resolved_value jsonb,
  resolved_by uuid references users(id) on delete set null,
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  foreign key (evaluation_id, question_id) references evaluation_answers(evaluation_id, question_id) on delete cascade
);
create unique index disputes_open_once on disputes (evaluation_id, question_id) where status = 'open';
create index disputes_status on disputes (status, created_at);

create table coaching_items (
  id uuid primary key default gen_random_uuid(),
  agent_id uuid not null references agents(id) on delete cascade,
  call_id uuid references calls(id) on delete set null,
  evaluation_id uuid references evaluations(id) on delete set null,
  question_id text,
  call_ms integer check (call_ms is null or call_ms >= 0),
  note text not null,
  due_date date,
  status text not null default 'open' check (status in ('open', 'done')),
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  done_at timestamptz
);
create index coaching_items_agent on coaching_items (agent_id, status, due_date);
