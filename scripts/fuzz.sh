#!/bin/sh
# Runs one libFuzzer harness for a bounded time.
#   scripts/fuzz.sh HARNESS [SECONDS]      e.g. scripts/fuzz.sh movie 300
# Builds fuzz/fuzz-HARNESS with clang in build-fuzz/, starts from the seeds
# in fuzz/corpus/HARNESS/, keeps what it learns in build-fuzz/corpus-HARNESS/
# and writes crashing inputs to build-fuzz/crashes-HARNESS/. Copy a fixed
# crash into fuzz/corpus/HARNESS/ so the replay test keeps it fixed.
# nifti-gz gzips each input itself and starts from nifti's seeds.
set -eu

name=${1:?usage: scripts/fuzz.sh HARNESS [SECONDS]}
secs=${2:-300}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$root" -Dfuzzing=true -Dgui=false -Dbuildtype=debugoptimized
fi
ninja -C "$build" "fuzz/fuzz-$name"

seeds=$root/fuzz/corpus/${name%-gz}
corpus=$build/corpus-$name
crashes=$build/crashes-$name
mkdir -p "$corpus" "$crashes"

# New inputs go to the first folder; the seeds stay untouched.
"$build/fuzz/fuzz-$name" \
  -max_total_time="$secs" -timeout=30 -rss_limit_mb=3072 -max_len=65536 -report_slow_units=60 \
  -print_final_stats=1 -artifact_prefix="$crashes/" \
  "$corpus" "$seeds"

# slow-unit-* files are inputs that took long (a loaded machine, ASan), not
# failures; crash-, timeout-, oom- and leak- ones are.
n=$(find "$crashes" -type f ! -name 'slow-unit-*' | wc -l)
slow=$(find "$crashes" -type f -name 'slow-unit-*' | wc -l)
echo "fuzz-$name: $(find "$corpus" -type f | wc -l) corpus inputs, $n failing and $slow slow inputs in $crashes"
[ "$n" -eq 0 ]
