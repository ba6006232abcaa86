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

run_phase "typecheck" npm run --silent typecheck
run_phase "lint" npm run --silent lint
# shellcheck disable=SC2046 # the reporter flags are meant to split into words
run_phase "unit tests" npm run --silent test:unit -- $(vitest_json unit)
run_phase "build" npm run --silent build
run_phase "ensure chromium" bash scripts/ensure-chromium.sh
# shellcheck disable=SC2046
run_phase "browser tests" npm run --silent test:e2e -- $(vitest_json e2e)

echo
echo "All phases passed."
