#!/usr/bin/env bash
# Regenerates contracts/<Service>/<Type>.schema.json from Platform.Contracts (every public record).
# Run it after an additive contract change and commit the diff: the snapshots are what consumers rely on.
# A change the compatibility test calls breaking (a field removed, retyped, made nullable, or a new required
# field) should become a new message type instead of a new snapshot.
set -euo pipefail
cd "$(dirname "$0")/../.."
UPDATE_CONTRACT_SNAPSHOTS=1 dotnet test tests/Deployment.Tests/Deployment.Tests.csproj \
  --filter "FullyQualifiedName~ContractCompatibilityTests.Contract_stays_compatible_with_its_committed_snapshot" "$@"
git status --short contracts/
