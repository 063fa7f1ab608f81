#!/bin/sh
# Runs one benchmark: scripts/bench.sh NAME [ARGS…]  (NAME: sync)
# Benchmarks print their figures and ratios against a peer measured in the
# same run; they are not tests and never gate CI.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
name=${1:-}
[ $# -gt 0 ] && shift
# Debian's python3 carries numpy/scipy; a user's pyenv may not.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
case "$name" in
  sync)
    ninja -C "$build" bench/bench-sync >/dev/null
    exec nice "$py" "$root/bench/bench-sync.py" "$build/bench/bench-sync" "$@"
    ;;
  *)
    echo "usage: scripts/bench.sh sync [M K T SURROGATES]" >&2
    exit 2
    ;;
esac
