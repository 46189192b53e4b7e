#!/usr/bin/env bash
# Build the PyInstaller one-folder bundle dist/s47desk/ (Linux) from installer/s47desk.spec.
#   bash installer/build-bundle.sh           build
#   bash installer/build-bundle.sh --smoke   build, then installer/smoke-bundle.sh tests it
# Uses .venv with the bundle and postgres extras (scripts/venv.sh; the package index is needed
# only the first time). The bundle runs on Linux with glibc at least as new as the build
# host's, and needs a few system libraries (installer/README.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
smoke=0
[[ "${1:-}" == "--smoke" ]] && smoke=1

bash scripts/venv.sh bundle postgres
mkdir -p build
log="build/pyinstaller.log"
start=$(date +%s)
if ! .venv/bin/python -m PyInstaller --noconfirm --clean --log-level INFO \
    --distpath dist --workpath build/pyinstaller installer/s47desk.spec >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "bundle: PyInstaller failed; the whole log is $log" >&2
  exit 1
fi
seconds=$(($(date +%s) - start))
echo "bundle: built dist/s47desk in ${seconds}s: $(du -sh dist/s47desk | cut -f1)," \
  "$(find dist/s47desk -type f | wc -l) files (log: $log)"
((smoke)) || exit 0
bash installer/smoke-bundle.sh dist/s47desk
