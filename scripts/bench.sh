#!/bin/sh
# Runs one benchmark and prints its figures next to its Python peer's.
#   scripts/bench.sh NAME        (NAME: nifti, movie, run-cache, sync, ica, ann, gui, gui-select, slices, embed, embed-rss, ...)
# Inputs are generated once and cached in bench/out/.
set -eu
# Debian's python3 carries the peers (numpy, nibabel, torch): put it first.
export PATH="/usr/bin:$PATH"

name=${1:?usage: scripts/bench.sh NAME}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
out=$root/bench/out
mkdir -p "$out"
[ -f "$build/build.ninja" ] || meson setup "$build" "$root"
ninja -C "$build" >/dev/null

# The value after KEY= on the RESULT line of $1.
result () { sed -n "s/^RESULT.* $2=\([0-9.]*\).*/\1/p; s/^RESULT $2=\([0-9.]*\).*/\1/p" "$1" | head -n 1; }

case $name in
  run-cache)
    exec python3 "$root/bench/run_cache.py" "$build/bench/bench-run-cache"
    ;;
  sync)
    shift
    exec nice python3 "$root/bench/bench-sync.py" "$build/bench/bench-sync" "$@"
    ;;
  nifti)
    exec nice python3 "$root/bench/bench-nifti.py" "$build/bench/bench-nifti" "$out"
    ;;
  movie)
    movie=$out/movie-1024x720-24fps-5min.mp4
    if [ ! -f "$movie" ]; then
      echo "making $movie (once; a few minutes)"
      # testsrc2 with temporal noise at 3 Mbit/s: a bitrate like a real
      # 720p film, and libx264's default GOP (keyint 250). superfast keeps
      # what costs at decode time (CABAC, 3 B-frames, deblocking) and
      # encodes fast enough on 2 cores.
      nice ffmpeg -nostdin -v error -y -f lavfi \
        -i "testsrc2=s=1024x720:r=24:d=300,noise=alls=12:allf=t+u" \
        -c:v libx264 -preset superfast -b:v 3M -maxrate 4M -bufsize 6M -pix_fmt yuv420p \
        "$movie.tmp.mp4"
      mv "$movie.tmp.mp4" "$movie"
    fi
    ours=$out/movie-ours.txt
    peer=$out/movie-peer.txt
    "$build/bench/bench-movie" "$movie" 224 224 | tee "$ours"
    if /usr/bin/env python3 -c "import torchvision" 2>/dev/null; then
      python3 "$root/bench/movie_peer.py" "$movie" 224 224 2>/dev/null | tee "$peer"
      awk -v a="$(result "$ours" fps)" -v b="$(result "$peer" fps)" \
          -v c="$(result "$ours" seek_p50_ms)" -v d="$(result "$peer" seek_p50_ms)" \
          -v e="$(result "$ours" cpu_s)" -v f="$(result "$peer" cpu_s)" \
          'BEGIN { if (b == 0 || c == 0 || e == 0) { print "ratio: no peer result"; exit }
                   printf "ratio: sampling %.2fx as fast as the peer (wall), %.2fx less CPU; seek p50 %.2fx faster\n", a / b, f / e, d / c }'
    else
      echo "peer skipped: python3 torchvision not installed"
    fi
    ;;
  gui)
    # Scrub latency (per-TR strip, then the movie pane's frame cache on the
    # demo movie), playback rate and first-frame time of the real window
    # under Xvfb.   scripts/bench.sh gui [SEEKS] [MOVIE]
    shift
    ninja -C "$build" bench/bench-gui-scrub >/dev/null
    GSK_RENDERER=${GSK_RENDERER:-cairo} GTK_A11Y=none NO_AT_BRIDGE=1 \
    GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" \
      exec xvfb-run -a -s "-screen 0 1600x1000x24" "$build/bench/bench-gui-scrub" \
        "${1:-200}" "${2:-$out/demo-movie-60s.mp4}"
    ;;
  slices)
    # Three orthogonal slices (ch2better 0.5 mm under a 4 mm map) for 200
    # random FBN/crosshair changes, fast renderer against the per-pixel
    # reference in the same run.   scripts/bench.sh slices [W H [N [SCALE]]]
    shift
    ninja -C "$build" bench/bench-slices >/dev/null
    exec "$build/bench/bench-slices" "$@"
    ;;
  gui-select)
    # FBN selection / crosshair move -> repainted real window, fast against
    # reference slices.   scripts/bench.sh gui-select [DATASET [N]]
    shift
    ninja -C "$build" bench/bench-gui-select >/dev/null
    GSK_RENDERER=${GSK_RENDERER:-cairo} GTK_A11Y=none NO_AT_BRIDGE=1 \
    GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" \
      exec xvfb-run -a -s "-screen 0 1600x1000x24" "$build/bench/bench-gui-select" "$@"
    ;;
  ann)
    movie=$out/movie-1024x720-24fps-5min.mp4
    if [ ! -f "$movie" ]; then
      # The same movie as the movie bench makes (see there for why).
      echo "making $movie (once; a few minutes)"
      nice ffmpeg -nostdin -v error -y -f lavfi \
        -i "testsrc2=s=1024x720:r=24:d=300,noise=alls=12:allf=t+u" \
        -c:v libx264 -preset superfast -b:v 3M -maxrate 4M -bufsize 6M -pix_fmt yuv420p \
        "$movie.tmp.mp4"
      mv "$movie.tmp.mp4" "$movie"
    fi
    # The peer needs Debian's python3-torch; a python3 earlier on PATH may lack it.
    py=python3
    python3 -c "import torchvision" 2>/dev/null || py=/usr/bin/python3
    nice "$py" -u "$root/bench/ann_bench.py" "$build/app/syncact" "$movie" "$out" \
      "${ANN_BENCH_TRS:-300}" || { s=$?; [ $s = 77 ] && echo "skipped: python3 torchvision not installed"; exit $s; }
    ;;
  embed)
    # Seconds per epoch against the same model in PyTorch (python3-torch).
    shift
    exec "${PYTHON:-/usr/bin/python3}" "$root/bench/embed.py" "$build/bench/bench-embed" "$@"
    ;;
  embed-rss)
    # Peak RSS, 10 vs 50 memory-mapped subjects x 900 TRs x 28000 voxels
    # (writes ~5 GiB of synthetic data to bench/out/embed once).
    shift
    mkdir -p "$out/embed"
    exec "${PYTHON:-/usr/bin/python3}" "$root/bench/embed.py" "$build/bench/bench-embed" --rss "$out/embed" "$@"
    ;;
  *)
    # Benchmarks that bring their own driver: bench/bench-NAME.sh
    if [ -f "$root/bench/bench-$name.sh" ]; then
      shift
      export SYNCACT_SOURCE_ROOT="$root" BUILD="$build"
      exec sh "$root/bench/bench-$name.sh" "$@"
    fi
    echo "scripts/bench.sh: unknown benchmark $name" >&2
    exit 2
    ;;
esac
