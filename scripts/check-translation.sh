#!/bin/sh
# check-translation.sh LANG [SOURCE_ROOT] — fail unless po/LANG.po translates
# every message the current sources mark: extract a fresh template from
# po/POTFILES.in (the keywords of meson's glib preset) and compare.
set -eu

lang=${1:?usage: check-translation.sh LANG [SOURCE_ROOT]}
root=${2:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"
po=po/$lang.po
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

xgettext --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=sa_set_error:4:c-format \
  --files-from=po/POTFILES.in --directory=. --output="$tmp/current.pot"

msgfmt --check --output-file=/dev/null "$po"

# msgcmp counts untranslated and fuzzy entries of $po as missing.
status=0
if ! msgcmp "$po" "$tmp/current.pot" 2> "$tmp/msgcmp"; then
  status=1
fi
# Print the missing messages themselves, not only msgcmp's locations.
msgmerge --quiet --no-fuzzy-matching --output-file="$tmp/merged.po" "$po" "$tmp/current.pot"
msgattrib --untranslated --no-obsolete "$tmp/merged.po" > "$tmp/untranslated.po"
msgattrib --only-fuzzy --no-obsolete "$tmp/merged.po" > "$tmp/fuzzy.po"
for kind in untranslated fuzzy; do
  n=$(grep -c '^msgid ' "$tmp/$kind.po" || true)
  if [ "$n" -gt 1 ]; then
    echo "$po: $((n - 1)) $kind message(s):" >&2
    grep -A3 '^#:' "$tmp/$kind.po" | grep -E '^(#:|msgid|")' | head -60 >&2
    status=1
  fi
done
if [ "$status" -ne 0 ]; then
  sed 's/^/  /' "$tmp/msgcmp" | head -40 >&2
  echo "$po is incomplete: run 'meson compile -C build syncact-update-po' and translate" >&2
  exit 1
fi
echo "$po: all $(($(grep -c "^msgid " "$tmp/current.pot") - 1)) messages translated"
