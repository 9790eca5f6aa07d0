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

# Every local server names its data folder on its command line (postgres -D, RabbitMQ's mnesia dir, smtp4dev --db)
# or works in it (redis-server rewrites its command line but keeps --dir as its working directory).
in_use() {
  pgrep -af -- "$data" | grep -v -e "$0" -e pgrep
  for proc in /proc/[0-9]*; do
    case "$(readlink "$proc/cwd" 2>/dev/null)/" in "$data"/*) echo "${proc#/proc/} $(tr '\0' ' ' < "$proc/cmdline")" ;; esac
  done
}
if running=$(in_use) && [ -n "$running" ]; then
  echo "The local platform is still running on $data; stop it first (Ctrl+C in ./platform run):" >&2
  echo "$running" | cut -c1-160 >&2
  exit 1
fi

rm -rf -- "$data"
echo "Removed $data; the next ./platform run starts with empty databases."
