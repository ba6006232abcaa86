#!/usr/bin/env bash
# Runs every test the project has, in order: type-check, lint, unit tests, production build,
# Chromium check, browser tests. Stops at the first failing phase, naming it, and exits non-zero.
# The last line is always `tests: N passed, N failed` (test cases over the unit and browser
# runs), which CI reads.
set -uo pipefail
cd "$(dirname "$0")/.."

RESULTS=.tmp/test-results
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

print_tally() {
  shopt -s nullglob
  node -e '
    let passed = 0, failed = 0;
    for (const file of process.argv.slice(1)) {
      try {
        const run = JSON.parse(require("node:fs").readFileSync(file, "utf8"));
        passed += run.numPassedTests ?? 0;
        failed += run.numFailedTests ?? 0;
      } catch { /* a run that crashed before writing results counts no cases */ }
    }
    console.log(`tests: ${passed} passed, ${failed} failed`);
  ' "$RESULTS"/*.json
}
trap print_tally EXIT

run_phase() {
  local name=$1
  shift
  echo
  echo "=== ${name} ==="
  if ! "$@"; then
    echo
    echo "FAILED: phase '${name}' failed; later phases did not run." >&2
    exit 1
  fi
}

vitest_json() { echo "--reporter=default --reporter=json --outputFile.json=$RESULTS/$1.json"; }

# Node 20's V8 has twice aborted a test worker under heavy load ("Worker exited unexpectedly",
# SIGTRAP in the deoptimizer) with no test failing. Such a crash, and only such a crash, reruns
# the unit tests once, saying so; any failed assertion fails the phase at once.
unit_tests() {
  local log=.tmp/unit.log
  # shellcheck disable=SC2046 # the reporter flags are meant to split into words
  npm run --silent test:unit -- $(vitest_json unit) 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local plain=.tmp/unit.plain.log
  sed 's/\x1b\[[0-9;]*m//g' "$log" > "$plain"
  if [ "$status" -ne 0 ] && grep -q "exited unexpectedly" "$plain" && ! grep -qE "Tests +[0-9]+ failed" "$plain"; then
    echo "A test worker process crashed without any test failing; running the unit tests once more." >&2
    # shellcheck disable=SC2046
    npm run --silent test:unit -- $(vitest_json unit)
    return $?
  fi
  return "$status"
}

run_phase "typecheck" npm run --silent typecheck
run_phase "lint" npm run --silent lint
run_phase "unit tests" unit_tests
run_phase "build" npm run --silent build
run_phase "ensure chromium" bash scripts/ensure-chromium.sh
# shellcheck disable=SC2046
run_phase "browser tests" npm run --silent test:e2e -- $(vitest_json e2e)

echo
echo "All phases passed."
