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
	--dpkgopt='path-exclude=/usr/share/man/*'
	--dpkgopt='path-exclude=/usr/share/info/*'
	--dpkgopt='path-exclude=/usr/share/locale/*'
	--dpkgopt='path-exclude=/usr/share/doc/*'
	--dpkgopt='path-include=/usr/share/doc/*/copyright'
	--dpkgopt='path-exclude=/usr/share/lintian/*'
	--customize-hook='rm -rf "$1"/var/cache/debconf/*-old "$1"/var/lib/dpkg/*-old "$1"/var/cache/ldconfig/aux-cache; find "$1/var/log" -type f -delete; rm -f "$1/etc/resolv.conf" "$1/etc/hostname"'
)

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
		"$SUITE" "$1" "$(apt_sources)"
}
postgres_changes=(
	--change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
	--change 'ENV LANG=C.UTF-8'
	--change 'ENV PGDATA=/var/lib/postgresql/data'
	--change 'EXPOSE 5432'
	--change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]'
	--change 'CMD ["postgres"]'
)

build_redis() { # ROOTFS_TAR
	local entry
	entry=$(printf '%q' "$HERE/redis-entrypoint.sh")
	mmdebstrap "${common_opts[@]}" \
		--include=mawk,redis-server \
		--customize-hook="install -m 0755 $entry \"\$1/usr/local/bin/docker-entrypoint.sh\"" \
		--customize-hook='chroot "$1" install -d -o redis -g redis -m 0755 /data' \
		"$SUITE" "$1" "$(apt_sources)"
}
# SIGINT is postgres's fast shutdown, as in the official image; with SIGTERM (a
# smart shutdown) `docker stop` would wait for every client to disconnect.
# `docker import --change` refuses STOPSIGNAL, so it is set by a commit.
postgres_stopsignal=SIGINT

redis_changes=(
	--change 'ENV LANG=C.UTF-8'
	--change 'WORKDIR /data'
	--change 'EXPOSE 6379'
	--change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]'
	--change 'CMD ["redis-server"]'
)
redis_stopsignal=

WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/dblings-ci-images.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

build_one() { # NAME TAG
	local name=$1 tag=$2 hash have start tar log changes_var stopsignal_var old_id cid
	hash=$(recipe_hash "$name")
	have=$(docker image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$tag" 2>/dev/null || true)
	if [ "$force" = 0 ] && [ "$have" = "$hash" ]; then
		say "image $tag is up to date (recipe $hash), not rebuilding"
		return 0
	fi
	if [ -n "$have" ]; then
		say "building image $tag (recipe $hash; the existing image has recipe $have)"
	else
		say "building image $tag from Debian $SUITE packages (mmdebstrap + docker import)"
	fi
	start=$SECONDS
	tar="$WORK/$name-rootfs.tar"
	log="$WORK/$name-mmdebstrap.log"
	if ! "build_$name" "$tar" >"$log" 2>&1; then
		tail -n 40 "$log" >&2
		die "mmdebstrap failed for $tag (log above)"
	fi
	changes_var="${name}_changes[@]"
	stopsignal_var="${name}_stopsignal"
	old_id=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
	docker import "${!changes_var}" --change "LABEL $LABEL=$hash" \
		-m "dblings CI image, recipe $hash" "$tar" "$tag" >/dev/null ||
		die "docker import failed for $tag"
	if [ -n "${!stopsignal_var}" ]; then
		cid=$(docker create --stop-signal "${!stopsignal_var}" "$tag") &&
			docker commit -m "stop signal ${!stopsignal_var}" "$cid" "$tag" >/dev/null &&
			docker rm "$cid" >/dev/null ||
			die "could not set the stop signal of $tag"
	fi
	if [ -n "$old_id" ]; then # the image this one replaces, if nothing uses it
		docker rmi "$old_id" >/dev/null 2>&1 || true
	fi
	say "built image $tag in $((SECONDS - start))s ($(du -m "$tar" | cut -f1) MB root filesystem)"
	rm -f "$tar"
}

for t in "${targets[@]}"; do
	case "$t" in
	postgres) build_one postgres "$PG_IMAGE" ;;
	redis) build_one redis "$REDIS_IMAGE" ;;
	esac
done
