-- Analytics (issue 6): CSAT survey results and an index for the repeat-call rate.

-- Customer satisfaction survey results the phone platform (or an admin) posts for a call: POST /api/calls/:id/csat.
-- One result per call: posting again replaces it (a platform retrying a post must not count twice).
-- `tap_key_id` names the platform credential that posted it, `posted_by` the user; one of them is set.
create table csat_responses (
  call_id uuid primary key references calls(id) on delete cascade,
  score smallint not null check (score between 1 and 5),
  comment text,
  tap_key_id uuid references tap_keys(id) on delete set null,
  posted_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Analytics' repeat-call rate looks for the same customer number again within 7 days of each call.
create index calls_customer_number on calls (customer_number, started_at) where customer_number is not null;
