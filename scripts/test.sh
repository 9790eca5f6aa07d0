#!/usr/bin/env bash
# Runs the whole test suite and ends with one plain line: "Tests: N passed, N failed, N skipped".
# Exit code: dotnet test's, or 1 when a full run's OpenAPI documents fail the lint (scripts/lint-openapi.sh)
# or the committed Kiota client (clients/Platform.Client/Generated) is not generated from them.
# Extra arguments go to dotnet test (e.g. --filter Platform.Tests) and skip the lint.
set -uo pipefail
cd "$(dirname "$0")/.."

results=.local/test-results
rm -rf "$results" .local/openapi && mkdir -p "$results"

dotnet test Platform.sln --logger trx --results-directory "$results" \
  --blame-hang-timeout 20m --blame-hang-dump-type none "$@"
status=$?

# The whole-system tests export each service's OpenAPI document to .local/openapi/; a full run lints them.
if [ $# -eq 0 ] && [ $status -eq 0 ]; then
  if ! scripts/lint-openapi.sh; then
    echo "The OpenAPI documents have lint errors (scripts/lint-openapi.sh)."
    status=1
  fi
  # The typed client must match the documents the services publish now.
  if ! clients/generate.sh --check; then
    status=1
  fi
fi

# --- Benchmarks, quick mode (a full run only): every bench scenario, tiny and bounded, so the harness cannot rot.
# Fails the run only if the harness fails; a missed goal is reported in its tables, not a failure (bench/README.md).
if [ $# -eq 0 ] && [ $status -eq 0 ]; then
  if ! BENCH_CONFIGURATION=Debug scripts/bench.sh --quick --no-build; then
    echo "The benchmark harness failed in quick mode (scripts/bench.sh --quick)."
    status=1
  fi
fi
# --- end of benchmarks

shopt -s nullglob
trx=("$results"/*.trx)
if [ ${#trx[@]} -eq 0 ]; then
  echo "No test results were written (dotnet test exit code $status): see the build output above."
  exit $(( status == 0 ? 1 : status ))
fi

if [ $status -ne 0 ]; then
  echo "dotnet test exited with $status: a failed test, a build error or a crashed test host (see above)."
fi
# <Counters total="3" executed="3" passed="2" failed="1" error="0" ... notExecuted="0" .../> in each TRX file.
grep -ho '<Counters [^>]*>' "${trx[@]}" | awk '
  function count(name,   m) { return match($0, name "=\"[0-9]+\"") ? substr($0, RSTART + length(name) + 2, RLENGTH - length(name) - 3) + 0 : 0 }
  { passed += count("passed"); failed += count("failed") + count("error") + count("timeout") + count("aborted"); skipped += count("notExecuted") }
  END { printf "Tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }'
exit $status
