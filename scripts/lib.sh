# shellcheck shell=bash
# Shared helpers for the scripts in this folder. Source it; do not run it.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# Defines ROOT (the repository root), BUILD_DIR (build/, or $XIEHUI_BUILD_DIR when set), the
# package lists and the functions ensure_packages, configure_and_build, build_ui and
# install_openapi_lint.

if [[ -n "${XIEHUI_LIB_SH_LOADED:-}" ]]; then
  return 0
fi
XIEHUI_LIB_SH_LOADED=1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# XIEHUI_BUILD_DIR builds elsewhere than build/ (one directory per concurrent build, each with its
# own bench/ and mariadb/ folders); a relative path is taken from the current directory.
if [[ -n "${XIEHUI_BUILD_DIR:-}" ]]; then
  BUILD_DIR="$(realpath -m -- "$XIEHUI_BUILD_DIR")"
else
  BUILD_DIR="$ROOT/build"
fi

# Debian 12 packages needed to build xiehui (and its web UI).
# shellcheck disable=SC2034 # used by the scripts that source this file
XIEHUI_BUILD_PACKAGES=(
  cmake ninja-build g++ ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsoci-dev libsqlite3-dev libmariadb-dev
  libfmt-dev libspdlog-dev libcli11-dev libsodium-dev libicu-dev
  libxlsxwriter-dev libqrencode-dev libzip-dev libexpat1-dev zlib1g-dev libcurl4-openssl-dev
  libssl-dev
  libtcmalloc-minimal4
  googletest libgtest-dev libgmock-dev
  nodejs npm
)

# Extra packages needed only to run the tests and benchmarks.
# shellcheck disable=SC2034 # used by the scripts that source this file
XIEHUI_TEST_PACKAGES=(
  mariadb-server mariadb-client wrk curl clang-format python3-icalendar
  python3-aiosmtpd openssl
  dpkg-dev fakeroot
)

# log MESSAGE... — progress message on stderr, prefixed with the script name.
log() {
  # The minutes and seconds since the script started: a CI log then shows where the time went.
  printf '%s [%d:%02d]: %s\n' "$(basename "$0")" $((SECONDS / 60)) $((SECONDS % 60)) "$*" >&2
}

# die MESSAGE... — print an error on stderr and exit 1.
die() {
  log "error: $*"
  exit 1
}

# mariadbd_pid_from FILE — the pid in FILE when it is a running MariaDB server, else nothing. A
# stale pid file must never make a script signal an unrelated process that got the same pid.
mariadbd_pid_from() {
  local file="$1" pid comm state
  [[ -f "$file" ]] || return 0
  pid="$(tr -dc '0-9' <"$file")"
  [[ -n "$pid" && -r "/proc/$pid/stat" ]] || return 0
  comm="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
  [[ "$comm" == mariadbd || "$comm" == mysqld ]] || return 0
  state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)"
  [[ "$state" != Z ]] || return 0
  printf '%s' "$pid"
}

# pid_alive PID — whether PID runs (a zombie does not).
pid_alive() {
  local pid="$1" state
  [[ -r "/proc/$pid/stat" ]] || return 1
  state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)"
  [[ -n "$state" && "$state" != Z ]]
}

# socket_path_for PATH — PATH, or when it is too long for a socket address (sun_path: 108 bytes)
# a socket in a new private folder under /tmp.
socket_path_for() {
  local sock="$1"
  if ((${#sock} > 100)); then
    sock="$(mktemp -d "${TMPDIR:-/tmp}/xiehui-mariadb.XXXXXX")/mysqld.sock"
  fi
  printf '%s' "$sock"
}

# ensure_packages PKG... — installs the given Debian packages that are not installed yet.
# Runs `apt-get update` once and one non-interactive `apt-get install` only when something is
# missing; uses sudo only when not root.
ensure_packages() {
  local missing=() pkg status
  for pkg in "$@"; do
    # NodeSource's nodejs package (on our machines: Node 20, npm 11) bundles npm and conflicts
    # with Debian's npm package: a working node/npm command satisfies these two.
    case "$pkg" in
      nodejs) command -v node >/dev/null 2>&1 && continue ;;
      npm) command -v npm >/dev/null 2>&1 && continue ;;
    esac
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    if [[ "$status" != "install ok installed" ]]; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi

  local -a sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null 2>&1 ||
      die "missing packages (${missing[*]}) and not root; install them or install sudo"
    sudo=(sudo)
  fi
  log "installing missing packages: ${missing[*]}"
  "${sudo[@]}" apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
}

# configure_dir DIR CMAKE_ARG... — configures DIR (Ninja) with the given arguments if it is not
# configured yet or the arguments changed since the last time.
configure_dir() {
  local dir="$1"
  shift
  local -a args=(-S "$ROOT" -B "$dir" -G Ninja "$@")
  local stamp="$dir/.xiehui-configure-args"
  local wanted="${args[*]}"
  if [[ ! -f "$dir/build.ninja" || ! -f "$stamp" || "$(<"$stamp")" != "$wanted" ]]; then
    if [[ -f "$dir/CMakeCache.txt" ]] &&
      ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$dir/CMakeCache.txt"; then
      die "$dir was configured with another generator; remove it and run again"
    fi
    log "configuring: cmake ${args[*]}"
    rm -f "$stamp"
    cmake "${args[@]}"
    printf '%s' "$wanted" >"$stamp"
  fi
}

# ccache_if_warm — on a CI run ($CI set) whose ccache is empty (a fresh machine), compiles
# without ccache: there every object misses, and a miss costs more than the compile alone, since
# ccache preprocesses each file or hashes its ~280 MB precompiled header first (four test files
# at -j2: 10.2 s without ccache, 17.2 s on misses). A warm cache, or any run without $CI, keeps it.
ccache_if_warm() {
  [[ -n "${CI:-}" && -z "${CCACHE_DISABLE:-}" ]] || return 0
  command -v ccache >/dev/null 2>&1 || return 0
  local files
  files="$(ccache --print-stats 2>/dev/null | awk '$1 == "files_in_cache" { print $2 }')"
  if ((${files:-0} < 100)); then
    log "ccache is empty: compiling without it (misses would cost more than they save)"
    export CCACHE_DISABLE=1
  fi
}

# configure_and_build [TARGET...] — configures build/ (Ninja, Release, tests on; -Werror when $CI
# is set or XIEHUI_WERROR=1) if it is not configured yet or the options changed, then builds the
# given targets (all when none are given). CMake re-runs itself when CMakeLists.txt changes.
configure_and_build() {
  # Each suite as 4 gtest shards of whole binaries, not a process per test: the Release suite's
  # 1,120 processes each paid start-up and a database (365 CPU-s summed; 227 s as shards). One
  # test: build/tests/xiehui_http_tests --gtest_filter='Suite.Name*'.
  local -a args=(-DCMAKE_BUILD_TYPE=Release -DXIEHUI_TESTS=ON -DXIEHUI_TEST_SHARDS=4)
  if [[ -n "${CI:-}" || "${XIEHUI_WERROR:-}" == 1 ]]; then
    args+=(-DXIEHUI_WERROR=ON)
  else
    args+=(-DXIEHUI_WERROR=OFF)
  fi
  configure_dir "$BUILD_DIR" "${args[@]}"
  ccache_if_warm
  local -a build=(cmake --build "$BUILD_DIR" -j"$(nproc)")
  if (($# > 0)); then
    build+=(--target "$@")
  fi
  log "building: ${build[*]}"
  "${build[@]}"
}

# The sanitizer build: clang 16 with ASan, UBSan and libFuzzer coverage, for the ctest suite
# under sanitizers and the fuzz targets (cmake/Sanitizers.cmake). -O1: fast enough to run the
# suite, quick to compile, and stack traces stay readable.
SAN_BUILD_DIR="${XIEHUI_SAN_BUILD_DIR:-$ROOT/build-san}"
# shellcheck disable=SC2034 # used by the scripts that source this file
XIEHUI_SANITIZER_PACKAGES=(clang-16 libclang-rt-16-dev llvm)

# configure_and_build_sanitized [TARGET...] — as configure_and_build, in $SAN_BUILD_DIR.
configure_and_build_sanitized() {
  configure_dir "$SAN_BUILD_DIR" -DCMAKE_CXX_COMPILER=clang++-16 -DCMAKE_BUILD_TYPE=Debug \
    '-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1' -DXIEHUI_TESTS=ON -DXIEHUI_FUZZ=ON -DXIEHUI_WERROR=OFF \
    -DXIEHUI_TEST_SHARDS=4
  ccache_if_warm
  local -a build=(cmake --build "$SAN_BUILD_DIR" -j"$(nproc)")
  if (($# > 0)); then
    build+=(--target "$@")
  fi
  log "building: ${build[*]}"
  "${build[@]}"
}

# The sanitizers' settings for every run: stop at the first error, report leaks, and symbolise.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# Source lines in the reports (clang 16's runtime does not find Debian's llvm-symbolizer alone).
if [[ -z "${ASAN_SYMBOLIZER_PATH:-}" && -x /usr/bin/llvm-symbolizer ]]; then
  ASAN_SYMBOLIZER_PATH="$(readlink -f /usr/bin/llvm-symbolizer)"
  export ASAN_SYMBOLIZER_PATH
fi

# npm_ci_once DIR WHAT — `npm ci` in DIR when its node_modules is missing or older than its
# package-lock.json.
npm_ci_once() {
  local dir="$1" what="$2"
  # Our own stamp rather than npm's node_modules/.package-lock.json: npm writes that one only
  # when there is at least one dependency, and also after an interrupted install.
  local stamp="$dir/node_modules/.xiehui-npm-ci"
  if [[ ! -f "$stamp" || "$dir/package-lock.json" -nt "$stamp" ]]; then
    log "installing $what: npm ci"
    (cd "$dir" && npm ci --no-audit --no-fund)
    mkdir -p "$dir/node_modules"
    touch "$stamp"
  fi
}

# install_openapi_lint — installs tools/openapi-lint (the OpenAPI linter the ctest
# `openapi_lint` runs on `xiehui openapi`; without it that test is skipped).
install_openapi_lint() {
  npm_ci_once "$ROOT/tools/openapi-lint" "the OpenAPI linter"
}

# build_ui — builds the Vue UI in web/ui into web/ui/dist when web/ui/package.json exists;
# does nothing otherwise. Runs `npm ci` only when node_modules is missing or older than
# package-lock.json.
build_ui() {
  local ui="$ROOT/web/ui"
  if [[ ! -f "$ui/package.json" ]]; then
    return 0
  fi
  [[ -f "$ui/package-lock.json" ]] ||
    die "web/ui/package-lock.json is missing; run 'npm install' in web/ui and commit the lock file"
  npm_ci_once "$ui" "UI dependencies"
  log "building UI: npm run build"
  (cd "$ui" && npm run build)
}
