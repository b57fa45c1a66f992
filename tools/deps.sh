#!/bin/sh
# deps.sh build|test|bench - install the Debian packages a target needs.
# As root it runs apt-get; otherwise it prints the exact command to run.
set -eu
what=${1:-build}
pkgs="build-essential pkg-config libuv1-dev libjansson-dev libsqlite3-dev libpq-dev libgsl-dev libxml2-dev zlib1g-dev liburing-dev"
case "$what" in
test)  pkgs="$pkgs libcmocka-dev curl wrk procps gnuplot-nox hyperfine postgresql clang clang-format python3 python3-uvloop python3-aiohttp python3-httpx python3-requests python3-asyncpg python3-psycopg python3-psycopg2 python3-psycopg-pool chromium openssh-server openssh-client parallel rsync" ;;
bench) pkgs="$pkgs procps gnuplot-nox hyperfine postgresql python3 python3-uvloop python3-aiohttp python3-httpx python3-requests python3-asyncpg python3-psycopg python3-psycopg2 python3-psycopg-pool openssh-client parallel rsync" ;;
peers) pkgs="$pkgs procps wrk nginx-light libgomp1 hyperfine" ;;
build) ;;
*) echo "deps.sh: unknown target '$what' (build, test, bench or peers)" >&2; exit 2 ;;
esac
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "deps: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	apt-get install -y -qq --no-install-recommends $missing >&2
else
	echo "deps: missing packages; run: sudo apt-get install -y$missing" >&2
	exit 1
fi
