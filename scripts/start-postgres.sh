#!/usr/bin/env bash
# Starts Debian's PostgreSQL and prints a superuser URL for the test suite (creates the role once).
# Only the URL goes to stdout: everything the cluster tools print goes to stderr.
set -euo pipefail
exec 3>&1 1>&2
command -v pg_ctlcluster >/dev/null || { echo "postgresql is not installed" >&2; exit 1; }
ver=$(ls /etc/postgresql | sort -n | tail -1)
# The server daemon must not inherit fd 3 (the caller's $(…) pipe), or the caller waits for EOF forever.
pg_ctlcluster "$ver" main status >/dev/null 2>&1 || pg_ctlcluster "$ver" main start 3>&-
for _ in $(seq 1 60); do su postgres -c "pg_isready -q -h 127.0.0.1" && break; sleep 0.5; done
su postgres -c "pg_isready -h 127.0.0.1" || { echo "postgresql did not become ready" >&2; exit 1; }
su postgres -c "psql -tAc \"select 1 from pg_roles where rolname='callsight'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"create role callsight login superuser password 'callsight'\""
echo "postgres://callsight:callsight@127.0.0.1:5432/postgres" >&3
