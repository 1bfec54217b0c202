#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL cluster on a loopback port, then removes it.
# Usage: scripts/with-postgres.sh COMMAND...   (exports TASTEMAKER_TEST_DATABASE_URL)
set -euo pipefail

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pgbin" ]; then
  echo "PostgreSQL is not installed (Debian: apt-get install postgresql)" >&2
  exit 2
fi
# A free loopback port unless one is named, so parallel runs do not collide.
port=${TASTEMAKER_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
dir=$(mktemp -d "${TASTEMAKER_PG_ROOT:-/tmp}/tastemaker-pg.XXXXXX")
run_as=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root; Debian's package creates the postgres user.
  chown postgres "$dir"
  run_as=(runuser -u postgres --)
fi
cleanup() {
  "${run_as[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
"${run_as[@]}" "$pgbin/initdb" -D "$dir/data" -U tastemaker --auth=trust -E UTF8 >/dev/null
"${run_as[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
"$pgbin/createdb" -h 127.0.0.1 -p "$port" -U tastemaker tastemaker_test
export TASTEMAKER_TEST_DATABASE_URL="postgresql://tastemaker@127.0.0.1:$port/tastemaker_test"
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
"$@"
