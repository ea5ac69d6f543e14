#!/usr/bin/env bash
# Browser tests of the web UI: playwright-core driving Debian's chromium (headless) against a real
# xiehui with a fresh SQLite database on 127.0.0.1:<free port>. Also runs the UI's unit tests
# (node --test web/ui/src), and prints the bundle size and the home page's time to first render.
#
# Installs chromium and fonts-wqy-microhei when missing, builds web/ui/dist when it is older than
# its sources, and builds build/xiehui only when it does not exist. The servers are stopped by
# their pids however the run ends. Screenshots of each role's home page: build/ui-screenshots/<role>.png;
# of the phone-size flows' pages at both sizes: build/ui-screenshots/{desktop,phone}/<page>.png.
# ui.test.mjs runs every *.test.mjs here (membership, training, phone, a11y: axe-core).
#
# E-mail is really delivered: an SMTP sink (tests/support/smtp_sink.py, Debian's python3-aiosmtpd)
# on 127.0.0.1 keeps every message as a JSON line in $WORK/lane-N/mail/messages.jsonl
# (XIEHUI_UI_MAIL_DIR for the tests), and xiehui is started with a config file pointing its outbox
# at it. The sink is stopped by its pid too.
#
#   XIEHUI_UI_ONLY=<regex>  only the tests whose names match
#   XIEHUI_UI_LANES=N       N lanes side by side (default: one per two cores), see below
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
cd "$ROOT"

UI="$ROOT/web/ui"
TESTS="$ROOT/tests/ui"
WORK="$BUILD_DIR/ui-test"
SHOTS="$BUILD_DIR/ui-screenshots"
pids=() # every lane's server and SMTP sink

# shellcheck disable=SC2317 # called by the EXIT trap
stop_server() {
  local pid
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  pids=()
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

# The tests can run in lanes (XIEHUI_UI_LANES), each its own node runner and Chromium against its
# own xiehui, SQLite database and SMTP sink; harness.mjs gives each lane the same files on every
# run. A lane keeps about two cores busy (Chromium's rendering, layout and axe-core are most of
# the run): one lane per two cores. (On two cores three lanes took 14.9 min against one's 15.5.)
LANES="${XIEHUI_UI_LANES:-$(($(nproc) / 2 > 1 ? $(nproc) / 2 : 1))}"
[[ "$LANES" =~ ^[1-9][0-9]*$ ]] || die "XIEHUI_UI_LANES must be a positive number, not '$LANES'"
rm -rf "$WORK"
mkdir -p "$WORK" "$SHOTS"
export XIEHUI_UI_ADMIN_PASSWORD="Ui-Admin-Pass-2026"
export XIEHUI_UI_STAFF_PASSWORD="Ui-Staff-Pass-2026"
export XIEHUI_UI_LEADER_PASSWORD="Ui-Leader-Pass-2026"
export XIEHUI_UI_MEMBER_PASSWORD="Ui-Member-Pass-2026"

# await PID ERRFILE WHAT COMMAND... — runs COMMAND every 0.1 s until it succeeds (at most 30 s);
# stops the run, showing ERRFILE, when PID (WHAT) exits first.
await() {
  local pid="$1" err="$2" what="$3"
  shift 3
  for _ in $(seq 300); do
    "$@" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || {
      cat "$err" >&2
      die "$what exited before listening"
    }
    sleep 0.1
  done
  die "$what did not listen within 30 s (see $err)"
}

# start_lane N — in $WORK/lane-N: a fresh database with one account per role, then the demo data
# (--demo: 62 member units, three pending applications, the demo accounts; member1 belongs to
# unit 1, the demo's 长沙经济技术开发区), an SMTP sink and a server. Sets lane_url and lane_mail.
start_lane() {
  local dir="$WORK/lane-$1"
  mkdir -p "$dir"
  local db="sqlite3://db=$dir/xiehui.db"
  add_user() { # username role display-name password [member-id]
    local -a extra=()
    [[ -n "${5:-}" ]] && extra=(--member-id "$5")
    printf '%s\n' "$4" | "$BUILD_DIR/xiehui" user add --db "$db" --username "$1" --role "$2" \
      --display-name "$3" "${extra[@]}" >>"$dir/setup.log" 2>&1 ||
      die "xiehui user add $1 failed: $(cat "$dir/setup.log")"
  }
  add_user admin admin "系统管理员" "$XIEHUI_UI_ADMIN_PASSWORD"
  add_user staff1 staff "秘书处小王" "$XIEHUI_UI_STAFF_PASSWORD"
  add_user leader1 leader "李会长" "$XIEHUI_UI_LEADER_PASSWORD"
  add_user member1 member "长沙经开区" "$XIEHUI_UI_MEMBER_PASSWORD" 1

  # The SMTP sink: it writes its port to $lane_mail/port once it listens.
  lane_mail="$dir/mail"
  mkdir -p "$lane_mail"
  /usr/bin/python3 "$ROOT/tests/support/smtp_sink.py" --dir "$lane_mail" >"$dir/smtp.out" \
    2>"$dir/smtp.err" &
  local sink=$!
  pids+=("$sink")
  await "$sink" "$dir/smtp.err" "the SMTP sink" test -s "$lane_mail/port"
  local smtp_port
  smtp_port="$(tr -d '[:space:]' <"$lane_mail/port")"

  # The outbox polls every 100 ms: a reset mail is in the sink well within a test's patience.
  printf '%s\n' '{' \
    '  "mail_from": "湖南省开发区协会 <noreply@xiehui.example.org>",' \
    "  \"smtp\": { \"host\": \"127.0.0.1\", \"port\": $smtp_port }," \
    '  "outbox": { "poll_milliseconds": 100 }' \
    '}' >"$dir/config.json"

  "$BUILD_DIR/xiehui" serve --config "$dir/config.json" --db "$db" --listen 127.0.0.1:0 --demo \
    >"$dir/server.out" 2>"$dir/server.err" &
  local server=$!
  pids+=("$server")

  await "$server" "$dir/server.err" xiehui grep -q 'listening on http://' "$dir/server.out"
  lane_url="$(grep -o -m1 'listening on http://[0-9.]*:[0-9]*' "$dir/server.out" |
    sed 's/^listening on //')"
  log "lane $(($1 + 1)): xiehui (pid $server) at $lane_url, SMTP sink (pid $sink) at port $smtp_port"
}

# Every lane's server first, so that a lane that cannot start stops the run before any test.
urls=()
mails=()
for ((lane = 0; lane < LANES; lane++)); do
  start_lane "$lane"
  urls+=("$lane_url")
  mails+=("$lane_mail")
done

runners=()
for ((lane = 0; lane < LANES; lane++)); do
  # Each lane's lines as they come, marked with the lane when there are several.
  prefix=""
  ((LANES > 1)) && prefix="[$((lane + 1))] "
  (
    XIEHUI_URL="${urls[lane]}" XIEHUI_UI_MAIL_DIR="${mails[lane]}" XIEHUI_UI_SCREENSHOTS="$SHOTS" \
      XIEHUI_UI_DIST="$UI/dist" XIEHUI_UI_LANE="$lane" XIEHUI_UI_LANES="$LANES" \
      node "$TESTS/ui.test.mjs" 2>&1 | sed -u "s/^/$prefix/"
    exit "${PIPESTATUS[0]}"
  ) &
  runners+=($!)
done

rc=0
for ((lane = 0; lane < LANES; lane++)); do
  if ! wait "${runners[lane]}"; then
    rc=1
    log "lane $((lane + 1)) failed; its server's log: $WORK/lane-$lane/server.err"
  fi
done
exit "$rc"
