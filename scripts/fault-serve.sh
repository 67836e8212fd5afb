#!/usr/bin/env bash
# `nashr serve` while its layout changes under load: the square layout is
# replaced every 50 ms, first by rename (as editors and ConfigMaps do),
# then by rewriting it in place, while the load client sends cache misses
# at concurrency 8 (each run stops after 1,500 requests or 8 s).
#   scripts/fault-serve.sh [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-8094}
cargo build --release --quiet --bin nashr --example load
root=$(mktemp -d)
mkdir -p "$root/layouts"
cp -r locales "$root/"
cp layouts/invitation-square.toml "$root/layouts/"
cp layouts/invitation-square.toml "$root/a.toml"
sed 's/#c62d24/#1d4ed8/' layouts/invitation-square.toml > "$root/b.toml"
RUST_LOG=warn ./target/release/nashr serve --root "$root" --addr "127.0.0.1:$port" &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$root"' EXIT
sleep 0.5
layout="$root/layouts/invitation-square.toml"
load() { ./target/release/examples/load --url "http://127.0.0.1:$port/render/invitation-square.png?locale=fa" \
  --concurrency 8 --requests 1500 --seconds 8 --vary date_note --pid "$server"; }

echo "== replaced by rename every 50 ms"
(for i in $(seq 1 160); do cp "$root/$([ $((i % 2)) = 0 ] && echo a || echo b).toml" "$layout.new"; mv "$layout.new" "$layout"; sleep 0.05; done) &
editor=$!
load
kill "$editor" 2>/dev/null || true

echo "== rewritten in place every 50 ms"
(for i in $(seq 1 160); do cat "$root/$([ $((i % 2)) = 0 ] && echo a || echo b).toml" > "$layout"; sleep 0.05; done) &
editor=$!
load
kill "$editor" 2>/dev/null || true
