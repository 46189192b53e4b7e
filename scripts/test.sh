#!/usr/bin/env bash
# Install everything s47desk's tests need, then lint, type-check, run the whole test suite and,
# on a full run, build the one-folder bundle and smoke-test it.
#   bash scripts/test.sh              everything (what CI runs)
#   bash scripts/test.sh -k launch    pytest options pass through; the bundle step is then skipped
# Steps: system packages (needs root or sudo on a fresh machine; installs no running database
# server), .venv with the test tools, ruff, mypy, pytest (tests/test_launch.py runs
# scripts/run.sh on a copy of the checkout, online and offline), bundle (installer/build-bundle.sh
# --smoke; S47DESK_BUNDLE=0 skips it, S47DESK_BUNDLE=1 runs it also with pytest options).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
step() { printf '\n== %s\n' "$*"; }

step "system packages"
bash scripts/install-system.sh
step "venv (test tools)"
bash scripts/venv.sh test
step "lint: ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
step "types: mypy"
.venv/bin/mypy
step "tests: pytest"
.venv/bin/python -m pytest "$@"

bundle="${S47DESK_BUNDLE:-}"
[[ -n "$bundle" ]] || { (($#)) && bundle=0 || bundle=1; }
if [[ "$bundle" == 1 ]]; then
  step "bundle: build the one-folder bundle and smoke-test it"
  bash installer/build-bundle.sh --smoke
else
  step "bundle: skipped (pytest options given or S47DESK_BUNDLE=0; run installer/build-bundle.sh --smoke)"
fi

# The PostgreSQL tests start and stop their own server; none may be left behind.
if pgrep -x postgres >/dev/null 2>&1; then
  echo "test: warning: a PostgreSQL server is running:" >&2
  pgrep -a -x postgres >&2 || true
fi
