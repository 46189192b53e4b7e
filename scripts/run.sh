#!/usr/bin/env bash
# Install s47desk and start the meeting window (the demo meetings load when the database is empty).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/install-system.sh" runtime
bash "$root/scripts/venv.sh"
exec "$root/.venv/bin/s47desk" "$@"
