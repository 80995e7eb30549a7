#!/bin/bash
# Entrypoint of the dblings-ci/postgres image (Debian's PostgreSQL 15).
#
# A small stand-in for the official postgres image's docker-entrypoint.sh, with
# what testcontainers-go's postgres module relies on:
#   - POSTGRES_USER (default postgres) is created as the bootstrap superuser
#     with POSTGRES_PASSWORD; POSTGRES_DB (default: the user name) is created.
#     POSTGRES_HOST_AUTH_METHOD (default scram-sha-256) and POSTGRES_INITDB_ARGS
#     are honoured as well.
#   - the data directory ($PGDATA) is initialised at container start when empty;
#   - a temporary server on the unix socket only runs the set-up SQL and the
#     files in /docker-entrypoint-initdb.d (*.sql, *.sql.gz, *.sh), then stops;
#     so "database system is ready to accept connections" is logged twice, as
#     the official image does (the module's BasicWaitStrategies waits for 2);
#   - the final server listens on 0.0.0.0:5432 with password auth over TCP;
#   - `postgres ARGS...` (or just `-c ...` options) execs the real server as the
#     postgres user with those ARGS, so signals reach it; anything else is
#     exec'ed as is (e.g. `bash`).
set -Eeuo pipefail

PGBIN=/usr/lib/postgresql/15/bin
export PGDATA="${PGDATA:-/var/lib/postgresql/data}"

# `docker run IMAGE -c foo=bar` means `postgres -c foo=bar`.
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
	set -- postgres "$@"
fi
if [ "$1" != postgres ]; then
	exec "$@"
fi
for arg; do # `postgres --version` and the like need no data directory
	case "$arg" in
	-'?' | --help | --describe-config | -V | --version)
		shift
		exec "$PGBIN/postgres" "$@"
		;;
	esac
done

if [ "$(id -u)" = 0 ]; then
	# Prepare the directories, then run this script again as postgres.
	mkdir -p "$PGDATA" /var/run/postgresql
	chown postgres:postgres "$PGDATA" /var/run/postgresql
	chmod 0700 "$PGDATA"
	chmod 2775 /var/run/postgresql
	exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi
shift # the word "postgres"; what is left goes to the server

log() { printf '%s\n' "$*"; }

if [ ! -s "$PGDATA/PG_VERSION" ]; then
	POSTGRES_USER="${POSTGRES_USER:-postgres}"
	POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"
	auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
	if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
		log "Error: database is uninitialized and superuser password is not specified." >&2
		log "       Set POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust)." >&2
		exit 1
	fi

	initdb_args=(
		--username="$POSTGRES_USER"
		--encoding=UTF8 --locale=C.UTF-8
		--auth-local=trust --auth-host="$auth"
		--no-sync --no-instructions
	)
	run_initdb() {
		# POSTGRES_INITDB_ARGS is split on spaces on purpose, as in the official image.
		# shellcheck disable=SC2086
		"$PGBIN/initdb" "${initdb_args[@]}" "$@" ${POSTGRES_INITDB_ARGS:-} >/dev/null
	}
	if [ -n "${POSTGRES_PASSWORD:-}" ]; then
		run_initdb --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD")
	else
		run_initdb
	fi

	printf '\nhost all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"
	printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"

	# Temporary server: unix socket only, same options as the real one. It is
	# run and stopped by hand rather than with pg_ctl -w, whose 100 ms polling
	# would add about 0.2 s to every container start.
	"$PGBIN/postgres" "$@" -c listen_addresses='' -p 5432 &
	temp_pid=$!
	for ((i = 0; ; i++)); do
		if "$PGBIN/pg_isready" -q -h /var/run/postgresql -p 5432; then
			break
		fi
		if ! kill -0 "$temp_pid" 2>/dev/null || [ "$i" -ge 3000 ]; then
			log "Error: the temporary server did not start." >&2
			exit 1
		fi
		sleep 0.01
	done

	export PGHOST=/var/run/postgresql PGPORT=5432 PGUSER="$POSTGRES_USER" PGPASSWORD=
	psql=(psql -X -q -v ON_ERROR_STOP=1 --no-password)
	if [ "$POSTGRES_DB" != postgres ]; then
		"${psql[@]}" -d postgres -v db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
	fi
	for f in /docker-entrypoint-initdb.d/*; do
		[ -e "$f" ] || continue
		case "$f" in
		*.sh)
			if [ -x "$f" ]; then
				log "$0: running $f"
				"$f"
			else
				log "$0: sourcing $f"
				# shellcheck disable=SC1090
				. "$f"
			fi
			;;
		*.sql)
			log "$0: running $f"
			"${psql[@]}" -d "$POSTGRES_DB" -f "$f"
			;;
		*.sql.gz)
			log "$0: running $f"
			gzip -dc "$f" | "${psql[@]}" -d "$POSTGRES_DB"
			;;
		*) log "$0: ignoring $f" ;;
		esac
	done
	unset PGHOST PGPORT PGUSER PGPASSWORD

	kill -INT "$temp_pid" # fast shutdown
	wait "$temp_pid" || {
		log "Error: the temporary server did not stop cleanly." >&2
		exit 1
	}
	log "PostgreSQL init process complete; ready for start up."
fi

exec "$PGBIN/postgres" "$@"
