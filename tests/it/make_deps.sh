#!/bin/bash
# make_deps.sh - `make` (the all target) checks the build dependencies
# before it compiles anything, as `make test` and `make bench` do: on a
# fresh machine it installs them (root) or prints the apt-get line, never
# a compiler error about a missing header.
source "$(dirname "$0")/lib.sh"

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
first=$(make -C "$ROOT" -n all 2>/dev/null | grep -v '^make' | head -1)
check "make all runs tools/deps.sh build first (first command: $first)" \
	grep -q "tools/deps.sh build" <<<"$first"
# with a package missing, deps.sh stops make before the compiler runs: a
# fake dpkg-query that knows no package stands in for the fresh machine
mkdir -p "$TMP/bin"
printf '#!/bin/sh\nexit 1\n' >"$TMP/bin/dpkg-query"
printf '#!/bin/sh\necho 1000\n' >"$TMP/bin/id"
chmod +x "$TMP/bin/dpkg-query" "$TMP/bin/id"
out=$(PATH="$TMP/bin:$PATH" make -C "$ROOT" B="$TMP/build" all 2>&1)
rc=$?
check "make all on a machine without the packages: stops (rc $rc) with the apt-get line, compiles nothing" \
	bash -c '[ "$1" != 0 ] && grep -q "apt-get install" <<<"$2" && ! grep -q -- "-c .*\.c" <<<"$2"' _ "$rc" "$out"
