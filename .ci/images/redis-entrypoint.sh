#!/bin/sh
# Entrypoint of the dblings-ci/redis image (Debian's redis-server 7).
#
#   (no command)              redis-server with the defaults below
#   redis-server [ARGS...]    the same, ARGS after the defaults (later wins)
#   -ARGS... / FILE.conf ...  as `redis-server ...` (like the official image)
#   redis-server FILE [ARGS]  a config file first: no defaults are added
#   redis-server --version    (and --help, ...) as given
#   anything else             exec'ed as is
#
# Defaults: listen on all interfaces without protected mode (connections come
# through Docker's port mapping, from outside the container's loopback), and
# no persistence. The server runs in the foreground as the redis user, in
# /data, and logs "Ready to accept connections".
set -eu

if [ "$#" -eq 0 ]; then
	set -- redis-server
fi
case "$1" in
-* | *.conf) set -- redis-server "$@" ;;
esac

if [ "$1" = redis-server ]; then
	shift
	case "${1:-}" in
	-v | --version | -h | --help | --test-memory | --check-system | [!-]*)
		# a question to the binary, or a config file first: as given
		set -- redis-server "$@"
		;;
	*) set -- redis-server --bind 0.0.0.0 --protected-mode no --save '' --appendonly no "$@" ;;
	esac
	if [ "$(id -u)" = 0 ]; then
		exec setpriv --reuid=redis --regid=redis --init-groups "$@"
	fi
fi
exec "$@"
