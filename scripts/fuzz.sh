#!/usr/bin/env bash
# Fuzz nashr with cargo-fuzz (libFuzzer), each target for a bounded time.
#
#   scripts/fuzz.sh                 # every target, 60 s each
#   FUZZ_SECONDS=600 scripts/fuzz.sh layout paragraph
#
# Targets (fuzz/fuzz_targets): layout (a whole layout file → PDF and PNG),
# paragraph (a paragraph's text with markup, bidi, marks; width and
# alignment from the first byte), normalize (the Persian normaliser; its
# output must be a fixed point), rows (CSV or TOML data rows merged into the
# square invitation). Corpora are seeded from layouts/, tests/layouts/, tests/hostile/ and
# tests/fixtures/. cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP=1
# lets the stable toolchain build them. Install: cargo install cargo-fuzz.
# A crash leaves its input in fuzz/artifacts/TARGET/ and fails the script.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${FUZZ_SECONDS:-60}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(layout paragraph normalize rows)
export RUSTC_BOOTSTRAP=1

seed() { # seed TARGET FILES...
  local dir=corpus/$1; shift
  mkdir -p "$dir"
  for f in "$@"; do cp "$f" "$dir/seed-$(basename "$f")"; done
}
seed layout ../layouts/*.toml ../tests/layouts/*.toml ../tests/hostile/*.toml
# A paragraph seed is one byte of shape, then text: each line of the fixtures.
mkdir -p corpus/paragraph corpus/normalize corpus/rows
n=0
while IFS= read -r line; do
  [ -n "$line" ] || continue
  n=$((n + 1))
  printf '\x05%s' "$line" > "corpus/paragraph/seed-$n"
done < <(cat ../tests/fixtures/invitation-fa.source.txt ../tests/fixtures/vocalised-ar.txt)
seed normalize ../tests/fixtures/invitation-fa.source.txt ../tests/fixtures/vocalised-ar.txt
printf '\x00name,title\nمریم,خانم\nSara Ek,"Dr, Prof"\n' > corpus/rows/seed-csv
printf '\x01[[row]]\nname = "مریم"\n[[row]]\nname = "Sara"\n' > corpus/rows/seed-toml

for t in "${targets[@]}"; do
  echo "== $t ($seconds s)"
  cargo fuzz run -O "$t" "corpus/$t" -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
done
