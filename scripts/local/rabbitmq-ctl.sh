#!/usr/bin/env bash
# Runs rabbitmqctl against the node that rabbitmq.sh started with the same DATA_DIR and PORT.
#   rabbitmq-ctl.sh DATA_DIR PORT COMMAND [ARGS...]
set -euo pipefail
data_dir=$(realpath -m "$1"); port=$2; shift 2
source "$(dirname "$0")/rabbitmq-env.sh" "$data_dir" "$port"
exec /usr/lib/rabbitmq/bin/rabbitmqctl -n "$RABBITMQ_NODENAME" "$@"
