#!/bin/bash
# run_server.sh SECONDS - build the libFuzzer harness of the latency
# server's request parser (tests/fuzz/fuzz_server_request.c + server/request.c)
# into build-fuzz/ and run it for SECONDS. Exits nonzero when it finds a
# crash, a sanitizer report or a broken invariant; the input that did it is
# left in build-fuzz/ (crash-*, leak-*, timeout-*). The seeds are in
# tests/fuzz/corpus/server_request/; what the run learns goes to
# build-fuzz/corpus/server_request/, never into the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."

secs=${1:-}
if ! [[ "$secs" =~ ^[1-9][0-9]*$ ]]; then
	echo "usage: tests/fuzz/run_server.sh SECONDS" >&2
	exit 2
fi
CLANG=${CLANG:-$(command -v clang-14 || command -v clang || true)}
if [ -z "$CLANG" ]; then
	echo "run_server.sh: clang is not installed (apt-get install clang)" >&2
	exit 2
fi

out=build-fuzz
bin=$out/fuzz_server_request
mkdir -p "$out/corpus/server_request"
"$CLANG" -g -O1 -std=gnu11 -Wall -Wextra -Werror -I. \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	tests/fuzz/fuzz_server_request.c server/request.c -o "$bin"

# -max_len above SERVER_HEAD_MAX, so that "too large" heads are reached
exec "$bin" -max_total_time="$secs" -max_len=10000 -timeout=10 \
	-dict=tests/fuzz/server_request.dict -artifact_prefix="$out/" -print_final_stats=1 \
	"$out/corpus/server_request" tests/fuzz/corpus/server_request
