#!/usr/bin/env bash
# Runs a Redis server in the foreground on 127.0.0.1:PORT with its data in DATA_DIR.
#   redis.sh DATA_DIR PORT
set -euo pipefail
data_dir=$(realpath -m "$1"); port=$2
command -v redis-server >/dev/null || { echo "Redis is not installed: apt-get install redis-server" >&2; exit 69; }
mkdir -p "$data_dir"
exec redis-server --bind 127.0.0.1 --port "$port" --dir "$data_dir" --appendonly yes --save "" \
  --protected-mode yes --daemonize no --loglevel warning
