#!/usr/bin/env bash
# A throwaway three-node MariaDB Galera cluster on loopback, for tests.
#
#   scripts/galera_test_cluster.sh start DIR      start nodes 1..3 under DIR/node1..node3: node 1
#                                                 bootstraps, 2 and 3 join it by state transfer;
#                                                 returns once all three are Synced in a cluster
#                                                 of 3. Old data in DIR is wiped first.
#   scripts/galera_test_cluster.sh stop DIR       stop the nodes by the pids in their pid files
#                                                 (node 3, node 2, then node 1), wait for exit
#   scripts/galera_test_cluster.sh env DIR        print XIEHUI_TEST_GALERA_1..3="host=... port=..."
#   scripts/galera_test_cluster.sh kill DIR N     SIGKILL node N (a node that dies); prints nothing
#   scripts/galera_test_cluster.sh restart DIR N  start node N again on its old ports; it rejoins
#                                                 (IST or SST) and this returns once it is Synced
#
# Each node listens on 127.0.0.1 only, on 4 free ports chosen here (client, gcomm, IST, SST;
# DIR/nodeN/ports holds them in that order), and has its own datadir, socket, pid file and log
# (DIR/nodeN/mysqld.log, where the state transfer logs too). Every node has a user
# 'xiehui'@'127.0.0.1' (password xiehui_test) with all privileges; root has no password and is
# reachable over a node's socket only (DIR/nodeN/socket names it).
#
# State transfers use rsync. Its daemon on the joiner runs as `nobody` when the server runs as
# root, so every datadir is chowned to nobody before its node starts (else the transfer fails with
# "cannot stat destination: Permission denied"); DIR must be reachable by nobody (/tmp is).
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly TEST_USER=xiehui
readonly TEST_PASSWORD=xiehui_test
readonly NODES=(1 2 3)
readonly GALERA_PROVIDER=/usr/lib/galera/libgalera_smm.so
readonly CLUSTER_NAME=xiehui_test
# Per node: start-up includes a state transfer for a joiner.
readonly START_TIMEOUT_SECONDS=120
readonly STOP_TIMEOUT_SECONDS=60
readonly PORT_ATTEMPTS=8

usage() {
  echo "usage: $0 start DIR | stop DIR | env DIR | kill DIR N | restart DIR N  (N: 1, 2 or 3)" >&2
  exit 2
}

(($# >= 2)) || usage
cmd="$1"
case "$cmd" in
  start | stop | env) (($# == 2)) || usage ;;
  kill | restart) { (($# == 3)) && [[ "$3" =~ ^[123]$ ]]; } || usage ;;
  *) usage ;;
esac
NODE_ARG="${3:-}"
if [[ "$cmd" == start ]]; then
  mkdir -p "$2"
elif [[ ! -d "$2" ]]; then
  [[ "$cmd" == stop ]] && exit 0 # nothing was ever started there
  die "no cluster directory $2"
fi
DIR="$(cd "$2" && pwd)"

node_dir() { printf '%s' "$DIR/node$1"; }
datadir() { printf '%s' "$DIR/node$1/data"; }
pidfile() { printf '%s' "$DIR/node$1/mysqld.pid"; }
portsfile() { printf '%s' "$DIR/node$1/ports"; } # "client gcomm ist sst"
logfile() { printf '%s' "$DIR/node$1/mysqld.log"; }
socketfile() { printf '%s' "$DIR/node$1/socket"; } # holds the socket's path (see socket_path)

socket_path() { socket_path_for "$(node_dir "$1")/mysqld.sock"; }
# node N's running server, or nothing (never a stale pid file's unrelated process)
running_pid() { mariadbd_pid_from "$(pidfile "$1")"; }

# The processes a server started (a state transfer's script and its rsync daemon), children first
# walked from PID; printed one a line.
descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null || true); do
    printf '%s\n' "$child"
    descendants "$child"
  done
}

# Ports picked by this run, so that the 12 are distinct.
PICKED=()

# A port in 20000..32767 (below Linux's ephemeral range, so `listen 127.0.0.1:0` servers in the
# tests never collide with it) that nothing on 127.0.0.1 answers on and this run has not picked.
# A server may still fail to bind if another process takes it meanwhile; start retries then.
pick_port() {
  local port i p taken
  for ((i = 0; i < 200; i++)); do
    port=$((20000 + RANDOM % 12768))
    taken=0
    for p in "${PICKED[@]}"; do
      [[ "$p" != "$port" ]] || taken=1
    done
    ((taken == 0)) || continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      PICKED+=("$port")
      PORT="$port"
      return 0
    fi
  done
  die "no free port found"
}

# Picks node N's four ports and writes them to its ports file.
pick_node_ports() {
  local -a ports=()
  local i
  for ((i = 0; i < 4; i++)); do
    pick_port
    ports+=("$PORT")
  done
  printf '%s\n' "${ports[*]}" >"$(portsfile "$1")"
}

# node_port N WHICH — WHICH: 1 client, 2 gcomm, 3 IST, 4 SST.
node_port() {
  local -a ports
  read -r -a ports <"$(portsfile "$1")"
  printf '%s' "${ports[$(($2 - 1))]}"
}

cluster_address() {
  local n addrs=()
  for n in "${NODES[@]}"; do
    [[ -f "$(portsfile "$n")" ]] && addrs+=("127.0.0.1:$(node_port "$n" 2)")
  done
  local IFS=,
  printf 'gcomm://%s' "${addrs[*]}"
}

client() {
  local n="$1"
  shift
  mariadb --no-defaults --socket="$(<"$(socketfile "$n")")" --user=root --connect-timeout=2 "$@"
}

# Prints node N's "wsrep_ready<TAB>wsrep_local_state_comment<TAB>wsrep_cluster_size", or nothing
# if it does not answer.
node_state() {
  [[ -f "$(socketfile "$1")" ]] || return 0
  client "$1" --batch --skip-column-names -e \
    "SHOW GLOBAL STATUS WHERE Variable_name IN
       ('wsrep_ready', 'wsrep_local_state_comment', 'wsrep_cluster_size')" 2>/dev/null |
    awk -F '\t' '{ v[$1] = $2 }
      END { if (NR) printf "%s\t%s\t%s", v["wsrep_ready"], v["wsrep_local_state_comment"],
                                        v["wsrep_cluster_size"] }' || true
}

# True if node N is ready, Synced, in a cluster of SIZE.
node_synced() {
  [[ "$(node_state "$1")" == "ON"$'\t'"Synced"$'\t'"$2" ]]
}

running_count() {
  local n count=0
  for n in "${NODES[@]}"; do
    [[ -z "$(running_pid "$n")" ]] || count=$((count + 1))
  done
  printf '%s' "$count"
}

install_db() {
  local data
  data="$(datadir "$1")"
  [[ -d "$data/mysql" ]] && return 0
  log "initialising datadir $data"
  rm -rf "$data.tmp"
  mkdir -p "$data.tmp"
  if ! mariadb-install-db --no-defaults --user=root --datadir="$data.tmp" \
    --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
    >"$(node_dir "$1")/install-db.log" 2>&1; then
    cat "$(node_dir "$1")/install-db.log" >&2
    die "mariadb-install-db failed (log: $(node_dir "$1")/install-db.log)"
  fi
  rm -rf "$data"
  mv "$data.tmp" "$data"
}

# The joiner's rsync daemon writes as nobody: give it the datadir, and check it can reach it.
prepare_datadir() {
  local data
  data="$(datadir "$1")"
  mkdir -p "$data"
  chown -R nobody:nogroup "$data"
  runuser -u nobody -- test -w "$data" -a -x "$data" ||
    die "user nobody cannot write $data (rsync state transfers run as nobody); use a DIR whose" \
      "parent folders everyone may enter, e.g. under /tmp"
}

# Nodes launched by this run and not yet known good: stopped again if the run fails (and a
# failed `start` leaves no ports files, so that `env` names no cluster).
CLEANUP_NODES=()
CLEANUP_PORTS=0
cleanup_on_exit() {
  local rc=$? i
  if ((rc != 0)); then
    for ((i = ${#CLEANUP_NODES[@]} - 1; i >= 0; i--)); do
      stop_node "${CLEANUP_NODES[i]}" || true
    done
    if ((CLEANUP_PORTS == 1)); then
      for i in "${NODES[@]}"; do
        rm -f "$(portsfile "$i")"
      done
    fi
  fi
}
trap cleanup_on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Sets SERVER_ARGS to node N's mariadbd options but socket, pid file and log.
SERVER_ARGS=()
server_args() {
  local n="$1" client_port gcomm_port ist_port sst_port
  client_port="$(node_port "$n" 1)"
  gcomm_port="$(node_port "$n" 2)"
  ist_port="$(node_port "$n" 3)"
  sst_port="$(node_port "$n" 4)"
  SERVER_ARGS=(
    --no-defaults --user=root --datadir="$(datadir "$n")"
    --bind-address=127.0.0.1 --port="$client_port"
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci
    --default-storage-engine=InnoDB --innodb-flush-log-at-trx-commit=1
    --innodb-buffer-pool-size=128M --innodb-autoinc-lock-mode=2 --binlog-format=ROW
    --skip-name-resolve --max-connections=500
    --wsrep-on=ON --wsrep-provider="$GALERA_PROVIDER" --wsrep-cluster-name="$CLUSTER_NAME"
    --wsrep-cluster-address="$(cluster_address)"
    --wsrep-node-name="node$n" --wsrep-node-address=127.0.0.1
    --wsrep-node-incoming-address="127.0.0.1:$client_port"
    --wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:$gcomm_port; ist.recv_addr=127.0.0.1:$ist_port; gcache.size=64M"
    --wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:$sst_port"
  )
}

# After an unclean stop (SIGKILL) grastate.dat says seqno -1 and the node would ask for a full
# state transfer. Like Debian's galera_recovery (which systemd runs), recover the last committed
# position from InnoDB with --wsrep-recover, so that the node can catch up by IST from a donor's
# gcache. Sets START_POSITION (empty when there is nothing to recover).
START_POSITION=""
recover_position() {
  local n="$1" data log pos sock
  sock="$(<"$(socketfile "$n")")" # the node's own: it does not run yet
  data="$(datadir "$n")"
  log="$(node_dir "$n")/recover.log"
  START_POSITION=""
  [[ -f "$data/grastate.dat" && -d "$data/mysql" ]] || return 0
  grep -qE '^seqno:[[:space:]]+-1[[:space:]]*$' "$data/grastate.dat" || return 0
  rm -f "$log"
  # The server's own options (the rsync SST method checks wsrep_cluster_address even here),
  # without networking, and a log and pid file of its own.
  server_args "$n"
  if ! timeout "$START_TIMEOUT_SECONDS" mariadbd "${SERVER_ARGS[@]}" --skip-networking \
    --socket="$sock" --pid-file="$(node_dir "$n")/recover.pid" \
    --log-error="$log" --wsrep-recover \
    </dev/null >>"$log" 2>&1; then
    rm -f "$sock"
    tail -n 20 "$log" >&2
    return 1
  fi
  rm -f "$sock" "$(node_dir "$n")/recover.pid"
  pos="$(sed -n 's/.*WSREP: Recovered position: *//p' "$log" | tail -n 1)"
  [[ "$pos" =~ ^[0-9a-f-]{36}:-?[0-9]+$ ]] || {
    tail -n 20 "$log" >&2
    return 1
  }
  log "node $n: recovered position $pos after an unclean stop"
  START_POSITION="$pos"
}

# try_start_node N BOOTSTRAP — starts node N on the ports in its ports file (node 1 with
# --wsrep-new-cluster when BOOTSTRAP is 1); returns 0 once it is ready and Synced, 1 if it exited
# because a port was taken, dies on any other failure or after START_TIMEOUT_SECONDS.
try_start_node() {
  local n="$1" bootstrap="$2" sock pid log log_offset deadline state
  sock="$(<"$(socketfile "$n")")"
  log="$(logfile "$n")"
  rm -f "$sock" "$(pidfile "$n")"
  ((bootstrap == 1)) || recover_position "$n" || die "node $n: position recovery failed"
  prepare_datadir "$n" # after the recovery, which may create files as root
  touch "$log"
  log_offset="$(stat -c %s "$log")"

  local -a extra=()
  ((bootstrap == 0)) || extra+=(--wsrep-new-cluster)
  [[ -z "$START_POSITION" ]] || extra+=(--wsrep-start-position="$START_POSITION")
  server_args "$n"
  nohup mariadbd "${SERVER_ARGS[@]}" --socket="$sock" --pid-file="$(pidfile "$n")" \
    --log-error="$log" "${extra[@]}" \
    </dev/null >>"$log" 2>&1 &
  pid=$!
  disown "$pid" # no "Aborted" job notice from bash; `pid_alive` sees it exit (bash still reaps it)
  # mariadbd writes the pid file only after start-up; write it now so that `stop` works even if
  # we are interrupted while waiting. mariadbd overwrites it with the same pid.
  printf '%s\n' "$pid" >"$(pidfile "$n")"
  CLEANUP_NODES+=("$n")

  deadline=$((SECONDS + START_TIMEOUT_SECONDS))
  while ((SECONDS < deadline)); do
    if ! pid_alive "$pid"; then
      rm -f "$(pidfile "$n")"
      if tail -c +"$((log_offset + 1))" "$log" |
        grep -qE 'Address already in use|Bind on TCP/IP port'; then
        return 1
      fi
      tail -c +"$((log_offset + 1))" "$log" | tail -n 40 >&2
      die "node $n (mariadbd) exited during start-up (log: $log)"
    fi
    state="$(node_state "$n")"
    if [[ "$state" == "ON"$'\t'"Synced"$'\t'* ]]; then
      return 0
    fi
    sleep 0.2
  done
  tail -c +"$((log_offset + 1))" "$log" | tail -n 40 >&2
  die "node $n did not reach Synced within ${START_TIMEOUT_SECONDS}s" \
    "(last state: ${state:-no answer}; log: $log)"
}

# Starts node N (during `start`: with new ports if one was taken) and waits until it is Synced.
start_node() {
  local n="$1" bootstrap="$2" attempt
  socket_path "$n" >"$(socketfile "$n")"
  for ((attempt = 1; attempt <= PORT_ATTEMPTS; attempt++)); do
    ((attempt == 1)) || pick_node_ports "$n"
    if try_start_node "$n" "$bootstrap"; then
      log "node $n Synced on 127.0.0.1:$(node_port "$n" 1) (pid $(running_pid "$n"))"
      return 0
    fi
    log "node $n: one of its ports ($(<"$(portsfile "$n")")) was taken, trying others"
  done
  die "node $n could not bind its ports after $PORT_ATTEMPTS attempts"
}

# Waits until every node that runs says Synced in a cluster of as many nodes.
wait_cluster() {
  local deadline n size ok
  deadline=$((SECONDS + START_TIMEOUT_SECONDS))
  while true; do
    size="$(running_count)"
    ok=1
    for n in "${NODES[@]}"; do
      [[ -z "$(running_pid "$n")" ]] || node_synced "$n" "$size" || ok=0
    done
    ((ok == 0)) || return 0
    if ((SECONDS >= deadline)); then
      for n in "${NODES[@]}"; do
        log "node $n: $(node_state "$n" | tr '\t' ' ')"
      done
      die "the cluster did not settle at $size Synced nodes within ${START_TIMEOUT_SECONDS}s"
    fi
    sleep 0.2
  done
}

start() {
  local n pid running=() answering=0
  for n in "${NODES[@]}"; do
    pid="$(running_pid "$n")"
    if [[ -n "$pid" ]]; then
      running+=("$n")
      ! node_synced "$n" 3 || answering=$((answering + 1))
    fi
  done
  if ((${#running[@]} == 3 && answering == 3)); then
    log "already running (pids $(running_pid 1) $(running_pid 2) $(running_pid 3))"
    return 0
  fi
  ((${#running[@]} == 0)) ||
    die "the cluster in $DIR is not all up and Synced (running: node ${running[*]});" \
      "run: $0 restart $DIR N, or $0 stop $DIR"

  ensure_packages galera-4 mariadb-server mariadb-client rsync iproute2 procps
  [[ -f "$GALERA_PROVIDER" ]] || die "no Galera provider at $GALERA_PROVIDER (package galera-4)"

  # A test cluster keeps no data between runs: a fresh bootstrap needs no grastate.dat repairs.
  CLEANUP_PORTS=1
  for n in "${NODES[@]}"; do
    remove_socket "$n"
    rm -rf "$(node_dir "$n")"
    mkdir -p "$(node_dir "$n")"
    pick_node_ports "$n"
  done
  install_db 1

  log "bootstrapping node 1"
  start_node 1 1
  client 1 --batch <<SQL
CREATE USER IF NOT EXISTS '$TEST_USER'@'127.0.0.1' IDENTIFIED BY '$TEST_PASSWORD';
ALTER USER '$TEST_USER'@'127.0.0.1' IDENTIFIED BY '$TEST_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$TEST_USER'@'127.0.0.1' WITH GRANT OPTION;
SQL
  for n in 2 3; do
    log "starting node $n (joins by state transfer)"
    start_node "$n" 0
  done
  wait_cluster
  CLEANUP_NODES=()
  CLEANUP_PORTS=0
  log "Galera cluster of 3 running on 127.0.0.1 ports" \
    "$(node_port 1 1) $(node_port 2 1) $(node_port 3 1) (DIR $DIR)"
}

restart() {
  local n="$1" m others=0
  [[ -f "$(portsfile "$n")" ]] || die "no cluster in $DIR (no $(portsfile "$n")); run: $0 start $DIR"
  if [[ -n "$(running_pid "$n")" ]]; then
    if node_synced "$n" "$(running_count)"; then
      log "node $n already running (pid $(running_pid "$n"))"
      return 0
    fi
    die "node $n (pid $(running_pid "$n")) is running but not Synced; run: $0 kill $DIR $n first"
  fi
  for m in "${NODES[@]}"; do
    [[ "$m" == "$n" || -z "$(running_pid "$m")" ]] || others=$((others + 1))
  done
  ((others > 0)) || die "no other node of $DIR is running to rejoin; run: $0 stop $DIR; $0 start $DIR"

  local port
  for port in "$(node_port "$n" 1)" "$(node_port "$n" 2)"; do
    ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null ||
      die "node $n: its port $port is taken by another process"
  done
  # Right after a kill the others still count the dead node until they evict it (gcomm's
  # evs.suspect_timeout, 5 s); a node that joins meanwhile waits ~15 s longer. Let them settle.
  wait_cluster

  cleanup_children "$n"
  remove_socket "$n"
  log "restarting node $n (rejoins by IST or SST)"
  socket_path "$n" >"$(socketfile "$n")"
  try_start_node "$n" 0 ||
    die "node $n: one of its ports ($(<"$(portsfile "$n")")) is taken by another process"
  wait_cluster
  CLEANUP_NODES=()
  log "node $n Synced again on 127.0.0.1:$(node_port "$n" 1) (pid $(running_pid "$n")), cluster of $(running_count)"
}

# A state transfer's rsync daemon can outlive a killed node (its pid file is in the datadir);
# it would hold the SST port. Stops it if it is still an rsync process.
cleanup_children() {
  local file pid comm
  file="$(datadir "$1")/rsync_sst.pid"
  [[ -f "$file" ]] || return 0
  pid="$(tr -dc '0-9' <"$file")"
  if [[ -n "$pid" ]] && pid_alive "$pid"; then
    comm="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
    [[ "$comm" != rsync ]] || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

remove_socket() {
  local file sock
  file="$(socketfile "$1")"
  [[ -f "$file" ]] || return 0
  sock="$(<"$file")"
  rm -f "$sock"
  if [[ "$sock" != "$DIR/"* ]]; then
    rmdir "$(dirname "$sock")" 2>/dev/null || true
  fi
  rm -f "$file"
}

# SIGKILLs PID and the processes it started, waits until it is gone.
kill_tree() {
  local pid="$1" child
  local -a children
  mapfile -t children < <(descendants "$pid")
  kill -KILL "$pid" 2>/dev/null || true
  for child in "${children[@]}"; do
    kill -KILL "$child" 2>/dev/null || true
  done
  while pid_alive "$pid"; do
    sleep 0.1
  done
}

stop_node() {
  local n="$1" pid deadline
  pid="$(running_pid "$n")"
  if [[ -n "$pid" ]]; then
    log "stopping node $n (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + STOP_TIMEOUT_SECONDS))
    while pid_alive "$pid" && ((SECONDS < deadline)); do
      sleep 0.1
    done
    if pid_alive "$pid"; then
      log "node $n (pid $pid) still running after ${STOP_TIMEOUT_SECONDS}s; sending SIGKILL"
      kill_tree "$pid"
    fi
  fi
  cleanup_children "$n"
  remove_socket "$n"
  rm -f "$(pidfile "$n")"
}

# Joiners first, the bootstrap node last.
stop() {
  local n
  for n in 3 2 1; do
    [[ -d "$(node_dir "$n")" ]] || continue
    stop_node "$n"
    rm -f "$(portsfile "$n")"
  done
}

kill_node() {
  local n="$1" pid
  pid="$(running_pid "$n")"
  [[ -n "$pid" ]] || die "node $n of $DIR is not running"
  kill_tree "$pid"
  cleanup_children "$n"
}

print_env() {
  local n
  for n in "${NODES[@]}"; do
    [[ -f "$(portsfile "$n")" ]] || die "no cluster running from $DIR (no $(portsfile "$n"))"
  done
  for n in "${NODES[@]}"; do
    printf 'XIEHUI_TEST_GALERA_%s="host=127.0.0.1 port=%s user=%s password=%s"\n' \
      "$n" "$(node_port "$n" 1)" "$TEST_USER" "$TEST_PASSWORD"
  done
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  env) print_env ;;
  kill) kill_node "$NODE_ARG" ;;
  restart) restart "$NODE_ARG" ;;
  *) usage ;;
esac
