#!/usr/bin/env bash
# Installs the npm packages scripts/deploy/k8s.mjs needs (kubernetes-models, yaml) from package-lock.json.
# Needs the npm registry once; after that rendering and validation run offline.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null; then
  echo "install.sh: npm not found (apt-get install nodejs npm)" >&2
  exit 1
fi
npm ci --no-audit --no-fund --loglevel=error --engine-strict=false
