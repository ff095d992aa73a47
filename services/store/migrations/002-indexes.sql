-- Indexes for the scoped call list, team membership lookups, session expiry and the audit log filters.
create index calls_queue on calls (queue_id, started_at desc);
create index agents_team on agents (team_id);
create index team_supervisors_user on team_supervisors (user_id);
create index sessions_expires on sessions (expires_at);
create index audit_log_actor on audit_log (actor_id, at desc);
create index audit_log_target on audit_log (target_type, target_id);
