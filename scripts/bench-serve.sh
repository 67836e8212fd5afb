#!/usr/bin/env bash
# `nashr serve` under load: the square PNG (fa) as cache misses (a distinct
# date_note per request) and as cache hits, at concurrency 1, 8 and 64,
# then the server's RSS over 100,000 hits. Each run stops after its count
# or 20 seconds, whichever comes first. The server runs with its defaults
# (one render slot per core, four waiting per slot, 256 MB output cache);
# a last run repeats the misses at concurrency 64 with --queue 64, so that
# nothing is shed.
#   scripts/bench-serve.sh [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-8089}
cargo build --release --quiet --bin nashr --example load
RUST_LOG=warn ./target/release/nashr serve --root . --addr "127.0.0.1:$port" &
server=$!
trap 'kill "$server" 2>/dev/null' EXIT
sleep 0.5
load() { ./target/release/examples/load --url "http://127.0.0.1:$port/render/invitation-square.png?locale=fa" --pid "$server" "$@"; }

echo "== misses (every request a new date_note)"
load --concurrency 1 --requests 2000 --seconds 20 --vary date_note
load --concurrency 8 --requests 3000 --seconds 20 --vary date_note
load --concurrency 64 --requests 3000 --seconds 20 --vary date_note
echo "== hits (one variant, rendered once)"
load --concurrency 1 --requests 30000 --seconds 20 --warmup 10
load --concurrency 8 --requests 30000 --seconds 20
load --concurrency 64 --requests 30000 --seconds 20
echo "== RSS over 100,000 hits"
load --concurrency 8 --requests 100000 --seconds 20
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^nashr_(cache|rejections|renders)'
kill "$server"; wait "$server" 2>/dev/null || true

echo "== misses at concurrency 64 with --queue 64"
RUST_LOG=warn ./target/release/nashr serve --root . --addr "127.0.0.1:$port" --queue 64 &
server=$!
sleep 0.5
load --concurrency 64 --requests 3000 --seconds 20 --vary date_note
