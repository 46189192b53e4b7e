#!/usr/bin/env bash
# Smoke-test a built Linux bundle: bash installer/smoke-bundle.sh [dist/s47desk]
# Runs the bundle's own executable (no venv, no checkout on its path) with a throwaway data and
# config folder, without network where `unshare -n` works: --version, demo, list, forms, the
# Word record from the bundled template (a marked copy proves which template it read), the signed
# demo record and its verification, --self-test (the whole journey), export and import of a meeting file (jsonschema), the window
# offscreen for a few seconds (and on Xvfb when it is installed), and the system libraries the
# bundle links against, checked against installer/bundle-system-libs.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="$(cd "${1:-$root/dist/s47desk}" && pwd)"
exe="$bundle/s47desk"
python="$root/.venv/bin/python"  # only to make and read test files, never to run s47desk
[[ -x "$exe" ]] || { echo "smoke: no bundle at $bundle (run installer/build-bundle.sh)" >&2; exit 1; }

tmp=$(mktemp -d)
xvfb_pid=""
template="$bundle/_internal/resources/record-template.docx"
cleanup() {
  [[ -n "$xvfb_pid" ]] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  [[ -f "$tmp/template.orig" ]] && mv -f "$tmp/template.orig" "$template"
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "smoke: FAILED: $*" >&2; exit 1; }
ok() { echo "smoke: ok: $*"; }

net=()
if unshare -n true 2>/dev/null; then
  net=(unshare -n)
  offline="offline"
else
  offline="with network (unshare -n is not available here)"
fi
pre=()
run() {  # run DATA_NAME ARGS...: the bundle on its own data folder, offline where possible
  local name=$1
  shift
  env -u S47DESK_DB -u PYTHONPATH -u VIRTUAL_ENV HOME="$tmp/home" \
    S47DESK_DATA="$tmp/$name/data" S47DESK_CONFIG="$tmp/$name/config" \
    S47DESK_TODAY=2026-11-23 "${pre[@]}" "${net[@]}" "$exe" "$@"
}
mkdir -p "$tmp/home"
echo "smoke: testing $bundle $offline"

version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/pyproject.toml")
got=$(run a --version)
[[ "$got" == "s47desk $version" ]] || fail "--version printed '$got', expected 's47desk $version'"
ok "--version: $got"

run a demo >"$tmp/out" || fail "demo: $(cat "$tmp/out")"
run a list >"$tmp/list" || fail "list"
meetings=$(($(wc -l <"$tmp/list") - 1))
((meetings >= 6)) || fail "list shows $meetings meetings after demo: $(cat "$tmp/list")"
ok "demo + list (migrations ran; $meetings meetings)"

run a forms >"$tmp/forms" || fail "forms"
grep -q "_internal/s47desk/forms/builtin/initial.toml" "$tmp/forms" || fail "forms: $(cat "$tmp/forms")"
ok "forms: $(wc -l <"$tmp/forms") built-in forms from the bundle"

# The record must come from the bundled template (record/template.py falls back silently to a
# built-in one): mark a copy of the template with a style, and look for it in the record.
cp "$template" "$tmp/template.orig"
"$python" - "$template" <<'EOF'
import sys
import docx
from docx.enum.style import WD_STYLE_TYPE
d = docx.Document(sys.argv[1])
d.styles.add_style("S47SmokeMarker", WD_STYLE_TYPE.PARAGRAPH)
d.save(sys.argv[1])
EOF
run a record 2 -o "$tmp/record.docx" >"$tmp/out" || fail "record: $(cat "$tmp/out")"
mv -f "$tmp/template.orig" "$template"
"$python" -c 'import sys, zipfile; sys.exit(b"S47SmokeMarker" not in zipfile.ZipFile(sys.argv[1]).read("word/styles.xml"))' \
  "$tmp/record.docx" || fail "record: not built from $template"
ok "record: built from _internal/resources/record-template.docx"

id=$(awk 'NR > 1 && $0 ~ /Signed/ {print $1; exit}' "$tmp/list")
[[ -n "$id" ]] || fail "no signed demo meeting in: $(cat "$tmp/list")"
run a record "$id" -o "$tmp/signed.docx" >"$tmp/out" || fail "record: $(cat "$tmp/out")"
run a verify "$tmp/signed.docx" >"$tmp/out" || fail "verify: $(cat "$tmp/out")"
ok "the signed demo record of meeting $id verifies"

# The whole journey in the bundle: window offscreen, typing, checks, signing with a new
# certificate, export, verification, circulation to a mail server on loopback (so not inside
# `unshare -n`, where loopback is down).
(export QT_QPA_PLATFORM=offscreen; net=(); run e --self-test) >"$tmp/self-test" 2>&1 \
  || fail "--self-test: $(cat "$tmp/self-test")"
sed 's/^/smoke:   /' "$tmp/self-test"
ok "--self-test passed in the bundle"

run a export-json 2 -o "$tmp/meeting.s47meeting" >"$tmp/out" || fail "export-json: $(cat "$tmp/out")"
run b import "$tmp/meeting.s47meeting" >"$tmp/out" || fail "import: $(cat "$tmp/out")"
ok "export-json + import into an empty database (meeting $(cat "$tmp/out"))"

window() {  # window NAME PLATFORM [ENV...]: the window must still be running after 6 s
  local name=$1 platform=$2 rc=0
  shift 2
  # timeout signals s47desk itself (env and unshare exec it), so nothing is left running.
  (export QT_QPA_PLATFORM="$platform" "$@"; pre=(timeout 6); run "$name") \
    >"$tmp/window.log" 2>&1 || rc=$?
  ((rc == 124)) || fail "window ($platform) exited with $rc: $(cat "$tmp/window.log")"
  run "$name" list >"$tmp/list" || fail "list after the window"
  (($(wc -l <"$tmp/list") > 6)) || fail "the window ($platform) did not load the demo meetings"
}
window c offscreen
ok "window: ran 6 s offscreen on an empty database (demo meetings loaded)"

if command -v Xvfb >/dev/null 2>&1; then
  display=:$((100 + RANDOM % 800))
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 50); do [[ -e "/tmp/.X11-unix/X${display#:}" ]] && break; sleep 0.1; done
  window d xcb DISPLAY="$display"
  kill "$xvfb_pid" && wait "$xvfb_pid" 2>/dev/null || true
  xvfb_pid=""
  ok "window: ran 6 s on X11 (Xvfb, Qt's xcb plugin from the bundle)"
else
  echo "smoke: skipped: the window on X11 (no Xvfb here)"
fi

# System libraries: every NEEDED name of the bundle's ELF files that the bundle does not carry.
if command -v readelf >/dev/null 2>&1; then
  needed=$(find "$bundle" -type f \( -name '*.so*' -o -path "$exe" \) -print0 \
    | xargs -0 -n 50 readelf -d 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u)
  carried=$(find "$bundle" -name '*.so*' -printf '%f\n' | sort -u)
  expected=$(sed -e 's/#.*//' "$root/installer/bundle-system-libs.txt" | awk 'NF {print $1}' | sort -u)
  system=$(comm -23 <(echo "$needed") <(echo "$carried"))
  new=$(comm -23 <(echo "$system") <(echo "$expected"))
  [[ -z "$new" ]] || fail "the bundle now also needs from the system: $(echo $new)
(add them with their Debian packages to installer/bundle-system-libs.txt and installer/README.md)"
  ok "system libraries: $(echo $system)"
else
  echo "smoke: skipped: the system library check (no readelf; apt-get install binutils)"
fi
echo "smoke: bundle passed"
