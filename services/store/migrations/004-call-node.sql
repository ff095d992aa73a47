-- Which server process owns a live call, so a restarted node marks only its own stale calls interrupted.
alter table calls add column if not exists node_id text;
create index if not exists calls_live_node_idx on calls (node_id) where status = 'live';
