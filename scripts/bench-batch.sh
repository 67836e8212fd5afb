#!/usr/bin/env bash
# Batch throughput: the whole invitation matrix (every invitation layout × 5 locales × PDF
# and PNG) and 100 square PNGs with different headlines, each in one
# `nashr batch` process.
#   scripts/bench-batch.sh [JOBS] [FSYNC: file, batch or none]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-0}
fsync=${2:-file}
cargo build --release --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A copy of the binary, as installed (see scripts/bench.sh).
cp target/release/nashr "$tmp/nashr"
bin=$tmp/nashr

echo "== matrix: every invitation layout × 5 locales × pdf,png"
$bin batch layouts/invitation-*.toml --locales fa,en,ckb,sv,de --formats pdf,png --jobs "$jobs" --fsync "$fsync" -o "$tmp/matrix" 2>&1 | tail -1

echo "== 100 square PNGs, different headlines"
mkdir -p "$tmp/loc"
for i in $(seq -w 1 100); do
  sed -e "s/^headline = .*/headline = \"Take part in congress number $i of the party!\"/" \
      -e "s/^language = \"en\"/language = \"en$i\"/" locales/en.toml > "$tmp/loc/h$i.toml"
done
locales=$(ls "$tmp"/loc/*.toml | paste -sd, -)
for run in 1 2 3; do
  $bin batch layouts/invitation-square.toml --locales "$locales" --formats png --jobs "$jobs" --fsync "$fsync" -o "$tmp/squares" 2>&1 | tail -1
done
