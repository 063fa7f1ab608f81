#!/bin/sh
# A fresh Debian 12 machine to the SyncAct window on the built-in demo:
# installs the packages, builds, and opens the app.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
exec ./build/app/syncact "$@"
