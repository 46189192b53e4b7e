#!/usr/bin/env bash
# Put s47desk on this user's desktop and PATH (XDG; no root). Called by run.sh on every launch;
# writes only what is missing or different, and says in one line what it installed where.
#   ~/.local/bin/s47desk                                  launcher: execs .venv/bin/s47desk
#   ~/.local/share/applications/s47desk.desktop           the menu entry (runs the launcher)
#   ~/.local/share/icons/hicolor/scalable/apps/s47desk.svg  its icon
# XDG_DATA_HOME moves the last two; S47DESK_BIN_DIR moves the launcher.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="${S47DESK_BIN_DIR:-$HOME/.local/bin}"
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
launcher="$bin_dir/s47desk"
entry="$data_home/applications/s47desk.desktop"
icon="$data_home/icons/hicolor/scalable/apps/s47desk.svg"

q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }  # quote for sh
launcher_text="#!/bin/sh
# s47desk launcher, written by $root/scripts/run.sh
venv=$(q "$root/.venv")
if [ -x \"\$venv/bin/s47desk\" ]; then
  exec \"\$venv/bin/s47desk\" \"\$@\"
fi
# No installed s47desk (yet): run.sh installs it, then starts it.
exec bash $(q "$root/scripts/run.sh") \"\$@\"
"
# Desktop entry Exec: quote with double quotes, escaping \ " \` $ (XDG desktop entry spec).
exec_path=$(sed 's/[\\"`$]/\\\\&/g' <<<"$launcher")
entry_text="[Desktop Entry]
Type=Application
Version=1.5
Name=s47desk
GenericName=Strategy discussion
Comment=Chair and record multi-agency strategy discussions (section 47)
Exec=\"$exec_path\"
TryExec=$launcher
Icon=s47desk
Terminal=false
Categories=Office;
Keywords=safeguarding;strategy;section 47;children;
"

changed=()
put() {  # put FILE MODE TEXT|--copy SOURCE
  local file=$1 mode=$2
  local tmp
  mkdir -p "$(dirname "$file")"
  tmp=$(mktemp "$file.XXXXXX")
  if [[ $3 == --copy ]]; then cat "$4" >"$tmp"; else printf '%s' "$3" >"$tmp"; fi
  chmod "$mode" "$tmp"
  if cmp -s "$tmp" "$file" && [[ -x "$file" || $mode != 755 ]]; then
    rm -f "$tmp"
  else
    mv -f "$tmp" "$file"
    changed+=("${file/#$HOME/\~}")
  fi
}
put "$launcher" 755 "$launcher_text"
put "$icon" 644 --copy "$root/resources/s47desk.svg"
put "$entry" 644 "$entry_text"

((${#changed[@]})) || exit 0
command -v update-desktop-database >/dev/null 2>&1 \
  && update-desktop-database -q "$data_home/applications" 2>/dev/null || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && [[ -f "$data_home/icons/hicolor/index.theme" ]] \
  && gtk-update-icon-cache -q -t "$data_home/icons/hicolor" 2>/dev/null || true
note=""
case ":$PATH:" in
  *":$bin_dir:"*) ;;
  *) note=" ($bin_dir is not on PATH yet: log in again, or add it to PATH)" ;;
esac
echo "s47desk: installed ${changed[*]}$note" >&2
