#!/usr/bin/env bash
# Runs the service's PostgreSQL tests against a private, throwaway PostgreSQL instance: initdb
# in a temporary directory, its own port, TLS only (a TEST ONLY CA and a localhost certificate
# made fresh for the run; plain-text TCP is refused by pg_hba.conf). The system cluster is not
# touched; everything is removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=$(mktemp -d)
# PostgreSQL will not run as root: as root, the instance belongs to the postgres user.
if [ "$(id -u)" -eq 0 ]; then as_pg() { su postgres -s /bin/sh -c "$*"; }; else as_pg() { sh -c "$*"; }; fi
cleanup() {
  as_pg "'$bin/pg_ctl' -D '$work/data' -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=TEST ONLY menkyo PostgreSQL CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
  -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
  -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' > "$work/server.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
  -extfile "$work/server.ext" -out "$work/server.pem" 2>/dev/null
chmod 600 "$work/server.key"
chmod 755 "$work"
[ "$(id -u)" -eq 0 ] && chown -R postgres: "$work" && chown root: "$work/ca.key"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "'$bin/initdb' -D '$work/data' -A trust -U postgres" > "$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 1; }
cat > "$work/data/pg_hba.conf" <<HBA
local   all all                 trust
hostssl all all 127.0.0.1/32    scram-sha-256
hostssl all all ::1/128         scram-sha-256
HBA
as_pg "'$bin/pg_ctl' -D '$work/data' -l '$work/server.log' -w -o \"-p $port -k '$work' -c listen_addresses=localhost -c ssl=on -c ssl_cert_file='$work/server.pem' -c ssl_key_file='$work/server.key'\" start" >/dev/null \
  || { cat "$work/server.log" >&2; exit 1; }
as_pg "'$bin/psql' -q -h '$work' -p $port -U postgres -c \"CREATE ROLE menkyo LOGIN PASSWORD 'menkyo-test'\" -c 'CREATE DATABASE menkyo OWNER menkyo'"

# One test at a time: one of them ends the sessions of its own connections on purpose.
MENKYO_TEST_POSTGRES_URL="postgres://menkyo:menkyo-test@localhost:$port/menkyo?sslmode=require&sslrootcert=$work/ca.pem" \
  cargo test --locked -q -p menkyo-verify-api --test postgres -- --ignored --test-threads=1
