#!/bin/bash
# run_client.sh SECONDS - build the libFuzzer harness of the client's HTTP
# response parser (tests/fuzz/fuzz_client_response.c + workloads/http.c)
# into build-fuzz/ and run it for SECONDS. Exits nonzero when it finds a
# crash, a sanitizer report or a broken invariant; the input that did it is
# left in build-fuzz/. Seeds: tests/fuzz/corpus/client_response/.
set -euo pipefail
cd "$(dirname "$0")/../.."

secs=${1:-}
if ! [[ "$secs" =~ ^[1-9][0-9]*$ ]]; then
	echo "usage: tests/fuzz/run_client.sh SECONDS" >&2
	exit 2
fi
CLANG=${CLANG:-$(command -v clang-14 || command -v clang || true)}
if [ -z "$CLANG" ]; then
	echo "run_client.sh: clang is not installed (apt-get install clang)" >&2
	exit 2
fi

out=build-fuzz
bin=$out/fuzz_client_response
mkdir -p "$out/corpus/client_response"
"$CLANG" -g -O1 -std=gnu11 -Wall -Wextra -Werror -I. $(pkg-config --cflags libuv) \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	tests/fuzz/fuzz_client_response.c workloads/http.c -lz -o "$bin"
exec "$bin" -max_total_time="$secs" -max_len=4096 -timeout=10 \
	-dict=tests/fuzz/client_response.dict -artifact_prefix="$out/" -print_final_stats=1 \
	"$out/corpus/client_response" tests/fuzz/corpus/client_response
