#!/usr/bin/env bash
# Runs the benchmark harness (bench/Platform.Bench): ./platform bench [scenario...] [--quick] [--readme] [--no-build]
#   scenarios: messaging expiry-scan startup gateway login submissions (none = all, in that order)
#   --quick    tiny bounded runs of every scenario (CI: under 3 minutes), results in bench/results/quick/ (git-ignored)
#   --readme   only rewrite bench/README.md's results table from bench/results/*.json
#   --no-build use the harness as last built (scripts/test.sh has just built the solution)
# BENCH_CONFIGURATION=Debug|Release (default Release): the build of the harness, the AppHost and the services it starts.
# BENCH_SUBMISSIONS_RATES="30:60": the submissions scenario at these rates (rate:seconds, comma-separated) instead of 50/s and 250/s, to profile a steady load.
# BENCH_PLATFORM_ENV="every: DOTNET_TieredPGO=0; gateway: NAME=value": settings to try on the platform's processes, recorded with the results.
# Exit code: 0 when every scenario ran and wrote its results (a missed goal is reported, not a failure), else 1.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
args=()
for arg in "$@"; do
  if [ "$arg" = --no-build ]; then build=0; else args+=("$arg"); fi
done

configuration=${BENCH_CONFIGURATION:-Release}
project=bench/Platform.Bench/Platform.Bench.csproj
if [ $build = 1 ]; then
  echo "Building the harness and the platform ($configuration) ..."
  dotnet build "$project" -c "$configuration" -v q -nologo
fi
exec dotnet "bench/Platform.Bench/bin/$configuration/net10.0/Platform.Bench.dll" "${args[@]}"
