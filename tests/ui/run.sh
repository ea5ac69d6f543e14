#!/usr/bin/env bash
# Browser tests of the web UI: playwright-core driving Debian's chromium (headless) against a real
# xiehui with a fresh SQLite database on 127.0.0.1:<free port>. Also runs the UI's unit tests
# (node --test web/ui/src), and prints the bundle size and the home page's time to first render.
#
# Installs chromium and fonts-wqy-microhei when missing, builds web/ui/dist when it is older than
# its sources, and builds build/xiehui only when it does not exist. The server is stopped by its
# pid however the run ends. Screenshots of each role's home page: build/ui-screenshots/<role>.png;
# of the phone-size flows' pages at both sizes: build/ui-screenshots/{desktop,phone}/<page>.png.
# ui.test.mjs runs every *.test.mjs here (membership, training, phone, a11y: axe-core).
#
# E-mail is really delivered: an SMTP sink (tests/support/smtp_sink.py, Debian's python3-aiosmtpd)
# on 127.0.0.1 keeps every message as a JSON line in $WORK/mail/messages.jsonl (XIEHUI_UI_MAIL_DIR
# for the tests), and xiehui is started with a config file pointing its outbox at it. The sink is
# stopped by its pid too.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
cd "$ROOT"

UI="$ROOT/web/ui"
TESTS="$ROOT/tests/ui"
WORK="$BUILD_DIR/ui-test"
SHOTS="$BUILD_DIR/ui-screenshots"
server_pid=""
sink_pid=""

# shellcheck disable=SC2317 # called by the EXIT trap
stop_server() {
  local pid
  for pid in "$server_pid" "$sink_pid"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  server_pid=""
  sink_pid=""
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_packages chromium fonts-wqy-microhei python3-aiosmtpd

# The UI bundle: rebuilt when missing or older than anything it is built from.
if [[ ! -f "$UI/dist/index.html" ]] ||
  [[ -n "$(find "$UI/src" "$UI/public" "$UI/index.html" "$UI/vite.config.js" "$UI/package-lock.json" \
    -newer "$UI/dist/index.html" -print -quit 2>/dev/null)" ]]; then
  build_ui
fi
if [[ ! -x "$BUILD_DIR/xiehui" ]]; then
  configure_and_build xiehui
fi

# playwright-core, from tests/ui/package-lock.json; npm ci only when the lock changed.
stamp="$TESTS/node_modules/.xiehui-npm-ci"
if [[ ! -f "$stamp" || "$TESTS/package-lock.json" -nt "$stamp" ]]; then
  log "installing test dependencies: npm ci (tests/ui)"
  (cd "$TESTS" && npm ci --no-audit --no-fund)
  mkdir -p "$TESTS/node_modules"
  touch "$stamp"
fi

log "UI unit tests: node --test web/ui/src"
node --test --test-reporter=spec "$UI/src/"

# Bundle size: every script and stylesheet xiehui may send (raw, and gzip -9 file by file).
raw=0
gz=0
for f in "$UI"/dist/assets/*.js "$UI"/dist/assets/*.css; do
  raw=$((raw + $(wc -c <"$f")))
  gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
done
echarts_js=("$UI"/dist/assets/EChart-*.js)
echarts_gz=$(gzip -9 -c "${echarts_js[0]}" | wc -c)
printf 'bundle size: %d KiB raw, %d KiB gzip -9 (all of dist/assets/*.js + *.css; of which the lazily loaded ECharts chunk %d KiB gzip)\n' \
  $((raw / 1024)) $((gz / 1024)) $((echarts_gz / 1024))

# A fresh database with one account per role, then the demo data (--demo: 62 member units, three
# pending applications, the demo accounts). member1 belongs to unit 1, the demo's 长沙经济技术开发区.
rm -rf "$WORK"
mkdir -p "$WORK" "$SHOTS"
db="sqlite3://db=$WORK/xiehui.db"
export XIEHUI_UI_ADMIN_PASSWORD="Ui-Admin-Pass-2026"
export XIEHUI_UI_STAFF_PASSWORD="Ui-Staff-Pass-2026"
export XIEHUI_UI_LEADER_PASSWORD="Ui-Leader-Pass-2026"
export XIEHUI_UI_MEMBER_PASSWORD="Ui-Member-Pass-2026"
add_user() { # username role display-name password [member-id]
  local -a extra=()
  [[ -n "${5:-}" ]] && extra=(--member-id "$5")
  printf '%s\n' "$4" | "$BUILD_DIR/xiehui" user add --db "$db" --username "$1" --role "$2" \
    --display-name "$3" "${extra[@]}" >>"$WORK/setup.log" 2>&1 ||
    die "xiehui user add $1 failed: $(cat "$WORK/setup.log")"
}
add_user admin admin "系统管理员" "$XIEHUI_UI_ADMIN_PASSWORD"
add_user staff1 staff "秘书处小王" "$XIEHUI_UI_STAFF_PASSWORD"
add_user leader1 leader "李会长" "$XIEHUI_UI_LEADER_PASSWORD"
add_user member1 member "长沙经开区" "$XIEHUI_UI_MEMBER_PASSWORD" 1

# The SMTP sink: it writes its port to $mail/port once it listens (at most 10 s).
mail="$WORK/mail"
mkdir -p "$mail"
/usr/bin/python3 "$ROOT/tests/support/smtp_sink.py" --dir "$mail" >"$WORK/smtp.out" 2>"$WORK/smtp.err" &
sink_pid=$!
for _ in $(seq 100); do
  [[ -s "$mail/port" ]] && break
  kill -0 "$sink_pid" 2>/dev/null || {
    cat "$WORK/smtp.err" >&2
    die "the SMTP sink exited before listening"
  }
  sleep 0.1
done
[[ -s "$mail/port" ]] || die "the SMTP sink did not report its port within 10 s (see $WORK/smtp.err)"
smtp_port="$(tr -d '[:space:]' <"$mail/port")"
export XIEHUI_UI_MAIL_DIR="$mail"
log "SMTP sink (pid $sink_pid) at 127.0.0.1:$smtp_port, messages in $mail/messages.jsonl"

# The outbox polls every 100 ms: a reset mail is in the sink well within a test's patience.
cat >"$WORK/config.json" <<EOF
{
  "mail_from": "湖南省开发区协会 <noreply@xiehui.example.org>",
  "smtp": { "host": "127.0.0.1", "port": $smtp_port },
  "outbox": { "poll_milliseconds": 100 }
}
EOF

"$BUILD_DIR/xiehui" serve --config "$WORK/config.json" --db "$db" --listen 127.0.0.1:0 --demo \
  >"$WORK/server.out" 2>"$WORK/server.err" &
server_pid=$!

# Wait (at most 30 s) for "listening on http://127.0.0.1:PORT".
url=""
for _ in $(seq 300); do
  url="$(grep -o -m1 'listening on http://[0-9.]*:[0-9]*' "$WORK/server.out" 2>/dev/null | sed 's/^listening on //' || true)"
  [[ -n "$url" ]] && break
  kill -0 "$server_pid" 2>/dev/null || {
    cat "$WORK/server.err" >&2
    die "xiehui exited before listening"
  }
  sleep 0.1
done
[[ -n "$url" ]] || die "xiehui did not report its address within 30 s (see $WORK/server.err)"
log "xiehui (pid $server_pid) at $url"

rc=0
XIEHUI_URL="$url" XIEHUI_UI_SCREENSHOTS="$SHOTS" XIEHUI_UI_DIST="$UI/dist" node "$TESTS/ui.test.mjs" || rc=$?
if ((rc != 0)); then
  log "server log: $WORK/server.err"
fi
exit "$rc"
