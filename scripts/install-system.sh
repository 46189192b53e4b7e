#!/usr/bin/env bash
# Install the Debian packages in system-packages.txt that are missing (needs root or sudo).
# Usage: install-system.sh [runtime]   "runtime" installs only the Qt libraries the window needs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system: not a Debian/Ubuntu system; install the packages in $here/system-packages.txt yourself" >&2
  exit 0
fi
if [[ "${1:-}" == "runtime" ]]; then
  wanted=$(grep -v '^#' "$here/system-packages.txt" | head -n 2 | tr '\n' ' ')
else
  wanted=$(grep -v '^#' "$here/system-packages.txt" | tr '\n' ' ')
fi
missing=()
for p in $wanted; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
((${#missing[@]})) || exit 0

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-system: need root to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-system: installing ${missing[*]}"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends --no-upgrade "${missing[@]}" >/dev/null
