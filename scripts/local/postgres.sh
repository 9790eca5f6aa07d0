#!/usr/bin/env bash
# Runs a PostgreSQL 15 server in the foreground, for the local run and the tests.
#   postgres.sh DATA_DIR PORT [DATABASE...]
# Creates the cluster on first use (superuser "postgres", password "postgres", loopback only),
# creates each named database once the server answers, and stops the server fast on SIGTERM/SIGINT.
# pg_stat_statements is loaded (CREATE EXTENSION pg_stat_statements to read it): the benchmark counts statements with it.
set -euo pipefail
data_dir=$(realpath -m "$1"); port=$2; shift 2
bin=/usr/lib/postgresql/15/bin
[ -x "$bin/postgres" ] || { echo "PostgreSQL 15 is not installed: apt-get install postgresql-15" >&2; exit 69; }

# PostgreSQL refuses to run as root: drop to the postgres user when we are root.
as_owner=(); [ "$(id -u)" = 0 ] && as_owner=(setpriv --reuid=postgres --regid=postgres --init-groups --)

mkdir -p "$data_dir"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$data_dir" && chmod 700 "$data_dir"

if [ ! -s "$data_dir/PG_VERSION" ]; then
  pwfile=$(mktemp); echo postgres > "$pwfile"; chmod 644 "$pwfile"
  "${as_owner[@]}" "$bin/initdb" -D "$data_dir" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
fi

# A server left running by a killed parent would hold the port and the data folder: stop it first.
if [ -f "$data_dir/postmaster.pid" ]; then
  "${as_owner[@]}" "$bin/pg_ctl" -D "$data_dir" stop -m fast -w >/dev/null 2>&1 || true
fi

"${as_owner[@]}" "$bin/postgres" -D "$data_dir" -p "$port" \
  -c listen_addresses=127.0.0.1 -c unix_socket_directories= \
  -c max_connections=400 -c shared_buffers=128MB -c log_min_messages=warning \
  -c shared_preload_libraries=pg_stat_statements &
server=$!
trap '"${as_owner[@]}" "$bin/pg_ctl" -D "$data_dir" stop -m fast -w >/dev/null 2>&1; wait $server; exit 0' TERM INT

export PGPASSWORD=postgres
until "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; do
  kill -0 $server 2>/dev/null || { wait $server; exit $?; }
  sleep 0.2
done
for db in "$@"; do
  exists=$("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc "select 1 from pg_database where datname = '$db'")
  [ "$exists" = 1 ] || "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db"
done
echo "postgres ready on 127.0.0.1:$port (databases: ${*:-none})"
wait $server
