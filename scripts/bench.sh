#!/usr/bin/env bash
# Time nashr from a cold CLI start (one process per render), as a user runs it.
# Uses hyperfine when installed (apt-get install hyperfine), else a plain loop.
# With `typst` on PATH it also times Typst on the leaflet's words
# (bench/leaflet.typ), and hyperfine's summary gives the ratios between them;
# without it, scripts/bench-typst.py times Typst through its Python binding.
#   scripts/bench.sh                 # leaflet (PDF, JSON, PNG), 60 mm column, square and story images
#   scripts/bench.sh --instructions  # the same renders counted in instructions (valgrind's
#                                    # callgrind): repeatable whatever else the machine runs
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Time a copy of the binary, as `cargo install` puts one on PATH: a freshly
# linked binary starts about 0.5 ms slower on this machine until its pages
# leave the page cache (the linker's writes leave it in small pieces, so
# each fault maps less of it); a copied one does not.
cp target/release/nashr "$out/nashr"
bin=$out/nashr
cases=(
  "$bin render layouts/invitation-a5.toml -o $out/leaflet.pdf"
  "$bin render layouts/invitation-a5.toml -o $out/leaflet.json"
  "$bin render layouts/invitation-column-60mm.toml -o $out/column.pdf"
  "$bin render layouts/invitation-a5.toml -o $out/leaflet.png"
  "$bin render layouts/invitation-square.toml -o $out/square.png"
  "$bin render layouts/invitation-story.toml -o $out/story.png"
  "$bin render layouts/invitation-story.toml -o $out/story.jpg"
  "$bin render layouts/invitation-a3-poster.toml -o $out/poster.pdf"
  "$bin render layouts/congress-programme.toml -o $out/programme.pdf"
  "$bin render layouts/event-post.toml -o $out/event.png"
)
if command -v typst >/dev/null; then
  cases=("typst compile --font-path fonts bench/leaflet.typ $out/typst-leaflet.pdf" "${cases[@]}")
fi
if [ "${1:-}" = "--instructions" ]; then
  command -v valgrind >/dev/null || { echo "valgrind is needed for --instructions" >&2; exit 1; }
  for c in "${cases[@]}"; do
    n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null $c 2>&1 | sed -n 's/.*refs: *//p')
    printf '%16s instructions  %s\n' "$n" "${c#"$bin "}"
  done
  exit 0
fi
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
# File sizes. A PDF/X-4 file must embed its output profile: the leaflet's
# is Coated FOGRA39, 487 KB deflated, the same in every such file.
for f in leaflet.pdf column.pdf poster.pdf programme.pdf square.png story.png story.jpg; do
  [ -f "$out/$f" ] || continue
  size=$(wc -c < "$out/$f")
  # (grep finds nothing in a file without a profile)
  profile=$(LC_ALL=C grep -ao '/N 4/Filter/FlateDecode/Length [0-9]*' "$out/$f" | sed 's/.* //' | head -1) || profile=""
  if [ -n "$profile" ]; then
    printf '%-14s %8d bytes, %d besides the %d-byte output profile\n' "$f" "$size" $((size - profile)) "$profile"
  else
    printf '%-14s %8d bytes\n' "$f" "$size"
  fi
done
