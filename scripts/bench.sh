#!/usr/bin/env bash
# Time nashr from a cold CLI start (one process per render), as a user runs it.
# Uses hyperfine when installed (apt-get install hyperfine), else a plain loop.
#   scripts/bench.sh            # leaflet (PDF, JSON, PNG), 60 mm column, square and story images
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=./target/release/nashr
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cases=(
  "$bin render layouts/invitation-a5.toml -o $out/leaflet.pdf"
  "$bin render layouts/invitation-a5.toml -o $out/leaflet.json"
  "$bin render layouts/invitation-column-60mm.toml -o $out/column.pdf"
  "$bin render layouts/invitation-a5.toml -o $out/leaflet.png"
  "$bin render layouts/invitation-square.toml -o $out/square.png"
  "$bin render layouts/invitation-story.toml -o $out/story.png"
  "$bin render layouts/invitation-story.toml -o $out/story.jpg"
  "$bin render layouts/invitation-a3-poster.toml -o $out/poster.pdf"
)
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 3 --runs 50 "${cases[@]}"
else
  runs=50
  for c in "${cases[@]}"; do
    $c 2>/dev/null
    start=$(date +%s%N)
    for _ in $(seq $runs); do $c 2>/dev/null; done
    end=$(date +%s%N)
    echo "$c: $(( (end - start) / runs / 1000 )) µs per run (mean of $runs)"
  done
fi
