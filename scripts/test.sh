#!/usr/bin/env bash
# Runs the whole test suite: type check, unit tests (pure code, recorded fixtures), end-to-end tests (real Chromium
# and Firefox driven through the MCP client over stdio). Sets the machine up first. Last line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
files=$(find test/unit test/e2e -name '*.test.ts' | sort)
if [ -n "${TEST_FILTER:-}" ]; then files=$(echo "$files" | grep -E "$TEST_FILTER" || true); fi
# Java only when the Selenium Grid suite is among the files that run.
setup_args=()
if echo "$files" | grep -q 'test/e2e/grid.test.ts'; then setup_args+=(--grid); fi
bash scripts/setup.sh ${setup_args[@]+"${setup_args[@]}"} || { echo "0 passed, 1 failed"; exit 1; }

mkdir -p .tmp
passed=0
failed=0

if npx tsc --noEmit -p tsconfig.json; then
  echo "typecheck: ok"; passed=$((passed + 1))
else
  echo "typecheck: FAILED"; failed=$((failed + 1))
fi

# One config (biome.json): the linter, and the formatter in check mode (`npx biome format --write .` fixes it).
if npx biome lint --error-on-warnings >/dev/null 2>.tmp/biome.log && npx biome format >/dev/null 2>>.tmp/biome.log; then
  echo "lint and format: ok"; passed=$((passed + 1))
else
  echo "lint and format: FAILED"; cat .tmp/biome.log; failed=$((failed + 1))
fi

tap=.tmp/test-results.tap
# shellcheck disable=SC2086
node --import tsx --test --test-concurrency=1 --test-timeout=600000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  $files
status=$?
p=$(grep -E '^# pass ' "$tap" | tail -1 | awk '{print $3}')
f=$(grep -E '^# fail ' "$tap" | tail -1 | awk '{print $3}')
c=$(grep -E '^# cancelled ' "$tap" | tail -1 | awk '{print $3}')
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-0} + ${c:-0}))
if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ] && [ "${c:-0}" -eq 0 ]; then failed=$((failed + 1)); fi

leftover=$(ps -eo pid=,args= | grep -E 'bidiscope-(chrome|firefox)-|bidiscope-test-grid-' | grep -v grep || true)
if [ -n "$leftover" ]; then
  echo "browser or grid processes left behind by the tests:"; echo "$leftover"; failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
