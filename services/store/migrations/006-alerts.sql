-- Real-time alerts: configurable rules evaluated while a call happens, and the alerts they raised.

-- `params` is validated per kind by the application (services/live/alerts/rule-params.ts). `cooldown_ms` null:
-- the rule fires at most once per call; otherwise again after that long.
create table alert_rules (
  id uuid primary key default gen_random_uuid(),
  name text not null unique,
  kind text not null check (kind in ('negative-sentiment', 'prohibited-phrase', 'escalation-phrase', 'long-hold', 'handle-time', 'agitation')),
  severity text not null check (severity in ('info', 'warning', 'critical')),
  enabled boolean not null default true,
  params jsonb not null default '{}',
  cooldown_ms integer check (cooldown_ms is null or cooldown_ms > 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- `kind` is the rule's kind, or another alert source's (e.g. live scorecard checks); `rule_id` is null for those
-- and for alerts whose rule was deleted since. `evidence` points into the call: {utteranceId, speaker, startMs,
-- endMs, text, phrase, atMs, value, threshold} as far as they apply.
create table alerts (
  id uuid primary key default gen_random_uuid(),
  call_id uuid not null references calls(id) on delete cascade,
  rule_id uuid references alert_rules(id) on delete set null,
  kind text not null,
  severity text not null check (severity in ('info', 'warning', 'critical')),
  message text not null,
  evidence jsonb not null default '{}',
  raised_at timestamptz not null default now(),
  acknowledged_by uuid references users(id) on delete set null,
  acknowledged_at timestamptz
);
create index alerts_call on alerts (call_id, raised_at);
create index alerts_raised on alerts (raised_at desc);
create index alerts_open on alerts (raised_at desc) where acknowledged_at is null;

-- Default rules (edit or disable them under /api/admin/alert-rules). Phrases match whole words after
-- normalisation (case, punctuation, Persian letter variants and ZWNJ; see docs/alerts.md).
insert into alert_rules (name, kind, severity, params) values
  ('Sustained negative customer sentiment', 'negative-sentiment', 'warning',
    '{"speaker": "customer", "consecutive": 3, "below": -0.3, "window": 5, "meanBelow": -0.35}'),
  ('Prohibited phrase by the agent', 'prohibited-phrase', 'critical',
    '{"speaker": "agent", "phrases": ["shut up", "not my problem", "that''s not my problem", "i don''t care", "stop whining", "calm down", "that''s your problem", "deal with it", "you people", "ساکت شو", "مشکل من نیست", "به من ربطی ندارد", "به من چه", "برام مهم نیست"]}'),
  ('Customer asks for a manager', 'escalation-phrase', 'critical',
    '{"speaker": "customer", "phrases": ["speak to a manager", "speak to the manager", "speak to your manager", "speak with a manager", "speak with your manager", "talk to a manager", "talk to your manager", "want a manager", "get me a manager", "get me your manager", "speak to a supervisor", "speak to your supervisor", "talk to a supervisor", "talk to your supervisor", "speak to someone in charge", "با مدیر صحبت کنم", "با مدیرتون", "با مدیرتان", "با مدیر شما", "مدیرتون رو", "با سرپرست", "سرپرستتون", "با مسئول"]}'),
  ('Customer threatens to cancel', 'escalation-phrase', 'warning',
    '{"speaker": "customer", "phrases": ["cancel my account", "cancel my subscription", "cancel my service", "cancel the service", "cancel my contract", "close my account", "i will cancel", "i''ll cancel", "i''m cancelling", "i am cancelling", "i''m canceling", "switch to another provider", "switching providers", "لغو", "کنسل", "قطع کنم", "فسخ"]}'),
  ('Customer threatens legal action', 'escalation-phrase', 'critical',
    '{"speaker": "customer", "phrases": ["lawyer", "attorney", "sue you", "sue your company", "legal action", "take you to court", "see you in court", "file a complaint", "report you to", "شکایت", "وکیل", "دادگاه"]}'),
  ('Long hold or silence', 'long-hold', 'warning', '{"minMs": 60000}'),
  ('Call longer than the target handle time', 'handle-time', 'info', '{"targetMs": 600000}'),
  ('Agitated customer', 'agitation', 'warning', '{"speaker": "customer", "minEpisodeMs": 8000, "minScore": 0.6}');
