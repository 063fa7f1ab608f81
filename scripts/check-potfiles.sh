#!/bin/sh
# check-potfiles.sh [SOURCE_ROOT] — fail when a source file holds translatable
# strings but is missing from po/POTFILES.in (its strings would never reach
# translators), or when POTFILES.in names a file that no longer exists (which
# breaks `meson compile syncact-pot`).
set -eu

root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"
potfiles=po/POTFILES.in
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

status=0
grep -v '^[[:space:]]*#' "$potfiles" | sed '/^[[:space:]]*$/d' | sort -u > "$tmp/listed"

while read -r f; do
  if [ ! -f "$f" ]; then
    echo "$potfiles: lists $f, which does not exist" >&2
    status=1
  fi
done < "$tmp/listed"

# Candidates by a cheap grep; GSettings schemas are translatable without markers.
find app ui render compute resources data -type f \
  \( -name '*.c' -o -name '*.h' -o -name '*.cpp' -o -name '*.hpp' \
     -o -name '*.ui' -o -name '*.in' -o -name '*.xml' \) 2>/dev/null \
  | sort > "$tmp/all"
: > "$tmp/candidates"
while read -r f; do
  case "$f" in
    *.gschema.xml)
      grep -qE '<(summary|description)' "$f" && echo "$f" >> "$tmp/candidates" ;;
    *)
      grep -qE '(^|[^A-Za-z0-9_])(N?C?_|ngettext|g_dngettext) *\(|translatable="yes"' "$f" \
        && echo "$f" >> "$tmp/candidates" ;;
  esac
done < "$tmp/all"

# Confirm with xgettext itself, so a marker that only appears in a comment
# (e.g. "marked with N_()") does not demand a POTFILES entry.
while read -r f; do
  grep -qxF "$f" "$tmp/listed" && continue
  case "$f" in
    *.c|*.h|*.cpp|*.hpp)
      set -- --language=C -k_ -kN_ -kC_:1c,2 -kNC_:1c,2 -kngettext:1,2 -kg_dngettext:2,3 ;;
    *.desktop.in)
      set -- --language=Desktop ;;
    *)
      set -- ;;
  esac
  if ! xgettext --from-code=UTF-8 "$@" -o "$tmp/one.pot" "$f" 2> "$tmp/err"; then
    echo "xgettext cannot read $f: $(cat "$tmp/err")" >&2
    status=1
    continue
  fi
  if [ -s "$tmp/one.pot" ]; then
    echo "$f has translatable strings but is missing from $potfiles" >&2
    status=1
  fi
  rm -f "$tmp/one.pot"
done < "$tmp/candidates"

if [ "$status" -eq 0 ]; then
  echo "$potfiles: complete ($(wc -l < "$tmp/listed") files)"
fi
exit "$status"
