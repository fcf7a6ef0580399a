#!/usr/bin/env bash
# Lets loopback replication connections into the local PostgreSQL (trust, as its other local
# connections are here), so a streaming replica can be made with pg_basebackup: the read-replica
# tests and `make cluster` need it. Idempotent; reloads PostgreSQL's configuration only.
set -euo pipefail
HOST=${PG_HOST:-127.0.0.1}; PORT=${PG_PORT:-5432}; USER=${PG_USER:-postgres}
psql=(psql -h "$HOST" -p "$PORT" -U "$USER" -d postgres -tAc)
hba=$("${psql[@]}" "SHOW hba_file")
if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$hba"; then
  echo "host replication all 127.0.0.1/32 trust" >> "$hba"
  "${psql[@]}" "SELECT pg_reload_conf()" >/dev/null
  echo "allowed replication connections from 127.0.0.1 in $hba"
fi
