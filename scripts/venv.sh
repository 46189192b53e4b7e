#!/usr/bin/env bash
# Make .venv ready to run s47desk, installing only when needed.
#   venv.sh [EXTRA...]     e.g. "venv.sh test", "venv.sh bundle" (extras from pyproject.toml)
# Every later run takes the fast path: .venv is whole and its stamp file (.venv/.s47desk-install)
# holds the hash of pyproject.toml + constraints.txt and the extras installed, so it runs no pip
# and needs no network. Otherwise it
#   - rebuilds a broken .venv (no Python that runs, no pip: e.g. made without python3-venv),
#     saying why in one line;
#   - installs setuptools and wheel into the venv (pinned in constraints.txt), then s47desk with
#     --no-build-isolation, so it needs the package index only for packages not yet installed;
#   - writes the stamp last: an install that was cut short is redone next time.
# Messages go to standard error (run.sh's standard output is the app's).
# PYTHON picks the interpreter for a new .venv (default python3; 3.11 or newer).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
stamp="$venv/.s47desk-install"
python="${PYTHON:-python3}"

hash=$(cat "$root/pyproject.toml" "$root/constraints.txt" | sha256sum | cut -d' ' -f1)
# Extras as a sorted, space-separated list: the ones asked for plus the ones already installed.
sorted() { tr ' ' '\n' <<<"$*" | sed '/^$/d' | sort -u | tr '\n' ' ' | sed 's/ $//'; }
asked=$(sorted "$@")

broken=""
if [[ ! -e "$venv" ]]; then
  broken="new"
elif [[ ! -f "$venv/pyvenv.cfg" ]] || ! "$venv/bin/python" -I -S -c '' 2>/dev/null; then
  broken=".venv has no Python that runs"
elif [[ ! -e "$venv/bin/pip" ]]; then
  broken=".venv has no pip (made without python3-venv?)"
fi

had=""
if [[ -z "$broken" && -f "$stamp" && -e "$venv/bin/s47desk" ]]; then
  read -r stamp_hash had <"$stamp" || true
  had=$(sorted "$had")
  missing_extra=0
  for e in $asked; do [[ " $had " == *" $e "* ]] || missing_extra=1; done
  if [[ "$stamp_hash" == "$hash" ]] && ((!missing_extra)); then
    exit 0  # the fast path: nothing to do
  fi
fi

if [[ -z "$broken" ]] && ! "$venv/bin/python" -c 'import pip' 2>/dev/null; then
  broken=".venv's pip does not import"
fi
if [[ -n "$broken" ]]; then
  "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
    || { echo "venv: s47desk needs Python 3.11 or newer ($python is $("$python" --version 2>&1 || echo missing)); set PYTHON=" >&2; exit 1; }
  if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
    # Debian and Ubuntu ship ensurepip separately, in python3.X-venv.
    pyver=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    pkgs=("python$pyver-venv")
    [[ "$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" == "$pyver" ]] \
      && pkgs=(python3-venv "${pkgs[@]}")
    echo "venv: $python cannot make a virtual environment; installing ${pkgs[*]}" >&2
    bash "$root/scripts/install-system.sh" --packages "${pkgs[@]}" >&2 \
      || { echo "venv: install ${pkgs[*]} (sudo apt-get install ${pkgs[*]}), or set PYTHON to a Python with venv" >&2; exit 1; }
  fi
  if [[ "$broken" == new ]]; then
    echo "venv: creating .venv with $("$python" --version) and installing s47desk (needs the package index once)" >&2
  else
    echo "venv: $broken; rebuilding .venv" >&2
  fi
  rm -rf "$venv"
  "$python" -m venv "$venv" >&2
else
  if [[ ! -f "$stamp" ]]; then
    echo "venv: finishing an install that did not complete" >&2
  else
    echo "venv: pyproject.toml, constraints.txt or the extras changed; updating .venv" >&2
  fi
fi
rm -f "$stamp"

extras=$(sorted "$asked $had")
spec="$root"
[[ -n "$extras" ]] && spec="$root[$(tr ' ' ',' <<<"$extras")]"
pip=("$venv/bin/python" -m pip --disable-pip-version-check -q)
"${pip[@]}" install -c "$root/constraints.txt" "setuptools>=77" wheel >&2
"${pip[@]}" install --no-build-isolation -c "$root/constraints.txt" -e "$spec" >&2
echo "$hash $extras" >"$stamp"
