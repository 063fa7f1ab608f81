#!/bin/sh
# Group ICA, SyncAct vs numpy + scikit-learn, on the same planted files.
#   scripts/bench.sh ica [--full] [--subjects S] [--timepoints T] [--voxels N] [--components M]
# Default: 10 subjects x 300 TRs x 28,000 voxels, m = 64 (a reduced size
# for a shared machine); --full: the issue's 50 x 900 x 28,000 (5 GB of
# scratch files under ${TMPDIR:-/tmp}).
set -eu
subjects=10 timepoints=300 voxels=28000 m=64
while [ $# -gt 0 ]; do
  case $1 in
    --full) subjects=50 timepoints=900 ;;
    --subjects) subjects=$2; shift ;;
    --timepoints) timepoints=$2; shift ;;
    --voxels) voxels=$2; shift ;;
    --components) m=$2; shift ;;
    *) echo "bench ica: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
exe="$BUILD/bench/bench-ica"
[ -x "$exe" ] || ninja -C "$BUILD" bench/bench-ica
py=/usr/bin/python3
[ -x "$py" ] || py=python3
dir=$(mktemp -d "${TMPDIR:-/tmp}/bench-ica.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
threads=${OPENBLAS_NUM_THREADS:-2}
export OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads
echo "group ICA: $subjects subjects x $timepoints TRs x ~$voxels voxels, m = $m, $threads BLAS threads"
"$exe" generate "$dir/data" --subjects "$subjects" --timepoints "$timepoints" --voxels "$voxels"
c_line=$("$exe" run "$dir/data" --components "$m" --out "$dir/maps.f32")
echo "$c_line"
py_out=$("$py" "$SYNCACT_SOURCE_ROOT/bench/bench-ica.py" "$dir/data" "$m" "$dir/maps.f32")
echo "$py_out"
figures () {
  echo "$1" | sed -n 's/^[a-z]* group ICA: \([0-9.]*\) s, peak RSS \([0-9]*\) MiB, CPU \([0-9.]*\) s.*/\1 \2 \3/p'
}
echo "$(figures "$c_line") $(figures "$py_out")" | awk '{
  printf "ratio (python / syncact): time %.2fx, CPU time %.2fx, peak RSS %.2fx\n", $4 / $1, $6 / $3, $5 / $2 }'
