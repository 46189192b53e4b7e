#!/usr/bin/env bash
# Start s47desk (the meeting window, or a command: run.sh list, run.sh --version).
# The first run installs: the Qt libraries a desktop needs (asks for sudo only if one is
# missing), .venv with s47desk (needs the package index once), and the launcher
# ~/.local/bin/s47desk with a menu entry and icon. Every later run checks that all of it is
# still there and starts the app: no pip, no network. It reinstalls into .venv only when
# pyproject.toml or constraints.txt changed, and rebuilds a broken .venv.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/install-system.sh" runtime
if ! bash "$root/scripts/venv.sh"; then
  # An update that could not finish (offline, say): start what is installed; the next run
  # tries the update again.
  [[ -x "$root/.venv/bin/s47desk" ]] || exit 1
  echo "s47desk: could not update .venv (see above); starting the version installed" >&2
fi
bash "$root/scripts/install-desktop.sh" \
  || echo "s47desk: could not install the launcher and menu entry; starting anyway" >&2
exec "$root/.venv/bin/s47desk" "$@"
