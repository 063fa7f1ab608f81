#!/bin/sh
# Runs one benchmark by name: scripts/bench.sh NAME [ARGS]. Benchmarks print
# their figures (and a ratio against a peer where there is one); they never
# gate CI.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
name=${1:-}
[ $# -gt 0 ] && shift

case "$name" in
  gui)
    # Scrub latency and first-frame time of the real window under Xvfb.
    ninja -C "$build" bench/bench-gui-scrub >/dev/null
    GSK_RENDERER=${GSK_RENDERER:-cairo} GTK_A11Y=none NO_AT_BRIDGE=1 \
    GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" \
      xvfb-run -a -s "-screen 0 1600x1000x24" "$build/bench/bench-gui-scrub" "$@"
    ;;
  *)
    echo "usage: scripts/bench.sh NAME   (NAME: gui)" >&2
    exit 2
    ;;
esac
