#!/usr/bin/env bash
# Wipes the local run's data (PostgreSQL, RabbitMQ, Redis, smtp4dev) after checking that nothing runs on it.
# The folder is LocalInfrastructure__DataPath when set (relative to the repository root), else .local/data.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${LocalInfrastructure__DataPath:-.local/data}
case "$data" in /*) ;; *) data=$root/$data ;; esac
data=$(realpath -m "$data")

[ -d "$data" ] || { echo "Nothing to reset: $data does not exist."; exit 0; }
[ "$data" != / ] && [ "$data" != "$root" ] || { echo "Refusing to delete $data." >&2; exit 1; }

# Every local server names its data folder on its command line (postgres -D, redis --dir, RabbitMQ's mnesia dir, smtp4dev --db).
if running=$(pgrep -af -- "$data" | grep -v -e "$0" -e pgrep); then
  echo "The local platform is still running on $data; stop it first (Ctrl+C in ./platform run):" >&2
  echo "$running" | cut -c1-160 >&2
  exit 1
fi

rm -rf -- "$data"
echo "Removed $data; the next ./platform run starts with empty databases."
