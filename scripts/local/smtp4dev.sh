#!/usr/bin/env bash
# Runs smtp4dev (a development SMTP server with a web UI and REST API for sent mail) in the foreground.
#   smtp4dev.sh DATA_DIR SMTP_PORT WEB_PORT
# SMTP on 127.0.0.1:SMTP_PORT, web UI and API on http://localhost:WEB_PORT, mail kept in DATA_DIR/smtp4dev.db.
set -euo pipefail
data_dir=$(realpath -m "$1"); smtp_port=$2; web_port=$3
mkdir -p "$data_dir"
cd "$(dirname "$0")/../.."
exec dotnet tool run smtp4dev -- \
  --urls="http://localhost:$web_port" --smtpport="$smtp_port" --bindaddress=127.0.0.1 \
  --imapport=0 --pop3port=0 --db="$data_dir/smtp4dev.db" --baseappdatapath="$data_dir" \
  --nousersettings --hostname=localhost --messagestokeep=10000
