#!/usr/bin/env bash
# Fails when a message contract in Platform.Contracts breaks the committed snapshot under contracts/.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet test tests/Deployment.Tests/Deployment.Tests.csproj --filter "FullyQualifiedName~ContractCompatibilityTests" "$@"
