#!/usr/bin/env bash
# Lints OpenAPI documents with Redocly CLI (pinned, installed with npm into a cache folder outside the repository).
#
#   scripts/lint-openapi.sh                      every committed document, contracts/openapi/*.json (see below)
#   scripts/lint-openapi.sh FILE...              the given documents
#   scripts/lint-openapi.sh --gateway URL        the documents a running gateway serves at URL/openapi/{service}.json
#
# Exits non-zero when any document has a lint error (warnings are printed only) or none was found.
# contracts/openapi/{service}.json is what each service serves: its tests fail when the two differ.
# (Build-time generation with Microsoft.Extensions.ApiDescription.Server starts the app and fails on its start-up
# validation, e.g. Identity:Authority, so documents come from running services instead.)
set -euo pipefail

REDOCLY_VERSION="2.77.0"
SERVICES=(identity submissions payments notifications)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${PLATFORM_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/platform-tools}/redocly-${REDOCLY_VERSION}"
redocly="$tools/node_modules/.bin/redocly"

if [[ ! -x "$redocly" ]]; then
  echo "Installing @redocly/cli@${REDOCLY_VERSION} into $tools"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "@redocly/cli@${REDOCLY_VERSION}" >/dev/null
fi
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true

documents=()
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [[ "${1:-}" == "--gateway" ]]; then
  gateway="${2:?usage: $0 --gateway URL}"
  for service in "${SERVICES[@]}"; do
    target="$work/$service.json"
    if ! curl -fsS --max-time 30 "${gateway%/}/openapi/$service.json" -o "$target"; then
      echo "error: ${gateway%/}/openapi/$service.json could not be fetched" >&2
      exit 1
    fi
    documents+=("$target")
  done
elif [[ $# -gt 0 ]]; then
  documents=("$@")
else
  shopt -s nullglob
  documents=("$root"/contracts/openapi/*.json)
fi

if [[ ${#documents[@]} -eq 0 ]]; then
  echo "error: no OpenAPI documents to lint in contracts/openapi (pass --gateway URL or files)" >&2
  exit 1
fi

echo "Linting ${#documents[@]} OpenAPI document(s) with Redocly CLI ${REDOCLY_VERSION}"
"$redocly" lint --config "$root/scripts/redocly.yaml" --format=stylish "${documents[@]}"
