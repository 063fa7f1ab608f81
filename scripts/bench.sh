#!/bin/sh
# scripts/bench.sh NAME [ARGS...]: runs benchmark NAME (bench/bench-NAME.sh)
# against the build in ${BUILD:-build}. Benchmarks print their figures and
# the ratio against a peer measured in the same run.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -lt 1 ] || [ ! -f "$here/bench/bench-$1.sh" ]; then
  echo "usage: scripts/bench.sh NAME [ARGS...]; NAME is one of:" >&2
  ls "$here/bench" | sed -n 's/^bench-\(.*\)\.sh$/  \1/p' >&2
  exit 2
fi
name=$1
shift
export SYNCACT_SOURCE_ROOT="$here" BUILD="${BUILD:-$here/build}"
exec sh "$here/bench/bench-$name.sh" "$@"
