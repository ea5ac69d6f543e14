#!/usr/bin/env bash
# Builds xiehui (Release) and serves it with demo data on SQLite at var/xiehui.db.
# Works on a fresh Debian 12: installs whatever packages are missing first.
#
#   XIEHUI_LISTEN   address to listen on (default 127.0.0.1:8080)
#   XIEHUI_DB       database connection (default sqlite3://db=var/xiehui.db)
# Further arguments are passed to `xiehui serve`.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_packages "${XIEHUI_BUILD_PACKAGES[@]}"
build_ui
configure_and_build xiehui

mkdir -p var
listen="${XIEHUI_LISTEN:-127.0.0.1:8080}"
db="${XIEHUI_DB:-sqlite3://db=var/xiehui.db}"
log "starting xiehui; open http://$listen/ in a browser (Ctrl-C stops it)"
exec "$BUILD_DIR/xiehui" serve --demo --db "$db" --listen "$listen" "$@"
