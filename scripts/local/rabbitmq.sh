#!/usr/bin/env bash
# Runs a RabbitMQ node in the foreground with its own node name and data folder, for the local run and the tests.
#   rabbitmq.sh DATA_DIR PORT
# The node is named platform-PORT@localhost, listens on 127.0.0.1:PORT (user guest/guest, loopback only)
# and uses PORT+10000 (or PORT-30000 above 55000) for Erlang distribution. Use rabbitmq-ctl.sh with the same arguments to control it.
set -euo pipefail
data_dir=$(realpath -m "$1"); port=$2
server=/usr/lib/rabbitmq/bin/rabbitmq-server
[ -x "$server" ] || { echo "RabbitMQ is not installed: apt-get install rabbitmq-server" >&2; exit 69; }
mkdir -p "$data_dir/mnesia" "$data_dir/log"
source "$(dirname "$0")/rabbitmq-env.sh" "$data_dir" "$port"
[ -f "$RABBITMQ_ENABLED_PLUGINS_FILE" ] || echo '[].' > "$RABBITMQ_ENABLED_PLUGINS_FILE"
cat > "$data_dir/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$port
loopback_users.guest = true
log.console = true
log.console.level = warning
log.file = false
CONF
exec "$server"
