#!/usr/bin/env bash
# Runs one libFuzzer target for a while:  scripts/fuzz.sh TARGET SECONDS [LIBFUZZER_ARG...]
#   scripts/fuzz.sh http_request_fuzz 600
#   scripts/fuzz.sh all 30            (every target, SECONDS each, one per core at a time)
# Builds the sanitizer build (build-san/, clang 16, ASan+UBSan) when needed. Starts from the
# committed seeds in tests/fuzz/corpus/TARGET and keeps what it learns in build-san/fuzz/corpus/
# TARGET (not committed: `-merge=1` it into the seeds by hand when it found something worth
# keeping). A crash leaves its input in build-san/fuzz/crashes/ and fails the run; add the input
# to the seeds and a regression test with the fix.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

(($# >= 2)) || die "usage: scripts/fuzz.sh TARGET|all SECONDS [LIBFUZZER_ARG...]"
target="$1"
seconds="$2"
shift 2
mapfile -t all_targets < <(sed -n 's/^xiehui_fuzz(\([a-z_]*\) .*/\1/p' tests/fuzz/CMakeLists.txt)
if [[ "$target" == all ]]; then
  targets=("${all_targets[@]}")
else
  [[ " ${all_targets[*]} " == *" $target "* ]] ||
    die "unknown target $target; the targets: ${all_targets[*]}"
  targets=("$target")
fi

ensure_packages "${XIEHUI_BUILD_PACKAGES[@]}" "${XIEHUI_SANITIZER_PACKAGES[@]}"
configure_and_build_sanitized "${targets[@]}"

crashes="$SAN_BUILD_DIR/fuzz/crashes"
mkdir -p "$crashes"

# One target, one process; the inputs it finds go to its corpus, the seeds are read only.
# -rss_limit_mb bounds what one input may make us allocate (the xlsx limits allow 256 MB unpacked).
fuzz_one() {
  local t="$1"
  shift
  local corpus="$SAN_BUILD_DIR/fuzz/corpus/$t"
  mkdir -p "$corpus"
  "$SAN_BUILD_DIR/fuzz/$t" "$corpus" "tests/fuzz/corpus/$t" \
    -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="$crashes/$t-" -print_final_stats=1 "$@" \
    2>"$SAN_BUILD_DIR/fuzz/$t.log"
}

# Targets run side by side, one per core (XIEHUI_FUZZ_JOBS): each fuzzer is single-threaded, so
# "all" takes SECONDS × targets ÷ cores instead of SECONDS × targets.
jobs="${XIEHUI_FUZZ_JOBS:-$(nproc)}"
declare -A pid_of=()
for t in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs)); do
    wait -n || true
  done
  log "fuzzing $t for ${seconds}s"
  fuzz_one "$t" "$@" &
  pid_of[$t]=$!
done

failed=()
for t in "${targets[@]}"; do
  if ! wait "${pid_of[$t]}"; then
    tail -n 60 "$SAN_BUILD_DIR/fuzz/$t.log" >&2
    failed+=("$t")
  else
    printf '%s: ' "$t" >&2
    grep -E '^stat::(number_of_executed_units|new_units_added|peak_rss_mb)' \
      "$SAN_BUILD_DIR/fuzz/$t.log" | tr '\n' ' ' >&2 || true
    echo >&2
  fi
done
if ((${#failed[@]} > 0)); then
  die "crashed: ${failed[*]} (inputs in $crashes)"
fi
