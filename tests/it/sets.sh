#!/bin/bash
# sets.sh - result sets under stress: a set whose strings would be
# commands to gnuplot, two writers on one set, a sweep killed with SIGKILL
# mid-cell, a torn last row, and a full disk.
source "$(dirname "$0")/lib.sh"
TINY=tests/fixtures/tiny.spec # 4 cells, 1 rep
LONG=tests/fixtures/long.spec # 1 cell whose run takes 20 s
FIX=tests/fixtures/results-small

rows() { tail -n +2 "$1" 2>/dev/null | grep -c .; }
# whole_rows FILE: every line has the header's number of fields, and the
# file ends with a newline
whole_rows() {
	awk -F, 'NR == 1 { n = NF } NF != n { bad++ } END { exit bad > 0 }' "$1" &&
		[ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ]
}
# leftovers DIR: processes whose command line names DIR (the sweep, its
# watchdog, hyperfine, the runs and their servers all do)
leftovers() { pgrep -f -- "$1/" | grep -v "^$$\$" || true; }
# wait_for SECONDS CMD...: until CMD succeeds; 1 when it never does
wait_for() {
	local n=$(($1 * 20))
	shift
	for _ in $(seq "$n"); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

# a finished set to work on
"$CMBENCH" sweep "$TINY" -o "$TMP/t" >/dev/null 2>&1

# ---- a result set is data: nothing in it runs as a command. gnuplot runs
# a `backquoted` command inside a double-quoted string, in its working
# directory: plots runs in $TMP, so that anything run would touch a file
# there.
bin=$(readlink -f "$CMBENCH")
if command -v gnuplot >/dev/null; then
	bad="set\`touch pwned-dir\`"
	cp -r "$FIX" "$TMP/$bad"
	sed -i "s|\"cpu_model\": \"[^\"]*\"|\"cpu_model\": \"Xeon \`touch pwned-cpu\`\"|;
		s|\"kernel\": \"[^\"]*\"|\"kernel\": \"6.1 '\`touch pwned-kernel\`'\"|" "$TMP/$bad/meta.json"
	(cd "$TMP" && "$bin" plots "$bad" --scripts "$OLDPWD/plots/data") >/dev/null 2>"$TMP/bad.err"
	rc=$?
	check "plots on a set named with a backquote, meta.json strings with backquotes: exit 0 ($rc: $(head -c 200 "$TMP/bad.err"))" \
		[ "$rc" -eq 0 ]
	check "plots: nothing in meta.json or the set's name ran ($(cd "$TMP" && ls -d pwned-* 2>/dev/null))" \
		eval '[ ! -e "$TMP/pwned-dir" ] && [ ! -e "$TMP/pwned-cpu" ] && [ ! -e "$TMP/pwned-kernel" ]'
	check "plots: the backquoted CPU name is in the charts as text" \
		grep -qF 'Xeon `touch pwned-cpu`' "$TMP/$bad/makespan.svg"
else
	not_ok "gnuplot is not installed (apt-get install gnuplot-nox)"
fi
odd="$TMP/odd"
cp -r "$FIX" "$odd"
awk -F, -v OFS=, 'NR == 2 { $3 = "thread`id`pool" } { print }' "$FIX/cells.csv" >"$odd/cells.csv"
"$CMBENCH" plots "$odd" >/dev/null 2>"$TMP/odd.err"
rc=$?
check "plots: a model name that is not a name is refused, one line, exit 2 ($rc: $(cat "$TMP/odd.err"))" \
	eval '[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/odd.err")" -eq 1 ] && grep -q "row 2 has a model name" "$TMP/odd.err"'
"$CMBENCH" sweep "$TINY" -o "$TMP/q\`touch $TMP/pwned-o\`" >/dev/null 2>"$TMP/o.err"
rc=$?
check "sweep -o with a backquote: exit 2, one line, nothing made ($rc)" \
	eval '[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/o.err")" -eq 1 ] && ! ls "$TMP" | grep -q "^q"'
"$CMBENCH" merge "$TMP/m'x" "$FIX" >/dev/null 2>"$TMP/mo.err"
rc=$?
check "merge into a path with a quote: exit 2, one line ($rc)" \
	eval '[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/mo.err")" -eq 1 ]'

cp -r "$TMP/t" "$TMP/evil"
sed -i '2s/^[^,]*,/..\/..\/escape,/' "$TMP/evil/cells.csv"
"$CMBENCH" merge "$TMP/me" "$TMP/evil" >/dev/null 2>"$TMP/me.err"
rc=$?
check "merge: a cell id that is a path is refused, exit 2, one line ($rc: $(cat "$TMP/me.err"))" \
	eval '[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/me.err")" -eq 1 ] && [ ! -e "$TMP/escape.json" ]'

# ---- one writer per set; a sweep killed with SIGKILL leaves no run behind
"$CMBENCH" sweep "$LONG" -o "$TMP/lk" >/dev/null 2>"$TMP/lk.err" &
pid=$!
LIB_PIDS="$LIB_PIDS $pid"
run_up() { pgrep -f -- "$TMP/lk/.scratch/.* run " >/dev/null || pgrep -f -- "run --model.*$TMP/lk/" >/dev/null; }
if wait_for 20 run_up; then
	"$CMBENCH" sweep "$LONG" -o "$TMP/lk" --resume >/dev/null 2>"$TMP/lk2.err"
	rc=$?
	check "a second sweep on a set in use: exit 2, one line ($rc: $(cat "$TMP/lk2.err"))" \
		eval '[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/lk2.err")" -eq 1 ] && grep -q "in use" "$TMP/lk2.err"'
	"$CMBENCH" merge "$TMP/lk" "$TMP/t" >/dev/null 2>"$TMP/lk3.err"
	rc=$?
	check "a merge into a set in use: exit 2, one line ($rc: $(cat "$TMP/lk3.err"))" \
		eval '[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/lk3.err")" -eq 1 ] && grep -q "in use" "$TMP/lk3.err"'
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	nothing_left() { [ -z "$(leftovers "$TMP/lk")" ]; }
	wait_for 5 nothing_left
	left=$(leftovers "$TMP/lk")
	check "kill -9 of a sweep mid-cell: within 5 s no process of it is left (${left:-none})" \
		[ -z "$left" ]
	[ -n "$left" ] && kill -9 $left 2>/dev/null
	check "kill -9: the set's lock is free again" flock -n "$TMP/lk/.lock" true
else
	not_ok "the long sweep's run never started: $(cat "$TMP/lk.err")"
	kill -9 "$pid" 2>/dev/null
fi

# ---- a torn last row (a crash mid-write) is cut off by --resume
cp "$TMP/t/results.csv" "$TMP/t.rows"
printf 'matrix-threadpool-io-s0-c4-n20-io2000us-p256-new,2,threadpool,io,20,4' >>"$TMP/t/results.csv"
"$CMBENCH" sweep "$TINY" -o "$TMP/t" --resume >/dev/null 2>"$TMP/t.err"
rc=$?
check "resume over a torn last row: exit 0, the row cut off, the rest unchanged ($rc: $(head -1 "$TMP/t.err"))" \
	eval '[ "$rc" -eq 0 ] && cmp -s "$TMP/t.rows" "$TMP/t/results.csv" && grep -q "torn" "$TMP/t.err"'

# ---- a full disk: whole rows or none, the real errno, no temporary file
full="$TMP/full"
mkdir -p "$full"
if mount -t tmpfs -o size=64k tmpfs "$full" 2>/dev/null; then
	trap 'umount "$full" 2>/dev/null; cleanup_lib' EXIT
	"$CMBENCH" sweep "$TINY" -o "$full/set" >/dev/null 2>"$TMP/full.err"
	rc=$?
	check "sweep on a full disk: exit 1 ($rc)" [ "$rc" -eq 1 ]
	check "sweep on a full disk: says so ($(grep -m1 space "$TMP/full.err"))" \
		grep -q 'No space left on device' "$TMP/full.err"
	check "sweep on a full disk: results.csv holds whole rows only" whole_rows "$full/set/results.csv"
	check "sweep on a full disk: no temporary file left ($(ls "$full/set" | tr '\n' ' '))" \
		eval '! ls "$full/set" | grep -Eq "\.(csv|json)\.|\.tmp$"'
	mkdir -p "$TMP/roomy"
	cp -r "$full/set" "$TMP/roomy/set"
	umount "$full"
	"$CMBENCH" sweep "$TINY" -o "$TMP/roomy/set" --resume >/dev/null 2>"$TMP/roomy.err"
	rc=$?
	check "resume with room again: exit 0, 4 cells, all ok ($rc: $(tail -1 "$TMP/roomy.err"))" \
		eval '[ "$rc" -eq 0 ] && [ "$(awk -F, "NR == 1 { for (i = 1; i <= NF; i++) if (\$i == \"ok\") k = i; next } \$k == 1" "$TMP/roomy/set/cells.csv" | wc -l)" -eq 4 ]'
else
	# no tmpfs to fill (not root): a file size limit does the same to results.csv
	(
		ulimit -f 1
		"$CMBENCH" sweep "$TINY" -o "$TMP/f" >/dev/null 2>"$TMP/full.err"
	)
	rc=$?
	check "sweep past a file size limit: exit 1, EFBIG said ($rc)" \
		eval '[ "$rc" -eq 1 ] && grep -q "File too large" "$TMP/full.err"'
	check "sweep past a file size limit: results.csv holds whole rows only" whole_rows "$TMP/f/results.csv"
fi
exit 0 # the TAP lines carry the verdict
