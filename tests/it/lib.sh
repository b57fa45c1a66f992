# lib.sh - helpers for the integration scripts (sourced, never run).
# Each check prints one TAP line: "ok - what" or "not ok - what: why".
CMBENCH=${CMBENCH:-./cmbench}
TMP=$(mktemp -d)
trap 'cleanup_lib' EXIT
LIB_PIDS=""

cleanup_lib() {
	for p in $LIB_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$TMP"
}

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }
check() { # check "what" cmd... : ok when cmd exits 0
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

# csv_field FILE COLUMN: the value of COLUMN in the one data row of FILE
csv_field() {
	awk -F, -v col="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==col) c=i; next} NR==2{print $c}' "$1"
}

# start_server: runs `cmbench serve --port 0` in the background; sets
# SERVER_PORT and SERVER_PID.
start_server() {
	"$CMBENCH" serve --bind 127.0.0.1 --port 0 >"$TMP/serve.out" 2>&1 &
	SERVER_PID=$!
	LIB_PIDS="$LIB_PIDS $SERVER_PID"
	for _ in $(seq 100); do
		SERVER_PORT=$(sed -n 's/.*listening on [^ ]*:\([0-9][0-9]*\).*/\1/p' "$TMP/serve.out" | head -1)
		[ -n "$SERVER_PORT" ] && return 0
		sleep 0.05
	done
	return 1
}
