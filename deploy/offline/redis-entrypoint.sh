#!/bin/sh
# redis-server with the compose file's arguments, protected mode off and
# listening on every address of the container.
set -eu
if [ "${1:-}" = redis-server ]; then
  shift
  exec redis-server --bind '* -::*' --protected-mode no "$@"
fi
exec "$@"
