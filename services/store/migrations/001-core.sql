-- Users, teams, agents, queues, calls, tap credentials, audit log.
create table users (
  id uuid primary key default gen_random_uuid(),
  username text not null unique,
  display_name text not null,
  password_hash text not null,
  role text not null check (role in ('admin', 'trainer', 'qa', 'supervisor', 'agent')),
  disabled boolean not null default false,
  created_at timestamptz not null default now()
);

create table teams (
  id uuid primary key default gen_random_uuid(),
  name text not null unique,
  created_at timestamptz not null default now()
);

-- Supervisors see the agents of the teams they supervise.
create table team_supervisors (
  team_id uuid not null references teams(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  primary key (team_id, user_id)
);

-- The agent identity the phone platform sends, linked to an agent user when one exists.
create table agents (
  id uuid primary key default gen_random_uuid(),
  external_id text not null unique,
  display_name text not null,
  user_id uuid unique references users(id) on delete set null,
  team_id uuid references teams(id) on delete set null,
  created_at timestamptz not null default now()
);

create table queues (
  id uuid primary key default gen_random_uuid(),
  name text not null unique,
  department text not null default 'support',
  created_at timestamptz not null default now()
);

create table tap_keys (
  id uuid primary key default gen_random_uuid(),
  name text not null unique,
  -- sha256 of the API key; the key itself is shown once at creation.
  key_hash text not null unique,
  key_prefix text not null,
  -- AudioHook client secret (base64) used to verify HTTP message signatures; null = signatures not required.
  client_secret text,
  protocols text[] not null default array['audiohook', 'twilio', 'native'],
  revoked boolean not null default false,
  created_at timestamptz not null default now()
);

create table calls (
  id uuid primary key,
  protocol text not null check (protocol in ('audiohook', 'twilio', 'native')),
  external_id text not null,
  direction text not null check (direction in ('inbound', 'outbound')),
  queue_id uuid references queues(id) on delete set null,
  agent_id uuid references agents(id) on delete set null,
  customer_number text,
  language text,
  status text not null check (status in ('live', 'ended', 'interrupted')),
  started_at timestamptz not null,
  ended_at timestamptz,
  duration_ms integer,
  sample_rate integer not null,
  recording_path text,
  recording_format text,
  recording_bytes bigint,
  capabilities jsonb not null default '{}',
  stats jsonb not null default '{}',
  metadata jsonb not null default '{}',
  tap_key_id uuid references tap_keys(id) on delete set null
);
create index calls_started_at on calls (started_at desc);
create index calls_agent on calls (agent_id, started_at desc);
create index calls_status on calls (status);

create table sessions (
  token_hash text primary key,
  user_id uuid not null references users(id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user on sessions (user_id);

create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  actor_id uuid references users(id) on delete set null,
  action text not null,
  target_type text,
  target_id text,
  details jsonb not null default '{}'
);
create index audit_log_at on audit_log (at desc);
