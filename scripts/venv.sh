#!/usr/bin/env bash
# Create .venv (once) and install s47desk into it; pass "test" to add the test tools.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "s47desk needs Python 3.11 or newer ($python is $("$python" --version))" >&2; exit 1; }
[[ -x "$root/.venv/bin/python" ]] || "$python" -m venv "$root/.venv"
extras=""
[[ "${1:-}" == "test" ]] && extras="[test]"
"$root/.venv/bin/python" -m pip install -q --disable-pip-version-check -c "$root/constraints.txt" -e "$root$extras"
