-- Recorded calls imported from files (npm run import, POST /api/calls/import) are stored with protocol 'import'.
alter table calls drop constraint if exists calls_protocol_check;
alter table calls add constraint calls_protocol_check check (protocol in ('audiohook', 'twilio', 'native', 'import'));
