#!/usr/bin/env bash
# Makes this machine ready for the local run and the tests, and is quiet when it already is:
#   - PostgreSQL 15, RabbitMQ and Redis from Debian's packages (postgresql-15, rabbitmq-server, redis-server), and Chromium for
#     the portal's browser tests (chromium),
#     installed with apt-get when we are root on Debian; otherwise it says exactly what to install and fails;
#   - the local dotnet tools of .config/dotnet-tools.json (smtp4dev, dotnet-ef).
set -euo pipefail
cd "$(dirname "$0")/.."

# What scripts/local/*.sh run, and the Debian package that brings each.
declare -A needs=(
  [/usr/lib/postgresql/15/bin/postgres]=postgresql-15
  [/usr/lib/rabbitmq/bin/rabbitmq-server]=rabbitmq-server
  [/usr/bin/redis-server]=redis-server
  [/usr/bin/chromium]=chromium # the browser the portal's browser tests drive (Playwright's own download is not used)
)
missing=()
for path in "${!needs[@]}"; do
  [ -x "$path" ] || missing+=("${needs[$path]}")
done

is_debian() { [ -r /etc/os-release ] && (. /etc/os-release && [ "${ID:-}" = debian ]); }

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! is_debian || ! command -v apt-get >/dev/null; then
    {
      echo "Missing: ${missing[*]}."
      if is_debian; then
        echo "Install them as root, then run this again:"
        echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
      else
        echo "This platform's local run expects Debian 12 packages: ${missing[*]}"
        echo "(PostgreSQL 15 at /usr/lib/postgresql/15/bin, RabbitMQ 3.x at /usr/lib/rabbitmq/bin, redis-server 7 on /usr/bin)."
        echo "Install their equivalents at those paths, or run with Infrastructure__Mode=containers or external."
      fi
    } >&2
    exit 1
  fi

  echo "Installing ${missing[*]} ..."
  # Package scripts must not start system-wide servers (no systemd here, and they would hold the default ports):
  # invoke-rc.d asks policy-rc.d, and 101 means "not allowed". Keep an existing policy, else add one for the install.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  log=$(mktemp)
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    echo "apt-get could not install ${missing[*]}." >&2
    exit 1
  fi
  rm -f "$log"
  # Debian's RabbitMQ package leaves epmd running as a daemon; the local node uses it too, so it may stay.
fi

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is missing: see https://dot.net (dotnet must be on PATH)." >&2; exit 1; }

# A first restore on a fresh machine has failed once on a transient feed error: try again before giving up.
log=$(mktemp)
for attempt in 1 2 3; do
  if dotnet tool restore >"$log" 2>&1; then break; fi
  if [ $attempt = 3 ]; then
    cat "$log" >&2; rm -f "$log"
    echo "dotnet tool restore failed three times." >&2
    exit 1
  fi
  sleep 5
done
rm -f "$log"
