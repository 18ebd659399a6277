# shellcheck shell=bash
# Helpers shared by scripts/run and scripts/test; source it. It sets $root (the
# repository) and ccache's path settings, and otherwise only defines
# functions.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
#   port=$(free_port)
#   start_redis "$port" "$dir" || die "redis-server did not start"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# ccache hashes the paths under the checkout relative to it, and not the
# working directory, so that a clone anywhere else (CI's is not the one that
# warmed the cache) hits the same entries. Settings made with `ccache -o` live
# beside the machine, not the cache, and are not relied on.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}

say() { printf '==> %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# The system Python: it is the one with Debian's grpcio and PyYAML, whatever a
# pyenv or virtualenv puts first on PATH.
PYTHON=/usr/bin/python3

# A TCP port on 127.0.0.1 that nothing listens on right now (the kernel's
# choice for port 0). Another process may take it before we do; callers that
# start a server retry with a new port when the server fails to bind.
free_port() {
  "$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# Microseconds since the epoch, and "12.3 s" since such a moment.
now_us() { echo "${EPOCHREALTIME//[.,]/}"; }
elapsed_since() {
  local us=$(($(now_us) - $1))
  printf '%d.%d s' $((us / 1000000)) $((us / 100000 % 10))
}

# build_tree DIR BUILD_TYPE [cmake -D options...]: configure once, then build.
# PRONGSAI_JOBS overrides the number of parallel compile jobs.
build_tree() {
  local dir=$1 type=$2
  shift 2
  cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
  cmake --build "$dir" -j "${PRONGSAI_JOBS:-$(nproc)}"
}

# The sanitized tree that scripts/test's sanitizer leg and scripts/fuzz
# share: clang-14, Debug at -O1, AddressSanitizer and
# UndefinedBehaviorSanitizer on everything, libFuzzer's coverage, the tests
# and the fuzz targets, no web pages. configure_sanitized_tree only
# configures; build what is needed with cmake --build "$sanitized_tree".
sanitized_tree=build/sanitize
configure_sanitized_tree() {
  cmake -S "$root" -B "$root/$sanitized_tree" -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_COMPILER=clang++-14 -DPRONGSAI_FUZZ=ON -DPRONGSAI_WERROR=ON \
    -DPRONGSAI_BUILD_TESTS=ON -DPRONGSAI_BUILD_WEB=OFF >/dev/null
}

# start_redis PORT DIR: a redis-server child on 127.0.0.1:PORT without
# persistence, working in DIR (log in DIR/redis.log), in its own session so a
# terminal's Ctrl-C reaches only the script that owns it. Sets REDIS_PID and
# returns once it answers PING; returns 1 (server stopped) if it does not
# within 10 s.
start_redis() {
  local port=$1 dir=$2
  setsid redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" \
    --save '' --appendonly no --daemonize no --logfile "$dir/redis.log" \
    </dev/null >/dev/null 2>&1 &
  REDIS_PID=$!
  local tries
  for ((tries = 0; tries < 100; tries++)); do
    if [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) == PONG ]]; then
      return 0
    fi
    kill -0 "$REDIS_PID" 2>/dev/null || break
    sleep 0.1
  done
  stop_child "$REDIS_PID" 2 || true
  REDIS_PID=
  return 1
}

# stop_child PID GRACE_SECONDS: SIGTERM, then SIGKILL after the grace period.
# Returns the child's exit status (137 when it had to be killed).
stop_child() {
  local pid=$1 grace=$2 tries
  kill -TERM "$pid" 2>/dev/null || true
  for ((tries = 0; tries < grace * 10; tries++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  local status=0
  wait "$pid" 2>/dev/null || status=$?
  return "$status"
}

# start_postgres DIR [durable]: a throw-away PostgreSQL 15 cluster in DIR
# (created here, 0700; the data in DIR/data, its log in DIR/server.log), on a
# free 127.0.0.1 port (three tries), with a role and a database `prongsai`
# that the role owns. initdb refuses to run as root, so as root (CI) the
# cluster belongs to the `postgres` user that the Debian package creates.
# Without `durable`, fsync, synchronous commit and full-page writes are off:
# a test cluster is deleted at the end anyway. Sets PG_PORT and PG_AS (the
# command prefix that runs a tool as the cluster's owner); dies on failure.
# stop_postgres DIR stops it again.
PG_BIN=/usr/lib/postgresql/15/bin
PG_AS=()
PG_PORT=
start_postgres() {
  local dir=$1 durability=${2:-} settings attempt
  [[ -x $PG_BIN/initdb ]] || die "PostgreSQL 15 server not found in $PG_BIN (run scripts/setup)"
  mkdir -m 0700 "$dir"
  if ((EUID == 0)); then
    id postgres >/dev/null 2>&1 || die "no 'postgres' user to run PostgreSQL as"
    chown postgres:postgres "$dir"
    PG_AS=(runuser -u postgres --)
  fi
  "${PG_AS[@]}" "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust \
    -E UTF8 --no-locale --no-sync >"${dir%/*}/initdb.log" 2>&1 ||
    die "initdb failed: $(tail -n 20 "${dir%/*}/initdb.log")"
  settings="-c max_connections=300"
  [[ $durability == durable ]] ||
    settings+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  for attempt in 1 2 3; do
    PG_PORT=$(free_port)
    if "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $dir $settings" \
      start >/dev/null; then
      break
    fi
    ((attempt < 3)) || die "PostgreSQL did not start: $(tail -n 20 "$dir/server.log")"
  done
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
    -c "CREATE ROLE prongsai LOGIN CREATEDB" \
    -c "CREATE DATABASE prongsai OWNER prongsai"
}

# stop_postgres DIR: an immediate stop of start_postgres's cluster, if it runs.
stop_postgres() {
  local dir=$1
  if [[ -n $dir && -f $dir/data/postmaster.pid ]]; then
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop \
      >/dev/null 2>&1 || true
  fi
}
