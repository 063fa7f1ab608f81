#!/bin/sh
# Runs a libFuzzer harness for a bounded time.
#   scripts/fuzz.sh [nifti|nifti-gz] [seconds]     (defaults: nifti, 300)
# Builds build-fuzz/ with clang and -Dfuzzing=true (only the harness), fuzzes
# from a copy of the committed seed corpus, and leaves crashes in
# build-fuzz/crashes-<name>/. Copy a crash (minimised) into fuzz/corpus/<name>/
# once fixed so the replay test in `meson test --suite fuzz` guards it.
set -eu

name=${1:-nifti}
seconds=${2:-300}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz

if [ ! -d "$build" ]; then
  CC=clang CXX=clang++ meson setup "$build" "$root" -Dfuzzing=true -Dgui=false \
    -Dbuildtype=debugoptimized
fi
ninja -C "$build" "fuzz/fuzz-$name"

# nifti-gz gzips each input itself, so it shares nifti's (uncompressed) seeds
seeds=$root/fuzz/corpus/${name%-gz}
work=$build/corpus-$name
crashes=$build/crashes-$name
mkdir -p "$work" "$crashes"
cp -n "$seeds/"* "$work/" 2>/dev/null || true

# -rss_limit_mb and -timeout turn unbounded memory or a hang into a finding.
"$build/fuzz/fuzz-$name" "$work" "$seeds" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$crashes/" -print_final_stats=1
