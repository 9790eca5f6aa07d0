#!/usr/bin/env bash
# Regenerates clients/Platform.Client/Generated/ with Kiota (the pinned local tool in clients/.config) from the services'
# OpenAPI documents, one client per service: Platform.Client.<Service>.<Service>Client.
#
#   clients/generate.sh [--check] [--gateway URL | --from DIR]
#
#   --gateway URL   fetch URL/openapi/{service}.json from a running gateway (e.g. http://localhost:8080 after ./platform run)
#   --from DIR      read DIR/{service}.json (default: contracts/openapi, the committed documents the services' tests check)
#   --check         regenerate, then fail (exit 1) if the committed Generated/ differs: CI runs this
set -euo pipefail

SERVICES=(identity submissions payments notifications)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
clients="$root/clients"
generated="$clients/Platform.Client/Generated"
check=false
gateway=""
from="$root/contracts/openapi"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --check) check=true; shift ;;
    --gateway) gateway="${2:?--gateway needs a URL}"; shift 2 ;;
    --from) from="${2:?--from needs a folder}"; shift 2 ;;
    *) echo "usage: $0 [--check] [--gateway URL | --from DIR]" >&2; exit 2 ;;
  esac
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for service in "${SERVICES[@]}"; do
  if [[ -n "$gateway" ]]; then
    curl -fsS --max-time 30 "${gateway%/}/openapi/$service.json" -o "$work/$service.json" \
      || { echo "error: ${gateway%/}/openapi/$service.json could not be fetched" >&2; exit 1; }
  elif [[ -f "$from/$service.json" ]]; then
    cp "$from/$service.json" "$work/$service.json"
  else
    echo "error: $from/$service.json not found (run scripts/contracts/update-snapshots.sh, or use --gateway URL)" >&2
    exit 1
  fi
done

(cd "$clients" && dotnet tool restore >/dev/null)
for service in "${SERVICES[@]}"; do
  Service="$(tr '[:lower:]' '[:upper:]' <<<"${service:0:1}")${service:1}"
  out="$generated/$Service"
  (cd "$clients" && dotnet kiota generate --language CSharp --openapi "$work/$service.json" --output "$out" \
    --class-name "${Service}Client" --namespace-name "Platform.Client.$Service" \
    --exclude-backward-compatible --clean-output --log-level Warning >/dev/null)
  # The lock file records this machine's path to the description: not reproducible, so not kept.
  rm -f "$out/kiota-lock.json" "$out/.kiota.log"
done

if $check; then
  if [[ -n "$(git -C "$root" status --porcelain -- "$generated")" ]]; then
    git -C "$root" status --short -- "$generated" >&2
    echo "error: clients/Platform.Client/Generated is not current; run clients/generate.sh and commit the result" >&2
    exit 1
  fi
  echo "clients/Platform.Client/Generated is current"
else
  echo "Generated clients in $generated"
fi
