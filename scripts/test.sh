#!/bin/sh
# Builds and runs every test, then prints "N passed, N failed" from
# meson-logs/testlog.json (what CI reads).
set -u
cd "$(dirname "$0")/.."
./scripts/build.sh || { echo "0 passed, 1 failed"; exit 1; }
meson test -C build --print-errorlogs --num-processes 2 "$@"
status=$?
python3 - build/meson-logs/testlog.json <<'PY'
import json, sys
passed = failed = skipped = 0
try:
    with open(sys.argv[1]) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)["result"]
            if r in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif r == "SKIP":
                skipped += 1
            else:
                failed += 1
except OSError:
    failed = 1
if skipped:
    print(f"({skipped} skipped)")
print(f"{passed} passed, {failed} failed")
PY
exit $status
