#!/usr/bin/env bash
# Builds the CI images from Debian's packages, without any container registry:
# a root filesystem made by mmdebstrap (bookworm, "essential" variant plus the
# server's packages) is imported with `docker import`.
#
#   .ci/images/build.sh [--force] [postgres|redis]...   (default: both)
#
# An image is rebuilt only when it is missing or was built from another
# recipe: each image carries a label with a hash of this script and of its
# entrypoint, so editing them rebuilds on the next run, and an unchanged
# recipe is skipped in well under a second. --force rebuilds anyway.
#
# Tags (overridable): DBLINGS_CI_PG_IMAGE (dblings-ci/postgres:15) and
# DBLINGS_CI_REDIS_IMAGE (dblings-ci/redis:7).
# The packages come from the machine's own Debian sources
# (/etc/apt/sources.list.d/debian.sources), or DBLINGS_CI_APT_SOURCES (a file
# in sources.list or deb822 format, or a mirror URL).
# Needs root, mmdebstrap and a running Docker engine.
#
# shellcheck disable=SC2016 # mmdebstrap hooks get the root directory as $1
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SUITE=bookworm
PG_IMAGE=${DBLINGS_CI_PG_IMAGE:-dblings-ci/postgres:15}
REDIS_IMAGE=${DBLINGS_CI_REDIS_IMAGE:-dblings-ci/redis:7}
LABEL=org.dblings.ci.recipe

say() { printf 'ci: %s\n' "$*"; }
die() {
	printf 'ci: ERROR: %s\n' "$*" >&2
	exit 1
}

force=0
targets=()
for arg in "$@"; do
	case "$arg" in
	--force) force=1 ;;
	postgres | redis) targets+=("$arg") ;;
	*) die "build.sh: unknown argument '$arg' (use [--force] [postgres|redis]...)" ;;
	esac
done
[ "${#targets[@]}" -gt 0 ] || targets=(postgres redis)

[ "$(id -u)" = 0 ] || die "build.sh must run as root (mmdebstrap's root mode)"
command -v mmdebstrap >/dev/null || die "mmdebstrap is not installed (apt-get install mmdebstrap)"
docker info >/dev/null 2>&1 || die "no Docker engine answers ('docker info' fails)"

recipe_hash() { # NAME -> hash of what the image is made from
	cat "$HERE/build.sh" "$HERE/$1-entrypoint.sh" | sha256sum | cut -c1-16
}

# apt sources for mmdebstrap: the machine's Debian mirror (whatever proxy or
# snapshot it points at), so that nothing but Debian's packages is needed.
apt_sources() {
	if [ -n "${DBLINGS_CI_APT_SOURCES:-}" ]; then
		printf '%s\n' "$DBLINGS_CI_APT_SOURCES"
	elif [ -s /etc/apt/sources.list.d/debian.sources ]; then
		printf '%s\n' /etc/apt/sources.list.d/debian.sources
	elif grep -Eqs "^deb .*$SUITE" /etc/apt/sources.list; then
		grep -E "^deb .*$SUITE" /etc/apt/sources.list >"$WORK/sources.list"
		printf '%s\n' "$WORK/sources.list"
	else
		printf '%s\n' http://deb.debian.org/debian
	fi
}

# Options shared by both images: no documentation, man pages or translations,
# no apt lists or caches in the image.
# The merged-usr hook sets up the merged /usr as debootstrap does; without it
# apt picks the usrmerge package (and perl) to satisfy init-system-helpers.
common_opts=(
	--variant=essential
	--hook-dir=/usr/share/mmdebstrap/hooks/merged-usr
	--aptopt='Acquire::Check-Valid-Until "false"'
	--aptopt='Acquire::Languages "none"'
	--aptopt='Acquire::Retries "3"'
	--dpkgopt=force-unsafe-io
	--dpkgopt='path-exclude=/usr/share/man/*'
	--dpkgopt='path-exclude=/usr/share/info/*'
	--dpkgopt='path-exclude=/usr/share/locale/*'
	--dpkgopt='path-exclude=/usr/share/doc/*'
	--dpkgopt='path-include=/usr/share/doc/*/copyright'
	--dpkgopt='path-exclude=/usr/share/lintian/*'
	--customize-hook='rm -rf "$1"/var/cache/debconf/*-old "$1"/var/lib/dpkg/*-old "$1"/var/cache/ldconfig/aux-cache; find "$1/var/log" -type f -delete; rm -f "$1/etc/resolv.conf" "$1/etc/hostname"'
)

# Both images include mawk: testcontainers' port check runs awk in the container.
#
# Postgres: PostgreSQL 15 from bookworm, without the JIT (LLVM, about 100 MB:
# postgres then runs with JIT unavailable, which the tests don't need) and
# without the packaged "main" cluster (the entrypoint runs initdb itself).
build_postgres() { # ROOTFS_TAR
	local entry
	entry=$(printf '%q' "$HERE/postgres-entrypoint.sh")
	mmdebstrap "${common_opts[@]}" \
		--include=mawk,postgresql-15 \
		--dpkgopt='path-exclude=/usr/share/i18n/charmaps/*' \
		--dpkgopt='path-exclude=/usr/share/i18n/locales/*' \
		--dpkgopt='path-exclude=/usr/lib/*/libLLVM-*' \
		--dpkgopt='path-exclude=/usr/lib/llvm-*' \
		--dpkgopt='path-exclude=/usr/lib/*/libz3.so*' \
		--dpkgopt='path-exclude=/usr/lib/postgresql/15/lib/llvmjit*' \
		--dpkgopt='path-exclude=/usr/lib/postgresql/15/lib/bitcode/*' \
		--setup-hook='mkdir -p "$1/etc/postgresql-common/createcluster.d" && echo "create_main_cluster = false" >"$1/etc/postgresql-common/createcluster.d/dblings-ci.conf"' \
		--customize-hook="install -m 0755 $entry \"\$1/usr/local/bin/docker-entrypoint.sh\" && mkdir -p \"\$1/docker-entrypoint-initdb.d\"" \
		"$SUITE" "$1" "$APT_SOURCES"
}
postgres_changes=(
	--change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
	--change 'ENV LANG=C.UTF-8'
	--change 'ENV PGDATA=/var/lib/postgresql/data'
	--change 'EXPOSE 5432'
	--change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]'
	--change 'CMD ["postgres"]'
)
# SIGINT is postgres's fast shutdown, as in the official image; with SIGTERM (a
# smart shutdown) `docker stop` would wait for every client to disconnect.
# `docker import --change` refuses STOPSIGNAL, so it is set by a commit.
postgres_stopsignal=SIGINT

# Redis: redis-server 7.0 from bookworm, run as the redis user in /data.
build_redis() { # ROOTFS_TAR
	local entry
	entry=$(printf '%q' "$HERE/redis-entrypoint.sh")
	mmdebstrap "${common_opts[@]}" \
		--include=mawk,redis-server \
		--customize-hook="install -m 0755 $entry \"\$1/usr/local/bin/docker-entrypoint.sh\"" \
		--customize-hook='chroot "$1" install -d -o redis -g redis -m 0755 /data' \
		"$SUITE" "$1" "$APT_SOURCES"
}
redis_changes=(
	--change 'ENV LANG=C.UTF-8'
	--change 'WORKDIR /data'
	--change 'EXPOSE 6379'
	--change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]'
	--change 'CMD ["redis-server"]'
)
redis_stopsignal= # SIGTERM is fine

# Work area: root filesystems are assembled on a tmpfs when one can be
# mounted (much faster than the disk when it is busy), tarballs go to disk.
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/dblings-ci-images.XXXXXX")
chmod 0755 "$WORK" # apt downloads as the _apt user
cleanup() {
	wait 2>/dev/null || true # a build still running (after a failure elsewhere)
	if mountpoint -q "$WORK/tmp" 2>/dev/null; then umount -l "$WORK/tmp" || true; fi
	rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/tmp"
if ! mount -t tmpfs -o size=6g,mode=0755 dblings-ci-tmp "$WORK/tmp" 2>/dev/null; then
	say "(no tmpfs for the build; using the disk)"
fi
APT_SOURCES=$(apt_sources)

# Which images need building?
declare -A tag_of=([postgres]="$PG_IMAGE" [redis]="$REDIS_IMAGE")
declare -A hash_of pid_of start_of
todo=()
for name in "${targets[@]}"; do
	tag=${tag_of[$name]}
	hash_of[$name]=$(recipe_hash "$name")
	have=$(docker image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$tag" 2>/dev/null || true)
	if [ "$force" = 0 ] && [ "$have" = "${hash_of[$name]}" ]; then
		say "image $tag is up to date (recipe ${hash_of[$name]}), not rebuilding"
	elif [ "$have" = "${hash_of[$name]}" ]; then
		say "rebuilding image $tag (--force)"
		todo+=("$name")
	elif [ -n "$have" ]; then
		say "building image $tag: its recipe changed ($have -> ${hash_of[$name]})"
		todo+=("$name")
	else
		say "building image $tag from Debian $SUITE packages (mmdebstrap + docker import)"
		todo+=("$name")
	fi
done
[ "${#todo[@]}" -gt 0 ] || exit 0

# The root filesystems are built in parallel: most of the time goes to
# unpacking and configuring packages, which uses one core per build.
for name in "${todo[@]}"; do
	start_of[$name]=$SECONDS
	TMPDIR="$WORK/tmp" "build_$name" "$WORK/$name.tar" >"$WORK/$name.log" 2>&1 &
	pid_of[$name]=$!
done

failed=0
for name in "${todo[@]}"; do
	tag=${tag_of[$name]}
	if ! wait "${pid_of[$name]}"; then
		printf '\n--- mmdebstrap log of %s (last lines) ---\n' "$tag" >&2
		tail -n 40 "$WORK/$name.log" >&2
		printf -- '---\n' >&2
		say "ERROR: mmdebstrap failed for $tag (log above)" >&2
		failed=1
		continue
	fi
	rootfs_secs=$((SECONDS - start_of[$name]))
	case "$name" in
	postgres) changes=("${postgres_changes[@]}") stopsignal=$postgres_stopsignal ;;
	redis) changes=("${redis_changes[@]}") stopsignal=$redis_stopsignal ;;
	esac
	old_id=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
	docker import "${changes[@]}" --change "LABEL $LABEL=${hash_of[$name]}" \
		-m "dblings CI image, recipe ${hash_of[$name]}" "$WORK/$name.tar" "$tag" >/dev/null ||
		die "docker import failed for $tag"
	if [ -n "$stopsignal" ]; then
		cid=$(docker create --stop-signal "$stopsignal" "$tag") ||
			die "could not set the stop signal of $tag"
		docker commit -m "stop signal $stopsignal" "$cid" "$tag" >/dev/null ||
			die "could not set the stop signal of $tag"
		docker rm "$cid" >/dev/null
	fi
	if [ -n "$old_id" ]; then # drop the image this one replaces, unless in use
		docker rmi "$old_id" >/dev/null 2>&1 || true
	fi
	say "built image $tag in $((SECONDS - start_of[$name]))s (root filesystem ${rootfs_secs}s, $(du -m "$WORK/$name.tar" | cut -f1) MB)"
	rm -f "$WORK/$name.tar"
done
[ "$failed" = 0 ] || die "could not build the CI images"
