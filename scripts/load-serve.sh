#!/usr/bin/env bash
# Load check (a benchmark, not a test): wrk against the article served by `semdoc serve` on
# loopback for ${DURATION:-30s}; prints requests/sec, latency percentiles and errors.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; }
cargo build --release -q
LOG=$(mktemp)
./target/release/semdoc serve --port 0 >"$LOG" 2>/dev/null &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 1 100); do grep -q "serving" "$LOG" && break; sleep 0.2; done
URL=$(grep -o 'http://[^ ]*' "$LOG" | head -1)
wrk -t2 -c32 -d"${DURATION:-30s}" --latency "${URL}posts/kafka-delivery-semantics/"
