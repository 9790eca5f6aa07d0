#!/usr/bin/env bash
# Regenerates the committed contract snapshots, then shows what changed:
#   contracts/<Service>/<Type>.schema.json   every public record of Platform.Contracts (the messages)
#   contracts/openapi/<service>.json         each service's OpenAPI document (what client apps are written against)
# Run it after an additive change and commit the diff (then clients/generate.sh for the typed client). A change the
# compatibility checks call breaking should be a new message type, or a new API version (info.version), instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
export UPDATE_CONTRACT_SNAPSHOTS=1
dotnet test tests/Deployment.Tests/Deployment.Tests.csproj \
  --filter "FullyQualifiedName~ContractCompatibilityTests.Contract_stays_compatible_with_its_committed_snapshot" "$@"
for service in Identity Submissions Payments Notifications; do
  dotnet test "tests/$service.Tests/$service.Tests.csproj" --filter "FullyQualifiedName~openapi_document" "$@"
done
git status --short contracts/
