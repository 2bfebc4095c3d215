#!/usr/bin/env bash
# Starts the Debian PostgreSQL cluster if it is not running, creates a throwaway database and
# runs the PostgreSQL tests of the service against it.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
cluster=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $2}')
if [ -z "$cluster" ]; then
  pg_createcluster "$version" main >/dev/null
  cluster=main
fi
pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true
port=$(pg_lsclusters -h | awk -v c="$cluster" '$2==c {print $3}')
for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 0.2; done
db="menkyo_test_$$"
su postgres -c "psql -q -p $port -c \"DO \\\$\\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='menkyo') THEN CREATE ROLE menkyo LOGIN PASSWORD 'menkyo-test'; END IF; END\\\$\\\$;\""
su postgres -c "createdb -p $port -O menkyo $db"
trap 'su postgres -c "dropdb -p $port --if-exists $db" || true' EXIT
MENKYO_TEST_POSTGRES_URL="postgres://menkyo:menkyo-test@127.0.0.1:$port/$db" \
  cargo test --locked -q -p menkyo-verify-api --test postgres -- --ignored
