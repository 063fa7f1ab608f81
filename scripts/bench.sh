#!/bin/sh
# Runs one benchmark: scripts/bench.sh NAME  (nifti, ...)
# Each prints its figures and a ratio against its Python peer measured in the
# same run. Builds first; uses Debian's python3 (nibabel, numpy) for the peer.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
name=${1:?usage: scripts/bench.sh NAME}
[ -d "$root/build" ] || meson setup "$root/build" "$root"
ninja -C "$root/build"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
case "$name" in
  nifti)
    exec nice "$PY" "$root/bench/bench-nifti.py" "$root/build/bench/bench-nifti" "$root/bench/out"
    ;;
  *)
    echo "scripts/bench.sh: unknown benchmark $name" >&2
    exit 2
    ;;
esac
