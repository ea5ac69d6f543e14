#!/usr/bin/env bash
# Builds xiehui with its tests and runs all of them, on SQLite and on a throwaway MariaDB server.
# Works on a fresh Debian 12: installs whatever packages are missing first.
# Exits non-zero on any failure; the MariaDB server is stopped however the run ends.
# Once the Release build is done, the browser tests (tests/ui/run.sh) run in the background while
# the sanitizer build, the ctest suites and the fuzz smoke runs go on; their log follows at the end.
#
#   scripts/test.sh            everything above
#   scripts/test.sh --galera   and then the Galera suite: a three-node cluster on loopback
#                              (scripts/galera_test_cluster.sh), migrators on three nodes at once,
#                              the suites of several processes as three processes on three nodes
#                              (sign-ups, quota, payments, bookings, approvals, notifications),
#                              and the crash drill with three processes on three nodes, a process
#                              and a node killed each round
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

MARIADB_DIR="$BUILD_DIR/mariadb"
GALERA_DIR="$BUILD_DIR/galera"
galera=0
case "${1:-}" in
  "") ;;
  --galera) galera=1 ;;
  *) die "usage: $0 [--galera]" ;;
esac
failures=()
ui_pid="" # the browser suite, running beside the rest in its own process group
UI_LOG="$BUILD_DIR/ui-tests.log"

# Stops the browser suite's whole process group (its runner, Chromium, its servers) when the run
# ends before it does.
stop_ui_tests() {
  if [[ -n "$ui_pid" ]] && kill -0 "$ui_pid" 2>/dev/null; then
    log "stopping the browser tests (process group $ui_pid)"
    kill -TERM -- "-$ui_pid" 2>/dev/null || kill -TERM "$ui_pid" 2>/dev/null || true
    wait "$ui_pid" 2>/dev/null || true
  fi
  ui_pid=""
}

finish() {
  local rc=$?
  stop_ui_tests
  bash "$ROOT/scripts/mariadb_test_server.sh" stop "$MARIADB_DIR" || rc=1
  if ((galera)); then
    bash "$ROOT/scripts/galera_test_cluster.sh" stop "$GALERA_DIR" || rc=1
  fi
  local elapsed=$SECONDS
  if ((rc == 0)) && ((${#failures[@]} > 0)); then
    rc=1
  fi
  if ((rc == 0)); then
    log "PASS in $((elapsed / 60))m$((elapsed % 60))s"
  else
    if ((${#failures[@]} > 0)); then
      log "failed: ${failures[*]}"
    fi
    log "FAIL (exit $rc) in $((elapsed / 60))m$((elapsed % 60))s"
  fi
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_packages "${XIEHUI_BUILD_PACKAGES[@]}" "${XIEHUI_TEST_PACKAGES[@]}" \
  "${XIEHUI_SANITIZER_PACKAGES[@]}"
build_ui
install_openapi_lint
# The server first: the browser suite needs nothing else.
configure_and_build xiehui

# The browser suite needs only the Release server and the UI: it runs beside the rest of the
# build, the sanitizer build and the ctest suites instead of after them. It is the longest part
# (~18 min on two cores), so it starts as early as it can. Each part alone leaves cores idle (the
# suites wait on fsync and on their servers, the browser tests on the page), and on a machine
# with more than two cores the browser suite's lanes and the suites' processes share them out.
# Its log is shown when it ends.
if [[ -f tests/ui/run.sh ]]; then
  log "the browser tests run beside the rest (tests/ui/run.sh; log: $UI_LOG)"
  # setsid: its own process group, so that stop_ui_tests reaches Chromium and the servers too.
  setsid bash tests/ui/run.sh >"$UI_LOG" 2>&1 &
  ui_pid=$!
fi
# shellcheck disable=SC2119 # no targets: build all
configure_and_build
# The same suite under ASan+UBSan, and the fuzz targets (build-san/; XIEHUI_SKIP_SANITIZERS=1
# leaves them out of a quick local run, never out of CI).
sanitizers=1
if [[ "${XIEHUI_SKIP_SANITIZERS:-}" == 1 && -z "${CI:-}" ]]; then
  log "XIEHUI_SKIP_SANITIZERS=1: no sanitizer suite, no fuzzing"
  sanitizers=0
fi
if ((sanitizers)); then
  # shellcheck disable=SC2119 # no targets: build all
  configure_and_build_sanitized
fi

# Formatting (.clang-format). A failure fails the run but the tests still run.
if command -v clang-format >/dev/null 2>&1; then
  mapfile -d '' sources < <(find core services web tests \
    -path web/ui -prune -o -type f \( -name '*.cpp' -o -name '*.hpp' \) -print0 2>/dev/null |
    sort -z)
  if ((${#sources[@]} > 0)); then
    log "checking formatting of ${#sources[@]} files with $(clang-format --version)"
    if ! clang-format --dry-run --Werror "${sources[@]}"; then
      failures+=(clang-format)
    fi
  fi
else
  log "clang-format not installed; skipping the format check"
fi

log "starting the MariaDB test server in $MARIADB_DIR"
bash scripts/mariadb_test_server.sh start "$MARIADB_DIR" >/dev/null
eval "export $(bash scripts/mariadb_test_server.sh env "$MARIADB_DIR")"
log "XIEHUI_TEST_MYSQL=$XIEHUI_TEST_MYSQL"

if ! ctest --test-dir "$BUILD_DIR" --output-on-failure --no-tests=error -j"$(nproc)" --timeout 600; then
  failures+=(ctest)
fi

# The Debian package: built, installed on this machine, served from as its unit would, purged.
# It installs a package, so it needs root (as CI runs).
log "the Debian package: scripts/package.sh, then tests/package/install_test.sh"
if ! deb="$(bash scripts/package.sh)" || ! bash tests/package/install_test.sh "$deb"; then
  failures+=(package)
fi

if ((sanitizers)); then
  log "the suite again under ASan+UBSan ($SAN_BUILD_DIR)"
  if ! ctest --test-dir "$SAN_BUILD_DIR" --output-on-failure --no-tests=error -j"$(nproc)" --timeout 900; then
    failures+=(ctest-sanitizers)
  fi
  # Each fuzz target briefly from its seeds: the seeds still pass, and a shallow bug shows.
  if ! bash scripts/fuzz.sh all "${XIEHUI_FUZZ_SECONDS:-20}"; then
    failures+=(fuzz)
  fi
fi

if ((galera)); then
  log "the Galera suite: a three-node cluster in $GALERA_DIR"
  if bash scripts/galera_test_cluster.sh start "$GALERA_DIR" &&
    eval "export $(bash scripts/galera_test_cluster.sh env "$GALERA_DIR" | tr '\n' ' ')"; then
    if ! "$BUILD_DIR/tests/xiehui_db_tests" --gtest_filter='*Galera*'; then
      failures+=(galera-migrations)
    fi
    # The suites of several processes, as three processes on three nodes.
    if ! "$BUILD_DIR/tests/xiehui_http_tests" --gtest_filter='Processes/*/galera'; then
      failures+=(galera-processes)
    fi
    if ! python3 tests/drills/crash_drill.py --binary "$BUILD_DIR/xiehui" --backend galera \
      --galera-dir "$GALERA_DIR" --rounds 2; then
      failures+=(galera-drill)
    fi
  else
    failures+=(galera-cluster)
  fi
fi

if [[ -n "$ui_pid" ]]; then
  log "waiting for the browser tests"
  ui_rc=0
  wait "$ui_pid" || ui_rc=$?
  ui_pid=""
  log "the browser tests' log ($UI_LOG):"
  cat "$UI_LOG"
  if ((ui_rc != 0)); then
    failures+=(ui-tests)
  fi
fi

((${#failures[@]} == 0))
