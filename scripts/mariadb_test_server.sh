#!/usr/bin/env bash
# A throwaway MariaDB server for tests and benchmarks.
#
#   scripts/mariadb_test_server.sh start DIR [PORT]
#                                              start it (datadir, socket, pid file, log in DIR);
#                                              prints the TCP port (also written to DIR/port);
#                                              with PORT, on that port only (a restart test)
#   scripts/mariadb_test_server.sh stop DIR    stop it by the pid in DIR/mysqld.pid, wait for exit
#   scripts/mariadb_test_server.sh env DIR     print XIEHUI_TEST_MYSQL="host=... port=..."
#
# The server listens on 127.0.0.1 only, on a free port chosen here, and has a user
# 'xiehui'@'127.0.0.1' (password xiehui_test) with all privileges. Root has no password and is
# reachable over the socket only (DIR/socket names it). The datadir is kept between runs.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly TEST_USER=xiehui
readonly TEST_PASSWORD=xiehui_test
readonly START_TIMEOUT_SECONDS=60
readonly STOP_TIMEOUT_SECONDS=60
readonly PORT_ATTEMPTS=8

usage() {
  echo "usage: $0 start DIR [PORT] | stop DIR | env DIR" >&2
  exit 2
}

(($# == 2)) || { (($# == 3)) && [[ "$1" == start && "$3" =~ ^[0-9]+$ ]]; } || usage
cmd="$1"
FIXED_PORT="${3:-}"
if [[ "$cmd" == start ]]; then
  mkdir -p "$2"
elif [[ ! -d "$2" ]]; then
  [[ "$cmd" == stop ]] && exit 0 # nothing was ever started there
  die "no server directory $2"
fi
DIR="$(cd "$2" && pwd)"
DATADIR="$DIR/data"
PIDFILE="$DIR/mysqld.pid"
PORTFILE="$DIR/port"
LOGFILE="$DIR/mysqld.log"
SOCKETFILE="$DIR/socket" # holds the socket's path (it may live outside DIR, see socket_path)

socket_path() { socket_path_for "$DIR/mysqld.sock"; }
running_pid() { mariadbd_pid_from "$PIDFILE"; }

# A port in 20000..32767 (below Linux's ephemeral range, so `listen 127.0.0.1:0` servers in the
# tests never collide with it) that nothing on 127.0.0.1 answers on. mariadbd may still fail to
# bind if another process takes it meanwhile; start() retries with another port then.
pick_port() {
  local port i
  for ((i = 0; i < 100; i++)); do
    port=$((20000 + RANDOM % 12768))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s' "$port"
      return 0
    fi
  done
  die "no free port found"
}

admin() {
  mariadb-admin --no-defaults --socket="$(<"$SOCKETFILE")" --user=root --connect-timeout=2 "$@"
}

client() {
  mariadb --no-defaults --socket="$(<"$SOCKETFILE")" --user=root "$@"
}

install_db() {
  [[ -d "$DATADIR/mysql" ]] && return 0
  log "initialising datadir $DATADIR"
  rm -rf "$DATADIR.tmp"
  mkdir -p "$DATADIR.tmp"
  if ! mariadb-install-db --no-defaults --user=root --datadir="$DATADIR.tmp" \
    --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
    >"$DIR/install-db.log" 2>&1; then
    cat "$DIR/install-db.log" >&2
    die "mariadb-install-db failed (log: $DIR/install-db.log)"
  fi
  rm -rf "$DATADIR"
  mv "$DATADIR.tmp" "$DATADIR"
}

# Starts mariadbd on PORT; returns 0 once it answers, 1 if it exited because the port was taken,
# dies on any other failure.
try_start() {
  local port="$1" sock pid log_offset deadline
  sock="$(<"$SOCKETFILE")"
  rm -f "$sock" "$PIDFILE"
  touch "$LOGFILE"
  log_offset="$(stat -c %s "$LOGFILE")"

  nohup mariadbd --no-defaults --user=root \
    --datadir="$DATADIR" --socket="$sock" --pid-file="$PIDFILE" --log-error="$LOGFILE" \
    --bind-address=127.0.0.1 --port="$port" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-flush-log-at-trx-commit=1 --innodb-buffer-pool-size=256M \
    --skip-name-resolve --max-connections=500 \
    </dev/null >>"$LOGFILE" 2>&1 &
  pid=$!
  # mariadbd writes the pid file only after start-up; write it now so that `stop` works even if
  # we are interrupted while waiting. mariadbd overwrites it with the same pid.
  printf '%s\n' "$pid" >"$PIDFILE"

  deadline=$((SECONDS + START_TIMEOUT_SECONDS))
  while ((SECONDS < deadline)); do
    if ! pid_alive "$pid"; then
      wait "$pid" 2>/dev/null || true
      rm -f "$PIDFILE"
      if tail -c +"$((log_offset + 1))" "$LOGFILE" | grep -qE 'Address already in use|Bind on TCP/IP port'; then
        return 1
      fi
      tail -c +"$((log_offset + 1))" "$LOGFILE" | tail -n 30 >&2
      die "mariadbd exited during start-up (log: $LOGFILE)"
    fi
    if admin ping >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.2
  done
  tail -n 30 "$LOGFILE" >&2
  stop
  die "mariadbd did not answer within ${START_TIMEOUT_SECONDS}s (log: $LOGFILE)"
}

start() {
  local pid port attempt
  pid="$(running_pid)"
  if [[ -n "$pid" && -f "$PORTFILE" && -f "$SOCKETFILE" ]] && admin ping >/dev/null 2>&1; then
    log "already running (pid $pid)"
    cat "$PORTFILE"
    return 0
  fi
  [[ -z "$pid" ]] || die "a server (pid $pid) is running from $DIR but does not answer; run: $0 stop $DIR"

  ensure_packages mariadb-server mariadb-client
  install_db
  socket_path >"$SOCKETFILE"
  rm -f "$PORTFILE"

  local attempts=$PORT_ATTEMPTS
  [[ -z "$FIXED_PORT" ]] || attempts=1
  for ((attempt = 1; attempt <= attempts; attempt++)); do
    port="${FIXED_PORT:-$(pick_port)}"
    if try_start "$port"; then
      client --batch <<SQL
CREATE USER IF NOT EXISTS '$TEST_USER'@'127.0.0.1' IDENTIFIED BY '$TEST_PASSWORD';
ALTER USER '$TEST_USER'@'127.0.0.1' IDENTIFIED BY '$TEST_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$TEST_USER'@'127.0.0.1' WITH GRANT OPTION;
SQL
      printf '%s\n' "$port" >"$PORTFILE"
      log "MariaDB running on 127.0.0.1:$port (pid $(running_pid), datadir $DATADIR)"
      printf '%s\n' "$port"
      return 0
    fi
    log "port $port was taken, trying another"
  done
  die "could not bind a port after $attempts attempts"
}

stop() {
  local pid deadline
  pid="$(running_pid)"
  if [[ -z "$pid" ]]; then
    rm -f "$PIDFILE" "$PORTFILE"
    return 0
  fi
  log "stopping MariaDB (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT_SECONDS))
  while pid_alive "$pid" && ((SECONDS < deadline)); do
    sleep 0.1
  done
  if pid_alive "$pid"; then
    log "pid $pid still running after ${STOP_TIMEOUT_SECONDS}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while pid_alive "$pid"; do
      sleep 0.1
    done
  fi
  if [[ -f "$SOCKETFILE" ]]; then
    local sock
    sock="$(<"$SOCKETFILE")"
    rm -f "$sock"
    if [[ "$sock" != "$DIR/"* ]]; then
      rmdir "$(dirname "$sock")" 2>/dev/null || true
    fi
  fi
  rm -f "$PIDFILE" "$PORTFILE" "$SOCKETFILE"
}

print_env() {
  [[ -f "$PORTFILE" ]] || die "no server running from $DIR (no $PORTFILE)"
  printf 'XIEHUI_TEST_MYSQL="host=127.0.0.1 port=%s user=%s password=%s"\n' \
    "$(<"$PORTFILE")" "$TEST_USER" "$TEST_PASSWORD"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  env) print_env ;;
  *) usage ;;
esac
