#!/bin/sh
# Configures (once) and builds SyncAct in ./build.
set -eu
cd "$(dirname "$0")/.."
if [ ! -f build/build.ninja ]; then
  meson setup build "$@"
fi
# libtorch translation units take ~1 GB each: keep parallelism to the cores.
ninja -C build
