#!/usr/bin/env bash
# The ctest `openapi_lint` test: prints the document with `xiehui openapi` (no server, no
# database) and lints it. Exits 77 (skipped) when `npm ci` has not been run here yet, and fails
# then under CI (scripts/test.sh runs it: install_openapi_lint in scripts/lib.sh).
#
#   tools/openapi-lint/run.sh path/to/xiehui
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
binary="${1:?usage: run.sh XIEHUI_BINARY}"
if [[ ! -d "$here/node_modules/@seriousme/openapi-schema-validator" ]]; then
  if [[ -n "${CI:-}" ]]; then
    echo "openapi-lint: dependencies not installed (npm ci in tools/openapi-lint) under CI" >&2
    exit 1
  fi
  echo "openapi-lint: dependencies not installed (npm ci in tools/openapi-lint): skipped" >&2
  exit 77
fi
doc="$(mktemp --suffix=.json)"
trap 'rm -f "$doc"' EXIT
"$binary" openapi >"$doc"
node "$here/lint.mjs" "$doc"
