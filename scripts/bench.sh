#!/usr/bin/env bash
# Load test of a Release build with wrk on loopback, on SQLite and on a throwaway MariaDB.
# Prints one line per (backend, path): requests/s, p99 latency, non-2xx responses, socket errors.
#
#   BENCH_SECONDS       duration of each wrk run (default 10)
#   BENCH_THREADS       wrk threads (default 2)
#   BENCH_CONNECTIONS   wrk connections (default 64)
#   BENCH_BACKENDS      backends to run (default "sqlite mariadb")
#   BENCH_SECTIONS      what to measure (default "paths login members signups history dues meetings
#                       visits notifications reports ratio"; "reports" alone skips the xlsx import)
#                       history: sign-ups/s over three rounds after BENCH_SIGNUP_HISTORY earlier
#                       enrolments of the same unit, each round on a new class (flat = no slowdown
#                       as the enrolments table grows)
#                       ratio: xiehui against a bare Beast server (bench/bare_server.cpp, 2 I/O
#                       threads) in the same run, wrk -t2 -c64, median of 3 rounds each: the bare
#                       /healthz, xiehui's /healthz (SQLite), one member and the directory's page
#                       of 50 read as staff with a Bearer token, each one's req/s divided by the
#                       bare server's, and the sign-ups run's req/s (its one round, no ratio); plus
#                       xiehui's time from start to listening, idle RSS and peak RSS (VmHWM) after
#                       that load
#   BENCH_REPORT_UNITS  units of the reports dataset (default 100000; everything else scales with
#                       it: 10 invoices, 5 enrolments, 0.5 meeting replies per unit; at least 200)
#   BENCH_REPORT_CONNECTIONS  wrk connections of the report latency runs (default 1)
#   BENCH_NOTICES       notices delivered by e-mail in the notifications run (default 2000)
#   BENCH_SIGNUP_HISTORY  enrolments written with SQL before the history rounds (default 100000)
#   BENCH_MEMBER_UNITS  units imported from an xlsx for the directory runs (default 10000)
#   BENCH_VISIT_DELEGATES  pending delegates of the visit whose approvals are timed (default 4000)
#   BENCH_DUES_UNITS    active units for the dues runs (default 100000: the imported ones topped
#                       up with plain SQL rows)
#   BENCH_SECTIONS=scaleout  alone: sign-ups/s, payments/s and authenticated GETs/s with one
#                       process on one MariaDB, two on one MariaDB, and three on a three-node
#                       Galera cluster (scripts/galera_test_cluster.sh in $BUILD_DIR/bench-galera),
#                       with the retry rate and exactness checks (bench/scaleout.py)
#   XIEHUI_BUILD_DIR    build directory (default build/; see scripts/lib.sh)
# Full wrk outputs and server logs are kept in $BUILD_DIR/bench/.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

seconds="${BENCH_SECONDS:-10}"
threads="${BENCH_THREADS:-2}"
connections="${BENCH_CONNECTIONS:-64}"
read -r -a backends <<<"${BENCH_BACKENDS:-sqlite mariadb}"
sections=" ${BENCH_SECTIONS:-paths login members signups history dues meetings visits notifications reports ratio} "
# wanted SECTION — whether BENCH_SECTIONS asks for it.
wanted() { [[ "$sections" == *" $1 "* ]]; }
paths=(/healthz /readyz)
readonly START_TIMEOUT_SECONDS=60
readonly STOP_TIMEOUT_SECONDS=20

BENCH_DIR="$BUILD_DIR/bench"
MARIADB_DIR="$BUILD_DIR/bench-mariadb"
server_pid=""
server_label="" # what server_pid runs, for messages: xiehui or the bare Beast server
sqlite_dir=""

stop_server() {
  [[ -n "$server_pid" ]] || return 0
  local pid="$server_pid" deadline
  server_pid=""
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT_SECONDS))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$server_label (pid $pid) did not stop within ${STOP_TIMEOUT_SECONDS}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  local rc=0
  wait "$pid" 2>/dev/null || rc=$?
  if ((rc != 0)); then
    log "warning: $server_label (pid $pid) exited with status $rc after SIGTERM"
  fi
}

GALERA_DIR="$BUILD_DIR/bench-galera"
galera_started=0

cleanup() {
  local rc=$?
  stop_server
  if ((galera_started)); then
    bash "$ROOT/scripts/galera_test_cluster.sh" stop "$GALERA_DIR" || true
  fi
  if [[ " ${backends[*]} " == *" mariadb "* ]]; then
    bash "$ROOT/scripts/mariadb_test_server.sh" stop "$MARIADB_DIR" || true
  fi
  [[ -z "$sqlite_dir" ]] || rm -rf "$sqlite_dir"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The scale-out run has servers of its own: the MariaDB test server and a Galera cluster.
if [[ "${sections// /}" == scaleout ]]; then
  ensure_packages "${XIEHUI_BUILD_PACKAGES[@]}" wrk mariadb-server mariadb-client python3
  configure_and_build xiehui
  mkdir -p "$BENCH_DIR"
  backends=(mariadb) # cleanup stops the MariaDB server
  bash scripts/mariadb_test_server.sh start "$MARIADB_DIR" >/dev/null
  eval "export $(bash scripts/mariadb_test_server.sh env "$MARIADB_DIR")"
  galera_started=1
  bash scripts/galera_test_cluster.sh start "$GALERA_DIR" >/dev/null
  eval "export $(bash scripts/galera_test_cluster.sh env "$GALERA_DIR" | tr '\n' ' ')"
  python3 bench/scaleout.py --binary "$BUILD_DIR/xiehui" --seconds "$seconds" \
    --connections "$connections"
  exit
fi

needed=("${XIEHUI_BUILD_PACKAGES[@]}" wrk)
if [[ " ${backends[*]} " == *" sqlite "* ]]; then
  needed+=(sqlite3) # the dues runs add units with the command-line client
fi
if [[ " ${backends[*]} " == *" mariadb "* ]]; then
  needed+=(mariadb-server mariadb-client)
fi
ensure_packages "${needed[@]}"
configure_and_build xiehui xiehui_bench_data xiehui_bare_server
mkdir -p "$BENCH_DIR"

# Access logs at info level would be written for every request; keep the server quiet. The daily
# dues run stays off: past midnight in Shanghai it would remind every unit in the middle of a run.
config="$BENCH_DIR/config.json"
printf '{"log_level": "warn", "dues_daily_run": false}\n' >"$config"

# await_listening NAME PATTERN — waits until server_pid, launched at server_launched
# ($EPOCHREALTIME) with its stdout and stderr in $BENCH_DIR/NAME.out and .err, prints a line
# matching PATTERN (an extended regex whose first group is the address); sets server_addr, and
# server_start_ms to the milliseconds from the launch to that line (polled every 10 ms).
server_launched=""
server_start_ms=""
await_listening() {
  local name="$1" pattern="$2" out="$BENCH_DIR/$1.out" line deadline
  server_addr=""
  deadline=$((SECONDS + START_TIMEOUT_SECONDS))
  while ((SECONDS < deadline)); do
    line="$(grep -m1 -E "$pattern" "$out" || true)"
    if [[ "$line" =~ $pattern ]]; then
      server_addr="${BASH_REMATCH[1]}"
      server_start_ms="$(awk -v a="$server_launched" -v b="$EPOCHREALTIME" \
        'BEGIN {printf "%.0f", (b - a) * 1000}')"
      return 0
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      tail -n 20 "$out" "$BENCH_DIR/$name.err" >&2
      server_pid=""
      die "$server_label ($name) exited before listening"
    fi
    sleep 0.01
  done
  tail -n 20 "$out" "$BENCH_DIR/$name.err" >&2
  die "$server_label ($name) did not print a line matching '$pattern' within ${START_TIMEOUT_SECONDS}s"
}

# start_server NAME CONN — starts xiehui in the background and sets server_pid and server_addr
# once it prints `listening on http://ADDR` (and server_start_ms, see await_listening).
start_server() {
  local name="$1" conn="$2" out="$BENCH_DIR/$1.out"
  : >"$out"
  server_label=xiehui
  server_launched=$EPOCHREALTIME
  XIEHUI_INITIAL_ADMIN_PASSWORD="$admin_password" \
    "$BUILD_DIR/xiehui" serve --config "$config" --db "$conn" --listen 127.0.0.1:0 \
    </dev/null >"$out" 2>"$BENCH_DIR/$name.err" &
  server_pid=$!
  await_listening "$name" '^listening on http://(.*)$'
}

# start_bare_server — starts the bare Beast server (bench/bare_server.cpp, 2 I/O threads) in the
# background, as start_server does xiehui; it prints `listening on ADDR`.
start_bare_server() {
  local out="$BENCH_DIR/bare.out"
  : >"$out"
  server_label=xiehui_bare_server
  server_launched=$EPOCHREALTIME
  "$BUILD_DIR/bench/xiehui_bare_server" --listen 127.0.0.1:0 --threads 2 \
    </dev/null >"$out" 2>"$BENCH_DIR/bare.err" &
  server_pid=$!
  await_listening bare '^listening on (.*)$'
}

results=()
notification_results=()
notices="${BENCH_NOTICES:-2000}"
login_results=()
member_results=()
member_units="${BENCH_MEMBER_UNITS:-10000}"
members_xlsx="$BENCH_DIR/members-$member_units.xlsx"
"$BUILD_DIR/bench/xiehui_bench_data" members "$member_units" "$members_xlsx"
admin_password="Bench-$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
login_lua="$BENCH_DIR/login.lua"
# 20 people signing in at once: 20 accounts, each connection cycling through them (one account
# signing in 20 times in parallel would rightly be throttled).
login_users=20
cat >"$login_lua" <<LUA
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"username":"bench%02d","password":"$admin_password"}', n % $login_users)
  return wrk.format("POST", "/api/session", {["Content-Type"] = "application/json"}, body)
end
LUA

# add_login_users CONN — the accounts the login run signs in with.
add_login_users() {
  local conn="$1" i
  for ((i = 0; i < login_users; i++)); do
    printf '%s\n' "$admin_password" |
      "$BUILD_DIR/xiehui" user add --db "$conn" --username "$(printf 'bench%02d' "$i")" \
        --role staff >/dev/null
  done
}

# bench_login NAME — 20 parallel clients signing in (argon2id, 19 MiB, 2 passes) for the run's
# duration; records logins/s, p50, p99 and the server's peak resident memory.
bench_login() {
  local name="$1" out rps p50 p99 non2xx peak
  out="$BENCH_DIR/wrk-$name-login.txt"
  log "wrk -t2 -c20 -d${seconds}s --latency -s login.lua http://$server_addr/api/session"
  wrk -t2 -c20 -d"${seconds}s" --latency -s "$login_lua" "http://$server_addr/api/session" >"$out"
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
  p50="$(awk '$1 == "50%" {print $2}' "$out")"
  p99="$(awk '$1 == "99%" {print $2}' "$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
  peak="$(awk '/^VmHWM:/ {printf "%.1f MiB", $2 / 1024}' "/proc/$server_pid/status")"
  login_results+=("$(printf '%-8s %10s %10s %10s %8s  %s' "$name" "${rps:-?}" "${p50:-?}" \
    "${p99:-?}" "${non2xx:-0}" "${peak:-?}")")
}

# bench NAME PATH — one wrk run against the running server; appends a line to results.
bench() {
  local name="$1" path="$2" out rps p99 non2xx errors
  out="$BENCH_DIR/wrk-$name${path//\//-}.txt"
  log "wrk -t$threads -c$connections -d${seconds}s --latency http://$server_addr$path"
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "http://$server_addr$path" >"$out"
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
  p99="$(awk '$1 == "99%" {print $2}' "$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
  errors="$(awk -F'Socket errors: ' '/Socket errors:/ {print $2}' "$out")"
  results+=("$(printf '%-8s %-9s %12s %10s %8s  %s' "$name" "$path" "${rps:-?}" "${p99:-?}" \
    "${non2xx:-0}" "${errors:-none}")")
}

# bench_members NAME — imports $member_units units from an xlsx as staff (dry run, then for
# real), then measures the directory: the first page sorted by pinyin, a deep page, a search.
bench_members() {
  local name="$1" jar="$BENCH_DIR/$1.cookies" csrf dry real created out rps p50 p99 target label
  curl -sf -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench00\",\"password\":\"$admin_password\"}" \
    "http://$server_addr/api/session" >/dev/null
  csrf="$(curl -sf -b "$jar" "http://$server_addr/api/session" |
    sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p')"
  log "$name: importing $member_units units (dry run, then for real)"
  dry="$(curl -sf -o /dev/null -w '%{time_total}' -b "$jar" -H "X-CSRF-Token: $csrf" \
    -H 'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' \
    --data-binary "@$members_xlsx" "http://$server_addr/api/members/import?dry_run=true")"
  real="$(curl -sf -o "$BENCH_DIR/$name-import.json" -w '%{time_total}' -b "$jar" \
    -H "X-CSRF-Token: $csrf" \
    -H 'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' \
    --data-binary "@$members_xlsx" "http://$server_addr/api/members/import?dry_run=false")"
  created="$(sed -n 's/.*"created":\([0-9]*\).*/\1/p' "$BENCH_DIR/$name-import.json")"
  [[ "$created" == "$member_units" ]] || die "$name: import created '${created}' units, expected $member_units"
  member_results+=("$(printf '%-8s %-34s %10s s' "$name" "import $member_units (dry run)" "$dry")")
  member_results+=("$(printf '%-8s %-34s %10s s' "$name" "import $member_units (write)" "$real")")
  local cookie
  cookie="$(awk '$6 == "xiehui_session" {print "xiehui_session=" $7}' "$jar")"
  for target in "/api/members?page=1&page_size=20" "/api/members?page=400&page_size=20" \
    "/api/members?q=%E7%AC%AC77%E5%8F%B7&page_size=20"; do
    case "$target" in
      *page=400*) label="directory, page 400 of 500" ;;
      *q=*) label="directory, search 第77号" ;;
      *) label="directory, first page (pinyin)" ;;
    esac
    out="$BENCH_DIR/wrk-$name-members-${#member_results[@]}.txt"
    log "wrk -t2 -c16 -d${seconds}s --latency -H Cookie http://$server_addr$target"
    wrk -t2 -c16 -d"${seconds}s" --latency -H "Cookie: $cookie" "http://$server_addr$target" >"$out"
    rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
    p50="$(awk '$1 == "50%" {print $2}' "$out")"
    p99="$(awk '$1 == "99%" {print $2}' "$out")"
    grep -q 'Non-2xx' "$out" && die "$name: $target answered non-2xx (see $out)"
    member_results+=("$(printf '%-8s %-34s %10s req/s  p50 %s  p99 %s' "$name" "$label" \
      "${rps:-?}" "${p50:-?}" "${p99:-?}")")
  done
}

# bench_signups NAME — 64 clients sign attendees up for a class of 10,000 seats for
# $seconds s (every sign-up locks the class row: this is the contended path). Its req/s and p99
# (ms) are kept for the ratio table too.
signup_results=()
declare -A signup_rps=() signup_p99=()
signup_lua="$ROOT/bench/lua/signup.lua"

# api_token NAME — prints a new personal API token of the staff account bench_members signed in
# with (a Bearer token needs no CSRF header).
api_token() {
  local name="$1" jar="$BENCH_DIR/$1.cookies" csrf token
  csrf="$(curl -sf -b "$jar" "http://$server_addr/api/session" |
    sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p')"
  token="$(curl -sf -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d '{"name":"bench"}' "http://$server_addr/api/tokens" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
  [[ -n "$token" ]] || die "$name: could not create an API token"
  printf '%s' "$token"
}

bench_signups() {
  local name="$1" token course class member out rps p50 p99 non2xx
  token="$(api_token "$name")"
  local auth=(-H "Authorization: Bearer $token" -H 'Content-Type: application/json')
  course="$(curl -sf "${auth[@]}" -d '{"title":"压测课程"}' "http://$server_addr/api/courses" |
    sed -n 's/^{"id":\([0-9]*\).*/\1/p')"
  class="$(curl -sf "${auth[@]}" -d '{"venue":"长沙","starts_at":"2030-12-07","ends_at":"2030-12-08","signup_deadline":"2030-11-30","capacity":10000,"per_member_quota":null,"fee_fen":100000,"status":"open"}' \
    "http://$server_addr/api/courses/$course/classes" | sed -n 's/^{"id":\([0-9]*\).*/\1/p')"
  member="$(curl -sf "${auth[@]}" "http://$server_addr/api/members?page_size=1" |
    sed -n 's/.*"items":\[{"id":\([0-9]*\).*/\1/p')"
  [[ -n "$class" && -n "$member" ]] || die "$name: could not set up the sign-up class"
  out="$BENCH_DIR/wrk-$name-signup.txt"
  log "wrk -t2 -c64 -d${seconds}s --latency -s signup.lua (class $class)"
  wrk -t2 -c64 -d"${seconds}s" --latency -s "$signup_lua" "http://$server_addr" \
    -- "/api/classes/$class/enrollments" "$token" "$member" >"$out"
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
  p50="$(awk '$1 == "50%" {print $2}' "$out")"
  p99="$(awk '$1 == "99%" {print $2}' "$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
  local confirmed
  confirmed="$(curl -sf "${auth[@]}" "http://$server_addr/api/classes/$class" |
    sed -n 's/.*"confirmed":\([0-9]*\).*/\1/p')"
  signup_results+=("$(printf '%-8s %12s %10s %10s %8s %10s' "$name" "${rps:-?}" "${p50:-?}" \
    "${p99:-?}" "${non2xx:-0}" "${confirmed:-?}")")
  signup_rps[$name]="${rps:-?}"
  signup_p99[$name]="$(wrk_ms "${p99:-0}")"
}

# ---- history: sign-ups after $signup_history earlier enrolments of the same unit ----
signup_history="${BENCH_SIGNUP_HISTORY:-100000}"
history_results=()

# history_rows BACKEND CLASS MEMBER FROM COUNT — one INSERT ... SELECT of COUNT confirmed
# enrolments of MEMBER in CLASS (the report triggers fire for each, as for a real sign-up).
history_rows() {
  local backend="$1" class="$2" member="$3" from="$4" count="$5"
  local cols="class_id, member_id, org_name, attendee_name, attendee_title, mobile, email, lodging,
    status, active_mobile, fee_fen, checkin_token, created_at"
  if [[ "$backend" == sqlite ]]; then
    db_sql sqlite <<SQL
WITH RECURSIVE n(i) AS (SELECT $from UNION ALL SELECT i + 1 FROM n WHERE i < $((from + count - 1)))
INSERT INTO enrollments ($cols)
SELECT $class, $member, '压测单位', '历史学员', '', printf('150%08d', i), '', 'none', 'confirmed',
  printf('150%08d', i), 0, 'hist-' || i, '2026-01-01 00:00:00.000000' FROM n;
SQL
  else
    db_sql mariadb <<SQL
INSERT INTO enrollments ($cols)
SELECT $class, $member, '压测单位', '历史学员', '', CONCAT('150', LPAD(seq, 8, '0')), '', 'none',
  'confirmed', CONCAT('150', LPAD(seq, 8, '0')), 0, CONCAT('hist-', seq),
  '2026-01-01 00:00:00.000000' FROM seq_${from}_to_$((from + count - 1));
SQL
  fi
}

# bench_history NAME — writes $signup_history enrolments of one unit over classes of 10,000 with
# SQL, then three wrk rounds of sign-ups by the same unit, each on a new class of 10,000 seats.
bench_history() {
  local name="$1" token course class member from out rps round rounds=()
  token="$(api_token "$name")"
  local auth=(-H "Authorization: Bearer $token" -H 'Content-Type: application/json')
  local class_json='{"venue":"长沙","starts_at":"2030-12-07","ends_at":"2030-12-08","signup_deadline":"2030-11-30","capacity":10000,"per_member_quota":null,"fee_fen":100000,"status":"open"}'
  course="$(curl -sf "${auth[@]}" -d '{"title":"历史课程"}' "http://$server_addr/api/courses" |
    sed -n 's/^{"id":\([0-9]*\).*/\1/p')"
  member="$(curl -sf "${auth[@]}" "http://$server_addr/api/members?page_size=1" |
    sed -n 's/.*"items":\[{"id":\([0-9]*\).*/\1/p')"
  [[ -n "$course" && -n "$member" ]] || die "$name: could not set up the history course"
  log "$name: $signup_history earlier enrolments of unit $member, 10,000 a class"
  for ((from = 0; from < signup_history; from += 10000)); do
    class="$(curl -sf "${auth[@]}" -d "$class_json" "http://$server_addr/api/courses/$course/classes" |
      sed -n 's/^{"id":\([0-9]*\).*/\1/p')"
    history_rows "$name" "$class" "$member" "$from" \
      "$((signup_history - from < 10000 ? signup_history - from : 10000))"
  done
  for round in 1 2 3; do
    class="$(curl -sf "${auth[@]}" -d "$class_json" "http://$server_addr/api/courses/$course/classes" |
      sed -n 's/^{"id":\([0-9]*\).*/\1/p')"
    out="$BENCH_DIR/wrk-$name-history-$round.txt"
    log "wrk -t2 -c64 -d${seconds}s -s signup.lua (history round $round, class $class)"
    wrk -t2 -c64 -d"${seconds}s" --latency -s "$signup_lua" "http://$server_addr" \
      -- "/api/classes/$class/enrollments" "$token" "$member" >"$out"
    rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
    rounds+=("${rps:-?}")
  done
  history_results+=("$(printf '%-8s %12s %12s %12s' "$name" "${rounds[@]}")")
}

# ---- dues: a bill run of $dues_units units, payments from 64 clients, the arrears report ----
dues_units="${BENCH_DUES_UNITS:-100000}"
dues_results=()
payment_lua="$ROOT/bench/lua/payment.lua"

# db_sql BACKEND — runs the SQL on stdin in the backend's bench database with its command-line
# client; prints each row's fields separated by white space.
db_sql() {
  case "$1" in
    sqlite) sqlite3 -batch -separator ' ' -cmd '.timeout 60000' "$sqlite_dir/xiehui.db" ;;
    mariadb)
      mariadb --no-defaults -h127.0.0.1 -P"$port" -uxiehui -pxiehui_test -N -B xiehui_bench
      ;;
  esac
}

# unit_rows FROM TO — one transaction of INSERTs (1,000 rows each) adding active units FROM..TO-1
# straight into members: a name, a member number, a placeholder credit code, a tier. Enough for
# dues; the import path that checks all of it is timed by bench_members.
unit_rows() {
  awk -v from="$1" -v to="$2" -v at="$(date -u '+%Y-%m-%d %H:%M:%S.000000')" -v q="'" '
    BEGIN {
      split("member member member council standing_council", tiers, " ")
      split("430100 430200 430300 430400 430500 430600 430700 430800 430900 431000 431100 " \
            "431200 431300 433100", cities, " ")
      print "BEGIN;"
      for (i = from; i < to; i++) {
        if ((i - from) % 1000 == 0) {
          if (i > from) print ";"
          print "INSERT INTO members (member_no, name, short_name, uscc, org_type, org_level, " \
                "city_code, address, tier, status, joined_on, sort_key, created_at, updated_at) VALUES"
        } else {
          print ","
        }
        row = sprintf("(\"BU%07d\", \"压测单位第%d号\", \"\", \"B%017d\", \"development_zone\", " \
                      "\"provincial\", \"%s\", \"\", \"%s\", \"active\", \"2020-01-01\", " \
                      "\"yacedanwei %07d\", \"%s\", \"%s\")",
                      i, i, i, cities[i % 14 + 1], tiers[i % 5 + 1], i, at, at)
        gsub(/"/, q, row)
        printf "%s", row
      }
      print ";"
      print "COMMIT;"
    }'
}

# peak_mib PID — the process's peak resident memory (VmHWM) in MiB.
peak_mib() {
  awk '/^VmHWM:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"
}

# bench_dues NAME — tops the units up to $dues_units with SQL rows, publishes a schedule for
# this year, times the bill run (POST /api/dues/bill-runs, synchronous) and the server's peak
# RSS during it, then 64 clients record payments for $seconds s, then wrk reads the arrears.
bench_dues() {
  local name="$1" token have year body t0 secs before peak created out rps p50 p99 non2xx
  token="$(api_token "$name")"
  local auth=(-H "Authorization: Bearer $token" -H 'Content-Type: application/json')
  have="$(db_sql "$name" <<<"SELECT COUNT(*) FROM members;")"
  if ((have < dues_units)); then
    log "$name: adding $((dues_units - have)) units with SQL"
    t0=$EPOCHREALTIME
    unit_rows "$have" "$dues_units" | db_sql "$name"
    secs="$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}')"
    dues_results+=("$(printf '%-8s %-40s %10s s' "$name" "SQL rows: $((dues_units - have)) units" "$secs")")
  fi
  have="$(db_sql "$name" <<<"SELECT COUNT(*) FROM members WHERE status = 'active';")"

  year="$(date -u +%Y)"
  body="$(printf '{"tiers":{"member":300000,"council":600000,"standing_council":1000000,"vice_president":2000000,"president":3000000},"effective_on":"%s-01-01","decision":{"meeting_name":"压测会员大会","held_on":"%s-12-20","entitled":%s,"present":%s,"votes_for":%s,"votes_against":0,"abstentions":0,"secret_ballot":true}}' \
    "$year" "$((year - 1))" "$have" "$have" "$have")"
  curl -sf -o /dev/null -X PUT "${auth[@]}" -d "$body" "http://$server_addr/api/dues/schedules/$year" ||
    die "$name: could not set the $year dues schedule"
  secs="$(curl -sf -o /dev/null -w '%{time_total}' "${auth[@]}" -X POST \
    "http://$server_addr/api/dues/schedules/$year/publish")" ||
    die "$name: could not publish the $year dues schedule"
  dues_results+=("$(printf '%-8s %-40s %10s s' "$name" "publish schedule ($have notifications)" "$secs")")

  # Peak RSS of the bill run alone: reset the high-water mark to the current RSS first (Linux
  # ≥ 4.0; without it the figure is the process's lifetime peak).
  before="$(awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$server_pid/status")"
  local scope="bill run only"
  echo 5 2>/dev/null >"/proc/$server_pid/clear_refs" || scope="process lifetime"
  log "$name: bill run $year for $have units"
  secs="$(curl -sf -o "$BENCH_DIR/$name-bill-run.json" -w '%{time_total}' "${auth[@]}" \
    -d "{\"year\":$year}" "http://$server_addr/api/dues/bill-runs")" ||
    die "$name: the bill run failed (see $BENCH_DIR/$name.err)"
  peak="$(peak_mib "$server_pid")"
  created="$(sed -n 's/.*"created":\([0-9]*\).*/\1/p' "$BENCH_DIR/$name-bill-run.json")"
  [[ "$created" == "$have" ]] || die "$name: the bill run created '${created}' invoices, expected $have"
  dues_results+=("$(printf '%-8s %-40s %10s s  peak RSS %s MiB (%s; %s MiB before)' "$name" \
    "bill run, $created invoices" "$secs" "$peak" "$scope" "$before")")

  # Payments: 64 clients, 1 元 each on invoices spread over the whole year's bill.
  local first last
  read -r first last < <(db_sql "$name" <<<"SELECT MIN(id), MAX(id) FROM dues_invoices WHERE year = $year;")
  out="$BENCH_DIR/wrk-$name-payments.txt"
  log "wrk -t2 -c64 -d${seconds}s --latency -s payment.lua (invoices $first..$last)"
  wrk -t2 -c64 -d"${seconds}s" --timeout 10s --latency -s "$payment_lua" "http://$server_addr" \
    -- "$token" "$first" "$((last - first + 1))" "$(date -u +%F)" "$name-$RANDOM$RANDOM" >"$out"
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
  p50="$(awk '$1 == "50%" {print $2}' "$out")"
  p99="$(awk '$1 == "99%" {print $2}' "$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
  local recorded
  recorded="$(db_sql "$name" <<<"SELECT COUNT(*) FROM dues_payments;")"
  dues_results+=("$(printf '%-8s %-40s %10s req/s  p50 %s  p99 %s  non-2xx %s  recorded %s' \
    "$name" "payments, 64 clients" "${rps:-?}" "${p50:-?}" "${p99:-?}" "${non2xx:-0}" "$recorded")")

  # The arrears report over every unit (all of them owe something): one reader, then eight.
  local clients total
  for clients in 1 8; do
    out="$BENCH_DIR/wrk-$name-arrears-c$clients.txt"
    log "wrk -t1 -c$clients -d${seconds}s --latency http://$server_addr/api/dues/arrears"
    wrk -t1 -c"$clients" -d"${seconds}s" --timeout 60s --latency \
      -H "Authorization: Bearer $token" "http://$server_addr/api/dues/arrears?page_size=50" >"$out"
    rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
    p50="$(awk '$1 == "50%" {print $2}' "$out")"
    p99="$(awk '$1 == "99%" {print $2}' "$out")"
    non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
    total="$(awk '/requests in/ {print $1}' "$out")"
    dues_results+=("$(printf '%-8s %-40s %10s req/s  p50 %s  p99 %s  (%s requests)  non-2xx %s' \
      "$name" "arrears, $have units, $clients client(s)" "${rps:-?}" "${p50:-?}" "${p99:-?}" \
      "${total:-?}" "${non2xx:-0}")")
  done
}

# ---- meetings and rooms: bookings/s on 64 rooms and on one room, the month view ----
meeting_results=()
booking_lua="$BENCH_DIR/booking.lua"
cat >"$booking_lua" <<'LUA'
local counter = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  token = args[1]
  first_room = tonumber(args[2])
  rooms = tonumber(args[3])
  year = tonumber(args[4])
end
-- Every request books a slot no other request asks for: each thread its own day of each month,
-- each request the next hour, so every answer should be 201 and the time goes to the room lock.
request = function()
  counter = counter + 1
  local room = first_room + (counter * 7 + id) % rooms
  local n = math.floor(counter / rooms)
  local hour = n % 20
  local day = 1 + id * 14 + math.floor(n / 20) % 14
  local month = 1 + math.floor(n / 280) % 12
  local y = year + math.floor(n / 3360)
  local body = string.format(
    '{"room_id":%d,"starts_at":"%04d-%02d-%02dT%02d:00:00+08:00","ends_at":"%04d-%02d-%02dT%02d:00:00+08:00","title":"压测 %d-%d"}',
    room, y, month, day, hour, y, month, day, hour + 1, id, counter)
  return wrk.format("POST", "/api/bookings", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token}, body)
end
LUA

# booking_rows BACKEND FIRST_ROOM ROOMS — 10,000 bookings in March 2040 spread over the rooms,
# written with SQL (the HTTP path is what the booking runs time).
booking_rows() {
  awk -v first="$2" -v rooms="$3" -v q="'" '
    BEGIN {
      print "BEGIN;"
      for (i = 0; i < 10000; i++) {
        if (i % 1000 == 0) printf "INSERT INTO bookings (room_id, starts_at, ends_at, title, booked_for, status, version, created_at, updated_at) VALUES "
        room = first + i % rooms; slot = int(i / rooms)
        day = 1 + int(slot / 5) % 30; hour = 1 + (slot % 5) * 2
        start = sprintf("2040-03-%02d %02d:00:00.000000", day, hour)
        stop = sprintf("2040-03-%02d %02d:00:00.000000", day, hour + 1)
        printf "%s(%d, %s%s%s, %s%s%s, %s月视图 %d%s, %s%s, %sactive%s, 1, %s%s%s, %s%s%s)", (i % 1000 ? ", " : ""), room, q, start, q, q, stop, q, q, i, q, q, q, q, q, q, start, q, q, start, q
        if (i % 1000 == 999) print ";"
      }
      print "COMMIT;"
    }'
}

bench_meetings() {
  local name="$1" token out rps p50 p99 non2xx booked
  token="$(api_token "$name")"
  local auth=(-H "Authorization: Bearer $token" -H 'Content-Type: application/json')
  local first="" id i
  for ((i = 1; i <= 64; i++)); do
    id="$(curl -sf "${auth[@]}" -d "{\"name\":\"压测会议室 $i\",\"capacity\":20}" \
      "http://$server_addr/api/rooms" | sed -n 's/^{"id":\([0-9]*\).*/\1/p')"
    [[ -n "$id" ]] || die "$name: could not add a room"
    [[ -n "$first" ]] || first="$id"
  done
  local label rooms year
  for label in "64 rooms" "one room"; do
    rooms=64 year=2031
    [[ "$label" == "one room" ]] && rooms=1 year=2035
    out="$BENCH_DIR/wrk-$name-bookings-$rooms.txt"
    log "wrk -t2 -c64 -d${seconds}s --latency -s booking.lua ($label)"
    wrk -t2 -c64 -d"${seconds}s" --timeout 10s --latency -s "$booking_lua" "http://$server_addr" \
      -- "$token" "$first" "$rooms" "$year" >"$out"
    rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
    p50="$(awk '$1 == "50%" {print $2}' "$out")"
    p99="$(awk '$1 == "99%" {print $2}' "$out")"
    non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
    booked="$(db_sql "$name" <<<"SELECT COUNT(*) FROM bookings WHERE status = 'active' AND starts_at LIKE '$year%';")"
    meeting_results+=("$(printf '%-8s %-32s %10s req/s  p50 %s  p99 %s  non-2xx %s  booked %s' \
      "$name" "bookings, 64 clients, $label" "${rps:-?}" "${p50:-?}" "${p99:-?}" "${non2xx:-0}" "$booked")")
  done
  booking_rows "$name" "$first" 64 | db_sql "$name" >/dev/null
  local in_month
  in_month="$(db_sql "$name" <<<"SELECT COUNT(*) FROM bookings WHERE starts_at LIKE '2040-03%';")"
  out="$BENCH_DIR/wrk-$name-month.txt"
  log "wrk -t1 -c4 -d${seconds}s --latency http://$server_addr/api/calendar/events (March 2040)"
  wrk -t1 -c4 -d"${seconds}s" --timeout 30s --latency -H "Authorization: Bearer $token" \
    "http://$server_addr/api/calendar/events?from=2040-03-01&to=2040-03-31" >"$out"
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
  p50="$(awk '$1 == "50%" {print $2}' "$out")"
  p99="$(awk '$1 == "99%" {print $2}' "$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
  meeting_results+=("$(printf '%-8s %-32s %10s req/s  p50 %s  p99 %s  non-2xx %s' \
    "$name" "month view, $in_month bookings" "${rps:-?}" "${p50:-?}" "${p99:-?}" "${non2xx:-0}")")
}

# ---- visits: $visit_delegates pending delegates approved by 64 clients, the delegation list ----
visit_delegates="${BENCH_VISIT_DELEGATES:-4000}"
visit_results=()
approve_lua="$BENCH_DIR/approve.lua"
cat >"$approve_lua" <<'LUA'
local counter = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  token = args[1]
  first = tonumber(args[2])
  count = tonumber(args[3])
  nthreads = tonumber(args[4])
end
-- Each thread walks its own share of the delegate ids: every request a different delegate until
-- they run out (then 409s: already decided).
request = function()
  local delegate = first + (id + counter * nthreads) % count
  counter = counter + 1
  return wrk.format("POST", "/api/visit-delegates/" .. delegate .. "/approve",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, "")
end
LUA

bench_visits() {
  local name="$1" token visit out rps p50 p99 non2xx first="" i j body
  token="$(api_token "$name")"
  local auth=(-H "Authorization: Bearer $token" -H 'Content-Type: application/json')
  visit="$(curl -sf "${auth[@]}" -d '{"title":"压测考察","destination":"苏州","hosts":[{"name":"苏州工业园区"}],"starts_on":"2031-05-10","ends_on":"2031-05-13","capacity":1000,"per_member_quota":null,"cost_fen":380000,"apply_deadline":"2031-05-01","status":"open"}' \
    "http://$server_addr/api/visits" | sed -n 's/^{"id":\([0-9]*\).*/\1/p')"
  local member
  member="$(curl -sf "${auth[@]}" "http://$server_addr/api/members?page_size=1" |
    sed -n 's/.*"items":\[{"id":\([0-9]*\).*/\1/p')"
  [[ -n "$visit" && -n "$member" ]] || die "$name: could not set up the visit"
  for ((i = 0; i < visit_delegates / 50; i++)); do
    body="{\"member_id\":$member,\"delegates\":["
    for ((j = 0; j < 50; j++)); do
      ((j > 0)) && body+=","
      body+="$(printf '{"name":"团员%d","gender":"%s","mobile":"136%08d"}' $((i * 50 + j)) \
        "$([[ $((j % 3)) == 0 ]] && echo f || echo m)" $((i * 50 + j)))"
    done
    body+="]}"
    local made
    made="$(curl -sf "${auth[@]}" -d "$body" "http://$server_addr/api/visits/$visit/applications")" ||
      die "$name: an application was refused"
    [[ -n "$first" ]] || first="$(sed -n 's/.*"delegates":\[{"id":\([0-9]*\).*/\1/p' <<<"$made")"
  done
  out="$BENCH_DIR/wrk-$name-approvals.txt"
  log "wrk -t2 -c64 -d${seconds}s --latency -s approve.lua ($visit_delegates pending, 1,000 places)"
  wrk -t2 -c64 -d"${seconds}s" --timeout 10s --latency -s "$approve_lua" "http://$server_addr" \
    -- "$token" "$first" "$visit_delegates" 2 >"$out"
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
  p50="$(awk '$1 == "50%" {print $2}' "$out")"
  p99="$(awk '$1 == "99%" {print $2}' "$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
  local approved waiting
  approved="$(db_sql "$name" <<<"SELECT COUNT(*) FROM visit_delegates WHERE visit_id = $visit AND status = 'approved';")"
  waiting="$(db_sql "$name" <<<"SELECT COUNT(*) FROM visit_delegates WHERE visit_id = $visit AND status = 'waitlisted';")"
  visit_results+=("$(printf '%-8s %-34s %10s req/s  p50 %s  p99 %s  non-2xx %s  approved %s  waiting %s' \
    "$name" "approvals, 64 clients, 1,000 places" "${rps:-?}" "${p50:-?}" "${p99:-?}" "${non2xx:-0}" "$approved" "$waiting")")
  out="$BENCH_DIR/wrk-$name-delegation.txt"
  log "wrk -t1 -c4 -d${seconds}s --latency GET /api/visits/$visit/delegates"
  wrk -t1 -c4 -d"${seconds}s" --timeout 30s --latency -H "Authorization: Bearer $token" \
    "http://$server_addr/api/visits/$visit/delegates" >"$out"
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
  p50="$(awk '$1 == "50%" {print $2}' "$out")"
  p99="$(awk '$1 == "99%" {print $2}' "$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
  visit_results+=("$(printf '%-8s %-34s %10s req/s  p50 %s  p99 %s  non-2xx %s' \
    "$name" "delegation list, $visit_delegates delegates" "${rps:-?}" "${p50:-?}" "${p99:-?}" "${non2xx:-0}")")
}

# bench_notifications NAME CONN — delivery throughput: restarts xiehui delivering to a local SMTP
# server (tests/support/smtp_sink.py, aiosmtpd), writes BENCH_NOTICES notices to one account in
# one transaction and times until every message is recorded sent.
notice_rows() {
  awk -v n="$1" -v user="$2" -v at="$(date -u '+%Y-%m-%d %H:%M:%S.000000')" -v q="'" '
    BEGIN {
      print "BEGIN;"
      for (i = 0; i < n; i += 500) {
        printf "INSERT INTO notifications (member_id, user_id, kind, message, entity_type, entity_id, created_at, in_app) VALUES "
        for (j = i; j < i + 500 && j < n; j++) {
          printf "%s(NULL, %d, %ssystem.test%s, %s压测通知 %d%s, %suser%s, %d, %s%s%s, 1)", (j > i ? ", " : ""), user, q, q, q, j, q, q, q, user, q, at, q
        }
        print ";"
      }
      print "COMMIT;"
    }'
}

bench_notifications() {
  local name="$1" conn="$2" mail_dir="$BENCH_DIR/mail-$1" sink_pid deadline sent=0 start end
  rm -rf "$mail_dir" && mkdir -p "$mail_dir"
  /usr/bin/python3 "$ROOT/tests/support/smtp_sink.py" --dir "$mail_dir" >"$BENCH_DIR/$name-sink.log" 2>&1 &
  sink_pid=$!
  deadline=$((SECONDS + 20))
  while [[ ! -s "$mail_dir/port" ]] && ((SECONDS < deadline)); do sleep 0.05; done
  [[ -s "$mail_dir/port" ]] || die "$name: the SMTP sink did not start"
  stop_server
  local plain_config="$config"
  config="$BENCH_DIR/config-notify.json"
  printf '{"log_level":"warn","dues_daily_run":false,"scheduler":false,"mail_from":"noreply@bench.example.org","smtp":{"host":"127.0.0.1","port":%s},"outbox":{"workers":4,"batch":20,"poll_milliseconds":100}}\n' \
    "$(cat "$mail_dir/port")" >"$config"
  start_server "$name" "$conn"
  config="$plain_config"
  local admin
  admin="$(db_sql "$name" <<<"SELECT id FROM users WHERE username = 'admin';")"
  db_sql "$name" <<<"UPDATE users SET email = 'admin@bench.example.org' WHERE id = $admin;"
  start=$(date +%s.%N)
  notice_rows "$notices" "$admin" | db_sql "$name"
  deadline=$((SECONDS + 600))
  while ((SECONDS < deadline)); do
    sent="$(db_sql "$name" <<<"SELECT COUNT(*) FROM outbox WHERE status = 'sent';")"
    ((sent >= notices)) && break
    sleep 0.2
  done
  end=$(date +%s.%N)
  local received
  received="$(wc -l <"$mail_dir/messages.jsonl")"
  kill -TERM "$sink_pid" 2>/dev/null || true
  wait "$sink_pid" 2>/dev/null || true
  notification_results+=("$(printf '%-8s %6s notices → %6s sent, %6s received in %6.1f s: %7.1f messages/s' \
    "$name" "$notices" "$sent" "$received" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" \
    "$(awk -v a="$start" -v b="$end" -v n="$sent" 'BEGIN { print n / (b - a) }')")")
}

# ---- reports: a dataset of $report_units units built with SQL (the triggers keep the
# aggregates as it goes), every report's latency, the aggregates checked against their sources,
# and what the triggers cost a payment and a sign-up ----
report_units="${BENCH_REPORT_UNITS:-100000}"
report_connections="${BENCH_REPORT_CONNECTIONS:-1}"
report_batch=50000
report_gen_results=()
report_check_results=()
report_latency_results=()
report_write_results=()
report_slow=()
report_db=""
report_port=""
# shellcheck source=bench/report_dataset.sh
source "$ROOT/bench/report_dataset.sh"
report_paths=(
  /api/reports/dashboard
  /api/reports/membership
  /api/reports/dues
  /api/reports/training
  /api/reports/meetings
  /api/reports/visits
  "/api/reports/engagement?years=3"
  /api/reports/annual
  "/api/reports/drill?dimension=city&key=430100"
  "/api/reports/membership?city_code=430100&tier=member"
  "/api/reports/dues?city_code=430100"
  "/api/reports/training?city_code=430100"
)

# rsql BACKEND — the SQL on stdin in the reports database (stops at the first error); the
# dataset's common SQL gets each dialect's integer division and concatenation.
rsql() {
  case "$1" in
    sqlite)
      sed 's/ DIV / \/ /g' |
        sqlite3 -batch -bail -separator ' ' -cmd '.timeout 60000' "$report_db"
      ;;
    mariadb)
      { echo "SET SESSION sql_mode = CONCAT(@@sql_mode, ',PIPES_AS_CONCAT');" && cat; } |
        mariadb --no-defaults -h127.0.0.1 -P"$report_port" -uxiehui -pxiehui_test -N -B xiehui_reports
      ;;
  esac
}

# report_columns BACKEND TABLE KEY... — the table's columns but its keys, in order.
report_columns() {
  local backend="$1" table="$2" keys
  shift 2
  keys="$(printf "'%s'," "$@")"
  keys="${keys%,}"
  case "$backend" in
    sqlite) rsql "$backend" <<<"SELECT name FROM pragma_table_info('$table') WHERE name NOT IN ($keys) ORDER BY cid;" ;;
    mariadb) rsql "$backend" <<<"SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = '$table' AND column_name NOT IN ($keys) ORDER BY ordinal_position;" ;;
  esac | tr '\n' ' '
}

# wrk_ms VALUE — a wrk latency (850.00us, 1.23ms, 1.02s, 1.50m) in milliseconds.
wrk_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
    printf "%.2f", n
  }'
}

# report_write NAME PHASE — payments (64 clients, 1 元 each on this year's open invoices) then
# sign-ups (64 clients, one class of 10,000 seats) for $seconds s each; one result line each.
report_write() {
  local name="$1" phase="$2" out rps p50 p99 non2xx total
  local first=$((RD_UNITS * 9 + 1)) count="$RD_UNITS"
  out="$BENCH_DIR/wrk-$name-reports-payments-$phase.txt"
  log "wrk -t2 -c64 -d${seconds}s --latency -s payment.lua (reports, $phase)"
  wrk -t2 -c64 -d"${seconds}s" --timeout 10s --latency -s "$payment_lua" "http://$server_addr" \
    -- "$report_token" "$first" "$count" "$(date -u +%F)" "$name-$phase-$RANDOM$RANDOM" >"$out"
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
  p50="$(awk '$1 == "50%" {print $2}' "$out")"
  p99="$(awk '$1 == "99%" {print $2}' "$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
  total="$(awk '/requests in/ {print $1}' "$out")"
  report_write_results+=("$(printf '%-8s %-8s %-16s %10s req/s  p50 %9s  p99 %9s  (%s requests, non-2xx %s)' \
    "$name" payment "$phase" "${rps:-?}" "${p50:-?}" "${p99:-?}" "${total:-?}" "${non2xx:-0}")")

  local auth=(-H "Authorization: Bearer $report_token" -H 'Content-Type: application/json')
  local course class member
  course="$(curl -sf "${auth[@]}" -d "{\"title\":\"报表压测课程 $phase\"}" "http://$server_addr/api/courses" |
    sed -n 's/^{"id":\([0-9]*\).*/\1/p')"
  class="$(curl -sf "${auth[@]}" -d '{"venue":"长沙","starts_at":"2030-12-07","ends_at":"2030-12-08","signup_deadline":"2030-11-30","capacity":10000,"per_member_quota":null,"fee_fen":100000,"status":"open"}' \
    "http://$server_addr/api/courses/$course/classes" | sed -n 's/^{"id":\([0-9]*\).*/\1/p')"
  member="$(rsql "$name" <<<"SELECT MIN(id) FROM members WHERE status = 'active';")"
  [[ -n "$class" && -n "$member" ]] || die "$name: could not set up the reports sign-up class"
  out="$BENCH_DIR/wrk-$name-reports-signups-$phase.txt"
  log "wrk -t2 -c64 -d${seconds}s --latency -s signup.lua (reports, $phase, class $class)"
  wrk -t2 -c64 -d"${seconds}s" --timeout 10s --latency -s "$signup_lua" "http://$server_addr" \
    -- "/api/classes/$class/enrollments" "$report_token" "$member" >"$out"
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
  p50="$(awk '$1 == "50%" {print $2}' "$out")"
  p99="$(awk '$1 == "99%" {print $2}' "$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
  total="$(awk '/requests in/ {print $1}' "$out")"
  report_write_results+=("$(printf '%-8s %-8s %-16s %10s req/s  p50 %9s  p99 %9s  (%s requests, non-2xx %s)' \
    "$name" sign-up "$phase" "${rps:-?}" "${p50:-?}" "${p99:-?}" "${total:-?}" "${non2xx:-0}")")
}

bench_reports() {
  local name="$1" rconn t0 secs table rows from to n
  stop_server
  report_sizes "$report_units"
  case "$name" in
    sqlite)
      report_db="$sqlite_dir/reports.db"
      rm -f "$report_db" "$report_db-wal" "$report_db-shm"
      rconn="sqlite3://db=$report_db"
      ;;
    mariadb)
      report_port="$port"
      mariadb --no-defaults -h127.0.0.1 -P"$port" -uxiehui -pxiehui_test -e \
        "DROP DATABASE IF EXISTS xiehui_reports;
         CREATE DATABASE xiehui_reports CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
      rconn="mysql://db=xiehui_reports user=xiehui password=xiehui_test host=127.0.0.1 port=$port"
      ;;
  esac
  log "$name: reports dataset of $RD_UNITS units (migrations, then SQL in batches of $report_batch rows)"
  "$BUILD_DIR/xiehui" migrate --config "$config" --db "$rconn" >"$BENCH_DIR/$name-reports-migrate.out"
  report_seq_sql "$name" "$RD_INVOICES" | rsql "$name"
  local all_t0=$EPOCHREALTIME
  while read -r table rows; do
    t0=$EPOCHREALTIME
    {
      for ((from = 1; from <= rows; from += report_batch)); do
        to=$((from + report_batch - 1))
        ((to <= rows)) || to=$rows
        echo "BEGIN;"
        report_batch_sql "$table" "$from" "$to"
        echo "COMMIT;"
      done
    } | rsql "$name"
    secs="$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}')"
    n="$(rsql "$name" <<<"SELECT COUNT(*) FROM $table;")"
    log "$name: $table: $n rows in $secs s"
    report_gen_results+=("$(printf '%-8s %-22s %10s rows %9s s %10s rows/s' "$name" "$table" "$n" \
      "$secs" "$(awk -v n="$n" -v s="$secs" 'BEGIN {printf "%.0f", (s > 0 ? n / s : 0)}')")")
  done < <(report_tables)
  report_fixup_sql | rsql "$name"
  secs="$(awk -v a="$all_t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}')"
  report_gen_results+=("$(printf '%-8s %-22s %10s %9s s  (with the triggers of 0014 firing for every row)' \
    "$name" "all tables" "" "$secs")")

  log "$name: checking the aggregates against their sources"
  t0=$EPOCHREALTIME
  local t a b bad=0
  while read -r t a b; do
    report_check_results+=("$(printf '%-8s %-22s only in aggregate %6s   only in source %6s' "$name" "$t" "$a" "$b")")
    ((a == 0 && b == 0)) || bad=1
  done < <(report_check_sql "$(report_columns "$name" report_unit_year member_id year)" \
    "$(report_columns "$name" report_group_year year city_code org_type tier)" | rsql "$name")
  secs="$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}')"
  report_check_results+=("$(printf '%-8s (check took %s s)%s' "$name" "$secs" \
    "$([[ $bad == 0 ]] && echo "" || echo "  MISMATCH: the aggregates differ from their sources")")")

  # One staff account, a server without the scheduler (no reminders in the middle of a run).
  printf '%s\n' "$admin_password" |
    "$BUILD_DIR/xiehui" user add --db "$rconn" --username bench00 --role staff >/dev/null
  local plain_config="$config"
  config="$BENCH_DIR/config-reports.json"
  printf '{"log_level":"warn","dues_daily_run":false,"scheduler":false}\n' >"$config"
  start_server "reports-$name" "$rconn"
  config="$plain_config"
  log "$name: xiehui (pid $server_pid) on the reports dataset, listening on $server_addr"
  curl -sf -c "$BENCH_DIR/reports-$name.cookies" -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench00\",\"password\":\"$admin_password\"}" \
    "http://$server_addr/api/session" >/dev/null || die "$name: could not sign in (reports)"
  report_token="$(api_token "reports-$name")"

  local path out code i p50 p99 rps total non2xx
  for path in "${report_paths[@]}"; do
    for i in 1 2 3; do # warm: caches, prepared statements
      code="$(curl -s -o "$BENCH_DIR/$name-report.json" -w '%{http_code}' --max-time 120 \
        -H "Authorization: Bearer $report_token" "http://$server_addr$path")"
    done
    [[ "$code" == 200 ]] || log "warning: $name: GET $path answered $code: $(head -c 300 "$BENCH_DIR/$name-report.json")"
    out="$BENCH_DIR/wrk-$name-report-$(tr -c 'A-Za-z0-9' '_' <<<"${path#/api/reports/}").txt"
    log "wrk -t1 -c$report_connections -d${seconds}s --latency http://$server_addr$path"
    wrk -t1 -c"$report_connections" -d"${seconds}s" --timeout 60s --latency \
      -H "Authorization: Bearer $report_token" "http://$server_addr$path" >"$out"
    p50="$(awk '$1 == "50%" {print $2}' "$out")"
    p99="$(awk '$1 == "99%" {print $2}' "$out")"
    rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
    total="$(awk '/requests in/ {print $1}' "$out")"
    non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
    report_latency_results+=("$(printf '%-8s %-52s %10s %10s %9s %8s %8s' "$name" "$path" \
      "$(wrk_ms "${p50:-0}")" "$(wrk_ms "${p99:-0}")" "${rps:-?}" "${total:-?}" "${non2xx:-0}")")
    if awk -v v="$(wrk_ms "${p99:-0}")" 'BEGIN {exit !(v > 100)}'; then
      report_slow+=("$name $path p99 $(wrk_ms "$p99") ms")
    fi
  done

  report_write "$name" "with triggers"
  local triggers
  case "$name" in
    sqlite) triggers="$(rsql "$name" <<<"SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'trg_report_%';")" ;;
    mariadb) triggers="$(rsql "$name" <<<"SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = DATABASE() AND trigger_name LIKE 'trg_report_%';")" ;;
  esac
  log "$name: dropping $(wc -w <<<"$triggers") triggers trg_report_%"
  for t in $triggers; do
    echo "DROP TRIGGER $t;"
  done | rsql "$name"
  report_write "$name" "without triggers"
}

# ---- ratio: xiehui against a bare Beast server measured in the same run ----
ratio_rounds=3
ratio_keys=(bare healthz member directory signups)
declare -A ratio_what=(
  [bare]="bare Beast GET /healthz"
  [healthz]="xiehui GET /healthz"
  [member]="xiehui GET /api/members/{id} (staff, Bearer)"
  [directory]="xiehui GET /api/members?page=1&page_size=50"
  [signups]="xiehui POST /api/classes/{id}/enrollments"
)
declare -A ratio_rows=() ratio_start_ms=() ratio_idle_mib=()
ratio_memory=()
ratio_bare_rps=""

# ratio_add KEY BACKEND RPS P99_MS [RATIO] — a row of the ratio table; RATIO defaults to RPS over
# the bare server's req/s.
ratio_add() {
  local ratio="${5:-}"
  if [[ -z "$ratio" ]]; then
    ratio="$(awk -v a="$3" -v b="$ratio_bare_rps" \
      'BEGIN {if (b > 0 && a > 0) printf "%.3f", a / b; else print "?"}')"
  fi
  ratio_rows["$1 $2"]="$(printf '%-46s %-8s %10s %9s %14s' "${ratio_what[$1]}" "$2" "$3" "$4" "$ratio")"
}

# ratio_measure KEY BACKEND URL [WRK_ARG...] — $ratio_rounds runs of wrk -t2 -c64 for $seconds s;
# the round with the median req/s gives the KEY row of BACKEND (its req/s and its p99). A non-2xx
# answer stops the script: the figures would not be those of the path.
ratio_measure() {
  local key="$1" backend="$2" url="$3" round out rps p99 rounds=()
  shift 3
  for ((round = 1; round <= ratio_rounds; round++)); do
    out="$BENCH_DIR/wrk-$backend-ratio-$key-$round.txt"
    log "wrk -t2 -c64 -d${seconds}s --latency $url (ratio: $key, round $round of $ratio_rounds)"
    wrk -t2 -c64 -d"${seconds}s" --latency "$@" "$url" >"$out"
    ! grep -q 'Non-2xx' "$out" || die "$backend: $url answered non-2xx (see $out)"
    rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
    p99="$(awk '$1 == "99%" {print $2}' "$out")"
    [[ -n "$rps" && -n "$p99" ]] || die "$backend: wrk gave no figures for $url (see $out)"
    rounds+=("$rps $(wrk_ms "$p99")")
  done
  read -r rps p99 < <(printf '%s\n' "${rounds[@]}" | sort -g -k1,1 |
    sed -n "$(((ratio_rounds + 1) / 2))p")
  [[ "$key" != bare ]] || ratio_bare_rps="$rps"
  ratio_add "$key" "$backend" "$rps" "$p99"
}

# bench_bare — the bare Beast server's /healthz: the yardstick of every ratio.
bench_bare() {
  start_bare_server
  log "bare Beast server (pid $server_pid) listening on $server_addr"
  ratio_measure bare none "http://$server_addr/healthz"
  stop_server
}

# bench_ratio NAME CONN — restarts xiehui (its start time, idle and peak memory are then this
# section's), notes its RSS 1 s after it listens, then measures /healthz (SQLite only), one member
# and the directory's page of 50 as the staff account of bench_members, with a Bearer token.
# The sign-ups and the peak RSS follow in ratio_finish, after bench_signups.
bench_ratio() {
  local name="$1" conn="$2" token member
  stop_server
  start_server "$name-ratio" "$conn"
  ratio_start_ms[$name]="$server_start_ms"
  log "$name: xiehui (pid $server_pid) listening on $server_addr after $server_start_ms ms"
  sleep 1
  ratio_idle_mib[$name]="$(awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$server_pid/status")"
  if [[ "$name" == sqlite ]]; then
    ratio_measure healthz "$name" "http://$server_addr/healthz"
  fi
  token="$(api_token "$name")"
  member="$(curl -sf -H "Authorization: Bearer $token" "http://$server_addr/api/members?page_size=1" |
    sed -n 's/.*"items":\[{"id":\([0-9]*\).*/\1/p')"
  [[ -n "$member" ]] || die "$name: no member to read"
  ratio_measure member "$name" "http://$server_addr/api/members/$member" \
    -H "Authorization: Bearer $token"
  ratio_measure directory "$name" "http://$server_addr/api/members?page=1&page_size=50" \
    -H "Authorization: Bearer $token"
}

# ratio_finish NAME — after bench_signups: its req/s (no ratio: a write path has no bare
# counterpart) and the server's peak RSS over the section.
ratio_finish() {
  local name="$1"
  ratio_add signups "$name" "${signup_rps[$name]:-?}" "${signup_p99[$name]:-?}" -
  ratio_memory+=("$(printf '%-8s start to listening %6s ms   idle RSS %8s MiB   peak RSS %8s MiB' \
    "$name" "${ratio_start_ms[$name]}" "${ratio_idle_mib[$name]}" "$(peak_mib "$server_pid")")")
}

wanted ratio && bench_bare

for backend in "${backends[@]}"; do
  case "$backend" in
    sqlite)
      sqlite_dir="$(mktemp -d "$BENCH_DIR/sqlite.XXXXXX")"
      conn="sqlite3://db=$sqlite_dir/xiehui.db"
      ;;
    mariadb)
      port="$(bash scripts/mariadb_test_server.sh start "$MARIADB_DIR")"
      mariadb --no-defaults -h127.0.0.1 -P"$port" -uxiehui -pxiehui_test -e \
        "DROP DATABASE IF EXISTS xiehui_bench;
         CREATE DATABASE xiehui_bench CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
      conn="mysql://db=xiehui_bench user=xiehui password=xiehui_test host=127.0.0.1 port=$port"
      ;;
    *) die "unknown backend '$backend' (expected sqlite or mariadb)" ;;
  esac
  add_login_users "$conn"
  start_server "$backend" "$conn"
  log "$backend: xiehui (pid $server_pid) listening on $server_addr"
  if wanted paths; then
    for path in "${paths[@]}"; do
      bench "$backend" "$path"
    done
  fi
  wanted login && bench_login "$backend"
  # The later sections sign in with the account bench_members makes (reports has its own).
  if [[ "${sections// /}" != reports ]]; then
    bench_members "$backend"
  fi
  wanted ratio && bench_ratio "$backend" "$conn"
  if wanted signups || wanted ratio; then
    bench_signups "$backend"
  fi
  wanted ratio && ratio_finish "$backend"
  wanted history && bench_history "$backend"
  wanted dues && bench_dues "$backend"
  wanted meetings && bench_meetings "$backend"
  wanted visits && bench_visits "$backend"
  wanted notifications && bench_notifications "$backend" "$conn"
  wanted reports && bench_reports "$backend"
  stop_server
done

echo
printf '%-8s %-9s %12s %10s %8s  %s\n' backend path 'req/s' p99 non-2xx 'socket errors'
printf '%s\n' "${results[@]}"
echo "(wrk -t$threads -c$connections -d${seconds}s on $(nproc) cores; outputs in $BENCH_DIR)"
echo
printf '%-8s %10s %10s %10s %8s  %s\n' backend 'logins/s' p50 p99 non-2xx 'server peak RSS'
printf '%s\n' "${login_results[@]}"
echo "(POST /api/session, 20 parallel clients, wrk -t2 -c20 -d${seconds}s)"
echo
printf '%s\n' "${member_results[@]}"
echo "(xlsx of $member_units generated units posted with curl as staff; directory with wrk -t2 -c16 -d${seconds}s, signed in)"
echo
printf '%-8s %12s %10s %10s %8s %10s\n' backend 'sign-ups/s' p50 p99 non-2xx confirmed
printf '%s\n' "${signup_results[@]}"
echo "(POST /api/classes/{id}/enrollments, 64 clients, one class of 10,000 seats, wrk -t2 -c64 -d${seconds}s)"
if ((${#history_results[@]})); then
  echo
  printf '%-8s %12s %12s %12s\n' backend 'round 1/s' 'round 2/s' 'round 3/s'
  printf '%s\n' "${history_results[@]}"
  echo "(sign-ups by one unit after $signup_history earlier enrolments of it, written with SQL; each round wrk -t2 -c64 -d${seconds}s on a new class of 10,000 seats, the later rounds also after the earlier rounds' sign-ups)"
fi
echo
printf '%s\n' "${dues_results[@]}"
echo "(dues: bill run POST /api/dues/bill-runs timed with curl; payments POST /api/dues/invoices/{id}/payments with a Bearer token and an Idempotency-Key each, wrk -t2 -c64 -d${seconds}s; arrears GET /api/dues/arrears?page_size=50, wrk -t1 -c1 and -c8 -d${seconds}s)"
echo
printf '%s\n' "${meeting_results[@]}"
echo "(bookings: POST /api/bookings with a Bearer token, every request a free slot, wrk -t2 -c64 -d${seconds}s, on 64 rooms and on one room; month view: GET /api/calendar/events for a month holding 10,000 bookings over 64 rooms, wrk -t1 -c4 -d${seconds}s)"
echo
printf '%s\n' "${visit_results[@]}"
echo "(visits: POST /api/visit-delegates/{id}/approve with a Bearer token, each request another pending delegate of one visit, wrk -t2 -c64 -d${seconds}s; delegation list GET /api/visits/{id}/delegates, wrk -t1 -c4 -d${seconds}s)"
echo
printf '%s\n' "${notification_results[@]}"
echo "(notifications: notices written in one transaction to an account with an e-mail; xiehui serve with 4 delivery threads sending to a local aiosmtpd, each message its own SMTP connection)"
if wanted ratio; then
  echo
  printf '%-46s %-8s %10s %9s %14s\n' what backend 'req/s' 'p99 ms' 'ratio to bare'
  for key in "${ratio_keys[@]}"; do
    for backend in none "${backends[@]}"; do
      if [[ -n "${ratio_rows[$key $backend]:-}" ]]; then
        printf '%s\n' "${ratio_rows[$key $backend]}"
      fi
    done
  done
  printf '%s\n' "${ratio_memory[@]}"
  echo "(ratio: wrk -t2 -c64 -d${seconds}s --latency, $ratio_rounds rounds each, the round with the median req/s shown; ratio = req/s over the bare Beast server's (bench/bare_server.cpp, 2 I/O threads, SO_REUSEPORT) in this run; reads as staff with a Bearer token on $member_units imported units; sign-ups: the one run above (64 clients, one class), no ratio; xiehui restarted for this section: start = launch to its listening line, idle RSS 1 s later, peak RSS = VmHWM after the reads and the sign-ups; $(nproc) cores)"
fi
if wanted reports; then
  echo
  echo "reports dataset ($report_units units): generation time per table"
  printf '%s\n' "${report_gen_results[@]}"
  echo
  echo "reports: aggregates against their sources (rows with a non-zero figure; every count must be 0)"
  printf '%s\n' "${report_check_results[@]}"
  echo
  printf '%-8s %-52s %10s %10s %9s %8s %8s\n' backend report 'p50 ms' 'p99 ms' 'req/s' requests non-2xx
  printf '%s\n' "${report_latency_results[@]}"
  echo "(reports warm: 3 requests first, then wrk -t1 -c$report_connections -d${seconds}s with a Bearer token, on $report_units units)"
  if ((${#report_slow[@]} > 0)); then
    echo "reports slower than 100 ms at p99:"
    printf '  %s\n' "${report_slow[@]}"
  fi
  echo
  printf '%s\n' "${report_write_results[@]}"
  echo "(writes on the reports dataset: payments POST /api/dues/invoices/{id}/payments on this year's invoices, sign-ups POST /api/classes/{id}/enrollments on one class; wrk -t2 -c64 -d${seconds}s each; with the aggregates' triggers, then after DROP TRIGGER of every trg_report_%)"
fi
