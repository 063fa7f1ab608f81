#!/bin/sh
# Runs one benchmark by name: scripts/bench.sh NAME [ARGS]. Benchmarks print
# their figures and a ratio against a peer measured in the same run; they are
# not tests and never gate CI. The Python peers need Debian's python3-torch
# (PYTHON overrides /usr/bin/python3).
set -eu
cd "$(dirname "$0")/.."
name=${1:-}
[ $# -gt 0 ] && shift
case "$name" in
  embed)
    ninja -C build bench/bench-embed >/dev/null
    exec "${PYTHON:-/usr/bin/python3}" bench/embed.py build/bench/bench-embed "$@" ;;
  embed-rss)
    ninja -C build bench/bench-embed >/dev/null
    dir=${SYNCACT_BENCH_DIR:-build/bench/embed-data}
    mkdir -p "$dir"
    exec "${PYTHON:-/usr/bin/python3}" bench/embed.py build/bench/bench-embed --rss "$dir" "$@" ;;
  *)
    echo "usage: scripts/bench.sh NAME   (names: embed, embed-rss)" >&2
    exit 2 ;;
esac
