#!/usr/bin/env bash
# Lets loopback replication connections into the PostgreSQL at DATABASE_URL (trust, as its other
# local connections are here), so a streaming replica can be made with pg_basebackup: the
# read-replica tests and `make cluster` need it. Idempotent: adds one line to pg_hba.conf when it
# is missing, says so, and reloads PostgreSQL's configuration only.
set -euo pipefail
URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
psql=(psql "${URL%/*}/postgres" -tAc)
hba=$("${psql[@]}" "SHOW hba_file")
if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$hba"; then
  echo "host replication all 127.0.0.1/32 trust" >> "$hba"
  "${psql[@]}" "SELECT pg_reload_conf()" >/dev/null
  echo "allowed replication connections from 127.0.0.1 in $hba"
fi
