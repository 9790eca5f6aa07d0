#!/usr/bin/env bash
# One PostgreSQL, RabbitMQ and Redis for the services' test projects in a full run (scripts/test.sh), so that each
# project does not boot its own: RabbitMQ alone takes about 8 s to start on two cores. Every test still takes a database
# and a virtual host of its own (tests/Platform.Testing/MessagingServers.cs).
#   test-servers.sh start DIR   starts them in the background with their data in DIR, waits until they answer, and
#                               writes DIR/servers; a test project uses them when PLATFORM_TEST_SERVERS names that file
#   test-servers.sh stop DIR    stops them and deletes DIR
set -euo pipefail
cd "$(dirname "$0")/.."
command=${1:-}; dir=${2:-}
[ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A port nothing listens on, whose RabbitMQ distribution port (PORT+10000, scripts/local/rabbitmq-env.sh) is free too.
# Both stay below the kernel's ephemeral range (32768 up), which outgoing connections may take at any moment.
free_port() {
  local port
  while :; do
    port=$(( 20000 + RANDOM % 2700 ))
    listening "$port" || listening $(( port + 10000 )) || { echo "$port"; return; }
  done
}

wait_for() { # WHAT CHECK...: runs CHECK every 0.2 s for at most two minutes
  local what=$1; shift
  for _ in $(seq 600); do "$@" >/dev/null 2>&1 && return; sleep 0.2; done
  echo "The shared $what did not start; its log: $dir/$what.log" >&2; return 1
}

case "$command" in
  start)
    mkdir -p "$dir" && chmod 755 "$dir" # PostgreSQL runs as the postgres user when we are root
    postgres_port=$(free_port); rabbitmq_port=$(free_port); redis_port=$(free_port)
    scripts/local/postgres.sh "$dir/postgres" "$postgres_port" >"$dir/postgres.log" 2>&1 & echo $! > "$dir/postgres.pid"
    scripts/local/rabbitmq.sh "$dir/rabbitmq" "$rabbitmq_port" >"$dir/rabbitmq.log" 2>&1 & echo $! > "$dir/rabbitmq.pid"
    scripts/local/redis.sh "$dir/redis" "$redis_port" >"$dir/redis.log" 2>&1 & echo $! > "$dir/redis.pid"
    wait_for postgres grep -q "postgres ready on" "$dir/postgres.log"
    wait_for redis listening "$redis_port"
    wait_for rabbitmq scripts/local/rabbitmq-ctl.sh "$dir/rabbitmq" "$rabbitmq_port" await_startup
    printf 'postgres_port=%s\nrabbitmq_port=%s\nrabbitmq_data=%s\nredis_port=%s\n' \
      "$postgres_port" "$rabbitmq_port" "$dir/rabbitmq" "$redis_port" > "$dir/servers"
    ;;
  stop)
    for server in rabbitmq postgres redis; do
      [ -f "$dir/$server.pid" ] && kill -TERM "$(cat "$dir/$server.pid")" 2>/dev/null || true
    done
    for server in rabbitmq postgres redis; do
      pid=$(cat "$dir/$server.pid" 2>/dev/null || true)
      for _ in $(seq 150); do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    done
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
