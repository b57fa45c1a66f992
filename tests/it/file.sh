#!/bin/bash
# file.sh - the file workload (workloads/file.c, docs/workloads-file.md):
# every model of the table, C and Python, reads and appends with one
# checksum for the same parameters, every --py-file library on the loops
# included; the Python hash is C's (CRC-32 folded by mix64, known values);
# --file-cache cold drops the set's pages where the filesystem can (ext4:
# no note) and says so where it cannot (tmpfs: workload_note); bad input
# (a size of 0, above the free space, a directory that is not writable, a
# mode that is not read or append, a task larger than a file) is one line,
# exit 2, nothing made; after a run, a failed run, a Ctrl-C and a SIGKILL
# the run's directory is gone and no process of it is left.
source "$(dirname "$0")/lib.sh"

DIR="$TMP/sets" # every set of this script goes under it: it must end empty
mkdir -p "$DIR"
A=(--tasks 40 --concurrency 4 --workers 2 --file-bytes 3000 --file-size 60000 --file-count 3
	--file-dir "$DIR" --format csv)
C_MODELS=$("$CMBENCH" list | awk '/^workloads:/ { exit } /^  / && !/\(foreign\)$/ { print $1 }')
PY_MODELS=$("$CMBENCH" list | awk '/^workloads:/ { exit } /\(foreign\)$/ { print $1 }')
left() { ls -A "$DIR"; }

# run_sum FILE ARGS...: run, the row in FILE; prints "rc errors checksum"
run_sum() {
	local f=$1
	shift
	"$CMBENCH" run "$@" >"$f" 2>"$f.err"
	echo "$? $(csv_field "$f" errors) $(csv_field "$f" checksum)"
}

# --- every model, read and append: one checksum per mode
for mode in read append; do
	want=$(run_sum "$TMP/ref.csv" --model sequential --workload file --file-mode "$mode" "${A[@]}")
	want=${want##* }
	[ "$mode" = read ] && want_read=$want
	check "file $mode: the reference run has a checksum ($want)" test -n "$want"
	for m in $C_MODELS $PY_MODELS; do
		got=$(run_sum "$TMP/m.csv" --model "$m" --workload file --file-mode "$mode" "${A[@]}")
		check "$m file $mode: exit 0, 0 errors, checksum $want ($got; $(head -c 200 "$TMP/m.csv.err"))" \
			test "$got" = "0 0 $want"
	done
	# a worker exec'd per task (or per process) finds the run's set too
	for m in process-per-task py-processes; do
		got=$(run_sum "$TMP/m.csv" --model "$m" --spawn exec --workload file \
			--file-mode "$mode" "${A[@]}")
		check "$m --spawn exec file $mode: checksum $want ($got; $(head -c 200 "$TMP/m.csv.err"))" \
			test "$got" = "0 0 $want"
	done
	# the loops' Python libraries
	for m in py-asyncio py-uvloop py-asyncio-offload py-uvloop-prefork; do
		for lib in aiofiles to_thread; do
			got=$(run_sum "$TMP/m.csv" --model "$m" --workload file --file-mode "$mode" \
				--py-file "$lib" "${A[@]}")
			check "$m --py-file $lib file $mode: checksum $want ($got; $(head -c 200 "$TMP/m.csv.err"))" \
				test "$got" = "0 0 $want"
		done
	done
done
# a different set, a different checksum (the test can fail)
got=$(run_sum "$TMP/m.csv" --model sequential --workload file "${A[@]}" --file-bytes 2000)
check "file --file-bytes 2000: another checksum than 3000's ($got)" test "${got##* }" != "$want_read"
check "file: no set left under --file-dir after the runs ($(left | head -3))" test -z "$(left)"

# --- the hash itself: CRC-32 folded by mix64, one task, known bytes. Task 0
# reads f0000 (mix64(0) % 1) at 0: bytes of mix64(0 << 40 ^ word), little-
# endian; the run's checksum of one task is mix64(result ^ mix64(id))
want1=$(cd "$(dirname "$0")/../../models/python" && /usr/bin/python3 -c '
import zlib, foreign
b = b"".join(foreign.mix64(w).to_bytes(8, "little") for w in range(2))[:13]
h = foreign.mix64(zlib.crc32(b) ^ (len(b) << 32))
print(f"{foreign.mix64(h ^ foreign.mix64(0)):016x}")')
got=$(run_sum "$TMP/one.csv" --model sequential --workload file --tasks 1 --file-bytes 13 \
	--file-size 13 --file-count 1 --file-dir "$DIR" --format csv)
check "file: one task's result is mix64(zlib.crc32 ^ (n << 32)) of the set's bytes, by Python ($want1; C: $got)" \
	test -n "$want1" -a "$got" = "0 0 $want1"

# --- cold: dropped on ext4 (no note), ignored on tmpfs (the note says so)
"$CMBENCH" run --model threadpool --workload file --file-cache cold "${A[@]}" >"$TMP/c.csv" 2>&1
fs=$(stat -f -c %T "$DIR")
note=$(csv_field "$TMP/c.csv" workload_note)
if [ "$fs" = ext2/ext3 ] || [ "$fs" = xfs ] || [ "$fs" = btrfs ]; then
	check "file --file-cache cold on $fs: dropped, no note ('$note')" test -z "$note"
else
	ok "# skip: --file-dir is on $fs (note '$note'), not a disk filesystem"
fi
check "file --file-cache cold: the checksum of warm ($(csv_field "$TMP/c.csv" checksum))" \
	test "$(csv_field "$TMP/c.csv" checksum)" = "$want_read" -a "$(csv_field "$TMP/c.csv" errors)" = 0
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	SHM=$(mktemp -d /dev/shm/cmbench-filetest-XXXXXX)
	"$CMBENCH" run --model threadpool --workload file --file-cache cold "${A[@]}" \
		--file-dir "$SHM" >"$TMP/s.csv" 2>&1
	note=$(csv_field "$TMP/s.csv" workload_note)
	check "file --file-cache cold on tmpfs: workload_note says the drop was ignored ('$note')" \
		test "${note#cold_ignored_resident_}" != "$note"
	"$CMBENCH" run --model threadpool --workload file "${A[@]}" --file-dir "$SHM" --format text \
		>"$TMP/s.txt" 2>&1
	check "file warm on tmpfs: no note" test -z "$(grep Note: "$TMP/s.txt")"
	check "file on tmpfs: nothing left there ($(ls -A "$SHM" | head -3))" test -z "$(ls -A "$SHM")"
	rmdir "$SHM"
else
	ok "# skip: no writable /dev/shm"
fi

# --- bad input: one line, exit 2, nothing made
bad() { # what, args...
	local what=$1
	shift
	"$CMBENCH" run --model threadpool --workload file --file-dir "$DIR" "$@" >/dev/null \
		2>"$TMP/bad.err"
	local rc=$? n
	n=$(wc -l <"$TMP/bad.err")
	check "$what: exit 2, one line, nothing made (rc $rc, $n lines: $(head -c 160 "$TMP/bad.err"); left: $(left | head -2))" \
		test "$rc" = 2 -a "$n" = 1 -a -z "$(left)"
}
bad "--file-size 0" --file-size 0
bad "--file-bytes 0" --file-bytes 0
bad "--file-mode write" --file-mode write
bad "--file-cache hot" --file-cache hot
bad "--file-bytes above --file-size" --file-bytes 5000 --file-size 4096
bad "a set above the free space" --file-size 1099511627776 --file-count 4096
bad "appends above the free space" --file-mode append --tasks 100000000 --file-bytes 16777216 \
	--file-size 16777216 --file-count 1
bad "--file-dir that does not exist" --file-dir "$DIR/nowhere"
bad "--file-dir that is a file" --file-dir /etc/hostname
bad "--file-dir that is not writable (/proc)" --file-dir /proc
RO="$TMP/ro"
mkdir -p "$RO"
if [ "$(id -u)" = 0 ] && chattr +i "$RO" 2>/dev/null; then
	bad "--file-dir that is immutable (chattr +i, even for root)" --file-dir "$RO"
	chattr -i "$RO"
elif [ "$(id -u)" != 0 ]; then
	chmod 555 "$RO"
	bad "--file-dir that is read-only (mode 555)" --file-dir "$RO"
	chmod 755 "$RO"
else
	ok "# skip: chattr cannot make a directory immutable here"
fi
"$CMBENCH" run --model threadpool --workload file --file-dir /proc >/dev/null 2>"$TMP/bad.err"
check "--file-dir /proc: the line names --file-dir ($(cat "$TMP/bad.err"))" \
	grep -q -- "--file-dir /proc" "$TMP/bad.err"

# --- a failed run (its Python program dies halfway): exit 1, the set removed
if [ -n "$PY_MODELS" ]; then
	m=${PY_MODELS%%$'\n'*}
	CMBENCH_FOREIGN_PROGRAM="$(cd "$(dirname "$0")" && pwd)/helpers/foreign_fixture.sh" \
		FIXTURE=die "$CMBENCH" run --model "$m" --workload file "${A[@]}" >/dev/null 2>&1
	rc=$?
	check "file, a failed run (its program dies): exit 1, the set removed (rc $rc; $(left | head -2))" \
		test "$rc" = 1 -a -z "$(left)"
fi

# --- Ctrl-C and SIGTERM: exit 130 / 143, no process left, the set removed
HELP="$(dirname "$0")/helpers/stop_leaves_nothing.py"
SLOW=(--workload file --tasks 100000000 --concurrency 4 --workers 2 --file-bytes 4096
	--file-size 65536 --file-count 2 --file-dir "$DIR")
for ms in threadpool:INT:130 eventloop-offload:INT:130 forkpool:TERM:143 py-threads:INT:130; do
	IFS=: read -r m sig want <<<"$ms"
	"$CMBENCH" list models | grep -qx "$m" || continue
	out=$(python3 "$HELP" "$sig" 3 0.4 "$CMBENCH" run --model "$m" "${SLOW[@]}")
	read -r _ rc _ n _ nleft _ <<<"$out"
	check "$m file, SIG$sig: exit $want, no process left, the set removed ($out; $(left | head -2))" \
		test "$rc" = "$want" -a "$nleft" = 0 -a -z "$(left)"
done

# --- SIGKILL of the whole run: the janitor removes the set
setsid "$CMBENCH" run --model threadpool "${SLOW[@]}" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do [ -n "$(left)" ] && break; sleep 0.05; done
sleep 0.3
made=$(left)
kill -KILL -- "-$pid" 2>/dev/null
{ wait "$pid"; } 2>/dev/null
for _ in $(seq 100); do [ -z "$(left)" ] && break; sleep 0.05; done
check "file, the run's group SIGKILLed while it ran ($made): its janitor removes the set ($(left | head -2))" \
	test -n "$made" -a -z "$(left)"

# --- the libraries against each other (plots/findings/libs_vs.c): two grids
# alike but for --py-file compared model by model, a third that differs in
# another flag left out
cat >"$TMP/libs.spec" <<SPEC
reps: 2
warmup: 0
grid: lib_open
models: py-asyncio
workload: file
flags: py-file=open file-bytes=3000 file-size=60000 file-count=3 file-dir=$DIR
concurrency: 1
tasks: 40
grid: lib_aiofiles
models: py-asyncio
workload: file
flags: py-file=aiofiles file-bytes=3000 file-size=60000 file-count=3 file-dir=$DIR
concurrency: 1
tasks: 40
grid: lib_other
models: py-asyncio
workload: file
flags: py-file=to_thread file-bytes=2000 file-size=60000 file-count=3 file-dir=$DIR
concurrency: 1
tasks: 40
SPEC
"$CMBENCH" sweep "$TMP/libs.spec" -o "$TMP/libs" >/dev/null 2>&1 &&
	"$CMBENCH" plots "$TMP/libs" >/dev/null 2>&1
rc=$?
line=$(grep -- "--py-file aiofiles against the library before it" "$TMP/libs/REPORT.md" 2>/dev/null)
check "REPORT.md: aiofiles against open, py-asyncio's two cells compared (rc $rc; ${line:0:240})" \
	test "$rc" = 0 -a -n "$(echo "$line" | grep 'py-asyncio at C=1 against open [+-][0-9.]* µs a task')" \
	-a -n "$(echo "$line" | grep 'py-asyncio with open\|py-asyncio with aiofiles')"
check "REPORT.md: a grid that differs in another flag is compared with none" \
	test -z "$(grep -- '--py-file to_thread against' "$TMP/libs/REPORT.md" 2>/dev/null)"
check "file: no set left after the sweep ($(left | head -2))" test -z "$(left)"
