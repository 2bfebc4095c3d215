# Sourced by the service scripts: start_service BINARY PORT WORKDIR [ARGS...] starts the
# verification service with the TEST ONLY demo anchors on 127.0.0.1:PORT, its database in
# WORKDIR and its demo receipt key in WORKDIR (the demo's own key file, in its working
# directory), with ARGS, waits for /healthz and sets SERVICE_PID.
start_service() {
  local bin port=$2 work=$3
  bin=$(realpath "$1")
  shift 3
  (cd "$work" && exec "$bin" --demo --listen "127.0.0.1:$port" --database "$work/audit.sqlite" "$@") \
    > "$work/service.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 100); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/healthz')" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "service did not start:" >&2
  cat "$work/service.log" >&2
  return 1
}

# Writes WORKDIR/load.toml: one API key (secret LOAD_KEY) with a rate that never limits, and
# card-surface data accepted (the load is the first persona's licence and card-surface data).
LOAD_KEY=load-test-key-TEST-ONLY
load_config() {
  local work=$1
  local hash
  hash=$(printf %s "$LOAD_KEY" | sha256sum | cut -d' ' -f1)
  printf 'accept_kenhojo = true\n[[api_keys]]\nid = "load"\nsha256 = "%s"\nrate_per_minute = 1000000000\n' "$hash" > "$work/load.toml"
}
