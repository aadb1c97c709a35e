#!/usr/bin/env bash
# Runs schemathesis (v4, from PyPI) with every check against `bonafide demo` and its served
# description (/openapi.json). Exits non-zero on any failure. Settings: schemathesis.toml here.
#
#   tests/schemathesis/run.sh            # builds the debug binary if it is not there
#   BONAFIDE_BIN=target/release/bonafide tests/schemathesis/run.sh
#   SCHEMATHESIS_MAX_EXAMPLES=500 tests/schemathesis/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v schemathesis >/dev/null 2>&1 || {
  echo "schemathesis is not installed: pip install 'schemathesis>=4,<5'" >&2
  exit 2
}
bin=${BONAFIDE_BIN:-target/debug/bonafide}
[ -x "$bin" ] || cargo build --bin bonafide

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
data=$(mktemp -d)
"$bin" demo --data "$data/demo" --bind "127.0.0.1:$port" >"$data/demo.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

for _ in $(seq 60); do
  curl -sf "$base/readyz" >/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$data/demo.log" >&2; exit 1; }
  sleep 1
done
curl -sf "$base/readyz" >/dev/null || { echo "the demo did not become ready" >&2; cat "$data/demo.log" >&2; exit 1; }

# The versioned widget URL changes with the script's bytes; the config reads it from here.
BONAFIDE_WIDGET_RELEASE=$(curl -sfI "$base/widget.js" |
  awk -F': ' 'tolower($1) == "bonafide-widget-version" { print $2 }' | tr -d '\r')
export BONAFIDE_WIDGET_RELEASE

# A fixed seed and no example database: a run repeats, and writes nothing into the checkout.
schemathesis --config-file tests/schemathesis/schemathesis.toml run "$base/openapi.json" \
  --checks all \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-50}" \
  --seed "${SCHEMATHESIS_SEED:-14}" \
  --generation-database none
# The process must have stayed up through all of it.
kill -0 "$pid"
echo "schemathesis: 0 failures, the demo still up"
