-- Coaching notes on a call: a supervisor's, QA reviewer's or admin's remark at a moment of the call (`at_ms`, ms from
-- its start), written while the call is live or afterwards. Read within the call's scope (docs: /api/calls/:id/notes).
create table call_notes (
  id uuid primary key default gen_random_uuid(),
  call_id uuid not null references calls(id) on delete cascade,
  author_id uuid references users(id) on delete set null,
  at_ms integer not null check (at_ms >= 0),
  text text not null check (char_length(text) between 1 and 2000),
  created_at timestamptz not null default now()
);
create index call_notes_call on call_notes (call_id, at_ms);
