#!/usr/bin/env bash
# Load test of a Release build with wrk on loopback, on SQLite and on a throwaway MariaDB.
# Prints one line per (backend, path): requests/s, p99 latency, non-2xx responses, socket errors.
#
#   BENCH_SECONDS       duration of each wrk run (default 10)
#   BENCH_THREADS       wrk threads (default 2)
#   BENCH_CONNECTIONS   wrk connections (default 64)
#   BENCH_BACKENDS      backends to run (default "sqlite mariadb")
# Full wrk outputs and server logs are kept in build/bench/.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

seconds="${BENCH_SECONDS:-10}"
threads="${BENCH_THREADS:-2}"
connections="${BENCH_CONNECTIONS:-64}"
read -r -a backends <<<"${BENCH_BACKENDS:-sqlite mariadb}"
paths=(/healthz /readyz)
readonly START_TIMEOUT_SECONDS=60
readonly STOP_TIMEOUT_SECONDS=20

BENCH_DIR="$BUILD_DIR/bench"
MARIADB_DIR="$BUILD_DIR/bench-mariadb"
server_pid=""
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
    log "xiehui (pid $pid) did not stop within ${STOP_TIMEOUT_SECONDS}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  local rc=0
  wait "$pid" 2>/dev/null || rc=$?
  if ((rc != 0)); then
    log "warning: xiehui (pid $pid) exited with status $rc after SIGTERM"
  fi
}

cleanup() {
  local rc=$?
  stop_server
  if [[ " ${backends[*]} " == *" mariadb "* ]]; then
    bash "$ROOT/scripts/mariadb_test_server.sh" stop "$MARIADB_DIR" || true
  fi
  [[ -z "$sqlite_dir" ]] || rm -rf "$sqlite_dir"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

needed=("${XIEHUI_BUILD_PACKAGES[@]}" wrk)
if [[ " ${backends[*]} " == *" mariadb "* ]]; then
  needed+=(mariadb-server mariadb-client)
fi
ensure_packages "${needed[@]}"
configure_and_build xiehui xiehui_bench_data
mkdir -p "$BENCH_DIR"

# Access logs at info level would be written for every request; keep the server quiet.
config="$BENCH_DIR/config.json"
printf '{"log_level": "warn"}\n' >"$config"

# start_server NAME CONN — starts xiehui in the background and sets server_pid and server_addr
# once it prints `listening on http://ADDR`.
start_server() {
  local name="$1" conn="$2" out="$BENCH_DIR/$1.out" line deadline
  : >"$out"
  XIEHUI_INITIAL_ADMIN_PASSWORD="$admin_password" \
    "$BUILD_DIR/xiehui" serve --config "$config" --db "$conn" --listen 127.0.0.1:0 \
    </dev/null >"$out" 2>"$BENCH_DIR/$name.err" &
  server_pid=$!
  server_addr=""
  deadline=$((SECONDS + START_TIMEOUT_SECONDS))
  while ((SECONDS < deadline)); do
    line="$(grep -m1 -E '^listening on http://' "$out" || true)"
    if [[ "$line" =~ ^listening\ on\ http://(.*)$ ]]; then
      server_addr="${BASH_REMATCH[1]}"
      return 0
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      tail -n 20 "$out" "$BENCH_DIR/$name.err" >&2
      server_pid=""
      die "xiehui ($name) exited before listening"
    fi
    sleep 0.05
  done
  tail -n 20 "$out" "$BENCH_DIR/$name.err" >&2
  die "xiehui ($name) did not print 'listening on http://...' within ${START_TIMEOUT_SECONDS}s"
}

results=()
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
# $seconds s (every sign-up locks the class row: this is the contended path).
signup_results=()
signup_lua="$BENCH_DIR/signup.lua"
cat >"$signup_lua" <<'LUA'
local counter = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  path = args[1]
  token = args[2]
  member = args[3]
end
-- `id` is set per thread by setup(): each thread's mobiles are its own.
request = function()
  counter = counter + 1
  local mobile = string.format("13%d%08d", id % 10, counter)
  local body = string.format('{"member_id":%s,"attendee":{"name":"学员%d","mobile":"%s"}}',
    member, counter, mobile)
  return wrk.format("POST", path, {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token}, body)
end
LUA

bench_signups() {
  local name="$1" jar="$BENCH_DIR/$1.cookies" csrf token course class member out rps p50 p99 non2xx
  csrf="$(curl -sf -b "$jar" "http://$server_addr/api/session" |
    sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p')"
  token="$(curl -sf -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d '{"name":"bench"}' "http://$server_addr/api/tokens" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
  [[ -n "$token" ]] || die "$name: could not create an API token"
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
}

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
  for path in "${paths[@]}"; do
    bench "$backend" "$path"
  done
  bench_login "$backend"
  bench_members "$backend"
  bench_signups "$backend"
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
