# Sourced by rabbitmq.sh and rabbitmq-ctl.sh: the environment that names one local node.
#   source rabbitmq-env.sh DATA_DIR PORT
export HOME=$1                       # the Erlang cookie lives here, shared by server and rabbitmqctl
export RABBITMQ_NODENAME=platform-$2@localhost
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$2
dist_port=$(( $2 + 10000 )); [ $dist_port -lt 65000 ] || dist_port=$(( $2 - 30000 ))
export RABBITMQ_DIST_PORT=$dist_port   # Erlang distribution, for rabbitmqctl
export ERL_CRASH_DUMP=$1/erl_crash.dump
export RABBITMQ_MNESIA_BASE=$1/mnesia
export RABBITMQ_LOG_BASE=$1/log
export RABBITMQ_CONFIG_FILE=$1/rabbitmq.conf
export RABBITMQ_ENABLED_PLUGINS_FILE=$1/enabled_plugins
export RABBITMQ_PID_FILE=$1/rabbitmq.pid
export RABBITMQ_CONF_ENV_FILE=$1/rabbitmq-env.conf
