#!/usr/bin/env bash
# Install the Debian packages of scripts/system-packages.txt that are missing.
#   install-system.sh                  runtime + test: everything the tests need (test.sh, .ci/run)
#   install-system.sh runtime          only what the window needs on a desktop (run.sh)
#   install-system.sh --packages P...  named packages (venv.sh: python3.X-venv)
# Root, or sudo, installs. "runtime" is best effort: when nothing can install (no root and no
# usable sudo, offline, not Debian) it names what is missing and exits 0 so the window still
# tries to start. Anything else fails instead.
# PostgreSQL: Debian's package would create, start and enable a "main" cluster. The tests start
# their own throwaway server from /usr/lib/postgresql/*/bin, so a drop-in in
# /etc/postgresql-common/createcluster.d stops the cluster being created, a policy-rc.d (only
# while apt runs, and only if the machine has none) stops services starting, and the
# postgresql service is disabled when this script installed it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
list="$here/system-packages.txt"

best_effort=0
wanted=()
if [[ "${1:-}" == "--packages" ]]; then
  shift
  wanted=("$@")
else
  (($#)) || set -- runtime test
  [[ "$*" == "runtime" ]] && best_effort=1
  for group in "$@"; do
    found=$(sed -n "s/^$group:[[:space:]]*//p" "$list")
    [[ -n "$found" ]] || { echo "install-system: no group '$group' in $list" >&2; exit 2; }
    read -r -a more <<<"$(tr '\n' ' ' <<<"$found")"
    wanted+=("${more[@]}")
  done
fi

give_up() {  # give_up MESSAGE: runtime goes on without the packages, anything else stops
  if ((best_effort)); then
    echo "install-system: $1; starting anyway (the window may not open)" >&2
    exit 0
  fi
  echo "install-system: $1" >&2
  exit 1
}

if ! command -v dpkg-query >/dev/null 2>&1; then
  ((best_effort)) && exit 0  # not Debian: nothing to check; Qt says what it lacks
  give_up "not a Debian/Ubuntu system; install the equivalents of: ${wanted[*]}"
fi

# Installed packages and the names they provide (Ubuntu's libglib2.0-0t64 provides libglib2.0-0).
have=" $(dpkg-query -W -f='${db:Status-Abbrev}|${Package}|${Provides}\n' 2>/dev/null \
  | awk -F'|' '$1 ~ /^ii/ { n = split($3, p, /, */); printf "%s ", $2
      for (i = 1; i <= n; i++) { sub(/ .*/, "", p[i]); printf "%s ", p[i] } }') "
missing=()
for p in "${wanted[@]}"; do
  [[ "$have" == *" $p "* ]] || missing+=("$p")
done
((${#missing[@]})) || exit 0

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    give_up "missing ${missing[*]} (needs root to install: sudo apt-get install ${missing[*]})"
  elif [[ -t 0 ]]; then
    sudo=(sudo)  # asks for the password on the terminal
  elif sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    give_up "missing ${missing[*]} (needs root to install: sudo apt-get install ${missing[*]})"
  fi
fi
apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)

pg_installing=0
for p in "${missing[@]}"; do [[ "$p" == postgresql* ]] && pg_installing=1; done
policy=/usr/sbin/policy-rc.d
policy_ours=0
cleanup() { ((policy_ours)) && "${sudo[@]}" rm -f "$policy"; return 0; }
trap cleanup EXIT
if ((pg_installing)); then
  # Read by postgresql-common's createcluster.conf (its include_dir), also when it is installed
  # in this same apt run.
  "${sudo[@]}" mkdir -p /etc/postgresql-common/createcluster.d
  printf '%s\n' "# s47desk (scripts/install-system.sh): the tests start their own server" \
    "create_main_cluster = false" \
    | "${sudo[@]}" tee /etc/postgresql-common/createcluster.d/s47desk-no-main-cluster.conf >/dev/null
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\n# s47desk install-system.sh: no service starts while it installs\nexit 101\n' \
      | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"
    policy_ours=1
  fi
fi

echo "install-system: installing ${missing[*]}" >&2
"${apt[@]}" update -qq >&2 || give_up "apt-get update failed (offline?); missing ${missing[*]}"
"${apt[@]}" install -y -qq --no-install-recommends --no-upgrade "${missing[@]}" >/dev/null \
  || give_up "apt-get install failed; missing ${missing[*]}"

if ((pg_installing)); then
  # No cluster exists, so the service would start nothing; disable it all the same.
  if command -v systemctl >/dev/null 2>&1; then
    "${sudo[@]}" systemctl disable postgresql >/dev/null 2>&1 || true
    [[ -d /run/systemd/system ]] && { "${sudo[@]}" systemctl stop postgresql >/dev/null 2>&1 || true; }
  fi
  if command -v update-rc.d >/dev/null 2>&1 && [[ -e /etc/init.d/postgresql ]]; then
    "${sudo[@]}" update-rc.d postgresql disable >/dev/null 2>&1 || true
  fi
fi
