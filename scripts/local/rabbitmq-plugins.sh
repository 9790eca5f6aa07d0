#!/usr/bin/env bash
# Runs rabbitmq-plugins against the node that rabbitmq.sh started with the same DATA_DIR and PORT.
#   rabbitmq-plugins.sh DATA_DIR PORT COMMAND [ARGS...]     e.g. rabbitmq-plugins.sh .local/data/rabbitmq 45672 enable rabbitmq_shovel
set -euo pipefail
data_dir=$(realpath -m "$1"); port=$2; shift 2
source "$(dirname "$0")/rabbitmq-env.sh" "$data_dir" "$port"
exec /usr/lib/rabbitmq/bin/rabbitmq-plugins -n "$RABBITMQ_NODENAME" "$@"
