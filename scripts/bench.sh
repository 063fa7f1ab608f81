#!/bin/sh
# Runs one benchmark by name: scripts/bench.sh NAME. Benchmarks print their
# figures and a ratio against a peer measured in the same run; they are not
# tests and never gate CI.
set -eu
cd "$(dirname "$0")/.."
name=${1:-}
case "$name" in
  run-cache)
    ninja -C build bench/bench-run-cache >/dev/null
    exec /usr/bin/env python3 bench/run_cache.py build/bench/bench-run-cache ;;
  *)
    echo "usage: scripts/bench.sh NAME   (names: run-cache)" >&2
    exit 2 ;;
esac
