#!/bin/bash
# lifecycle.sh - one process lifecycle: every wait for a child, every
# stop-signal set-up and every readlink of cmbench is in lib/ (proc.c:
# proc_wait, proc_stop_catch, self_exe; util.c: read_link). The test reads
# the code of every .c and .h outside lib/ (comments and string literals
# taken out) and fails on a call of waitpid, wait3, wait4, waitid, wait,
# readlink or readlinkat, on any use of sigaction, and on a signal() of
# SIGINT, SIGTERM or SIGHUP, except in the files listed below, each with
# its reason; a listed file that no longer needs its exception fails too.
# (libuv's uv_signal_start, the latency server's loop, is not a handler of
# ours.) It also checks itself on a planted violation. tests/ and tools/
# (programs of their own) are not checked.
source "$(dirname "$0")/lib.sh"

# FILE<TAB>why it may: the process models' waits for their own workers are
# part of what those models measure (ARCHITECTURE.md, "Starting a process")
ALLOWED="models/procs.c	the pools' reaping of their workers (forkpool, eventloop_prefork: procs_reap_some, procs_reap_all) is part of what those models measure
models/process_per_task.c	waitpid(-1) for the first of its per-task processes to end is the model's own wait, measured"

BANNED='\b(waitpid|wait3|wait4|waitid|wait|readlink|readlinkat)[[:space:]]*\(|\bsigaction\b|\bsignal[[:space:]]*\([[:space:]]*SIG(INT|TERM|HUP)\b'

# the code of a C file: no comments (the compiler's own reading), no
# string or character literals
code_of() {
	${CC:-cc} -fpreprocessed -dD -E -P -w -x c "$1" 2>/dev/null |
		sed -E "s/\"([^\"\\\\]|\\\\.)*\"/\"\"/g; s/'([^'\\\\]|\\\\.)*'/''/g"
}

# lifecycle_check ROOT ALLOWED: one line per banned call outside lib/ and
# the allowed files, and one per allowed file without any
lifecycle_check() {
	local root=$1 allowed=$2 f rel hits
	local -A may
	while IFS=$'\t' read -r rel _; do
		[ -n "$rel" ] && may[$rel]=1
	done <<<"$allowed"
	while read -r f; do
		rel=${f#"$root"/}
		case $rel in lib/* | tests/* | tools/*) continue ;; esac
		hits=$(code_of "$f" | grep -E -o "$BANNED" | sort -u | tr -d ' \t' | tr '\n' ' ')
		if [ -n "${may[$rel]+x}" ]; then
			[ -n "$hits" ] || echo "$rel: listed as an exception, but has none"
		elif [ -n "$hits" ]; then
			echo "$rel: $hits"
		fi
	done < <(find "$root" -name '*.[ch]' -not -path '*/.git/*' -not -path "$root/build*" | sort)
}

bad=$(lifecycle_check . "$ALLOWED")
check "no wait, stop-signal set-up or readlink outside lib/ and the process models${bad:+ ($(echo "$bad" | tr '\n' ';'))}" \
	[ -z "$bad" ]
check "lib/proc.c has the waiter, the stop signals and self_exe" \
	grep -q -e '^int proc_wait(' -e '^void proc_stop_catch(' -e '^int self_exe(' lib/proc.c
for f in $(cut -f1 <<<"$ALLOWED"); do
	check "$f, an exception, exists" test -e "$f"
done

# the check can fail: a planted violation in a copy is caught, and what
# only looks like one is not
T=$TMP/tree
mkdir -p "$T/lib" "$T/harness" "$T/models" "$T/tests/unit"
printf '#include <sys/wait.h>\nint f(int p){int s;return waitpid(p,&s,0);}\n' >"$T/lib/ok.c"
printf 'int g(int p){int s;\n\treturn waitpid (p, &s, 0);\n}\n' >"$T/harness/waits.c"
printf 'void h(void){struct sigaction sa;(void)sa;}\n' >"$T/harness/handler.c"
printf 'void i(void){signal(SIGHUP, SIG_IGN);}\n' >"$T/harness/hup.c"
printf '/* waitpid(pid) and readlink("/proc/self/exe") in a comment */\n// wait4(p)\nconst char *s = "readlink(x) sigaction";\nvoid j(void){signal(SIGPIPE, SIG_IGN);}\n' >"$T/harness/words.c"
printf 'int k(void){return waitpid(-1,0,0);}\n' >"$T/models/procs.c"
printf 'int l(void){return 0;}\n' >"$T/models/process_per_task.c"
printf 'int m(void){return waitpid(-1,0,0);}\n' >"$T/tests/unit/t.c"
planted=$(lifecycle_check "$T" "$ALLOWED")
check "a planted waitpid is caught" grep -q '^harness/waits.c: waitpid' <<<"$planted"
check "a planted sigaction is caught" grep -q '^harness/handler.c: sigaction' <<<"$planted"
check "a planted signal(SIGHUP) is caught" grep -q '^harness/hup.c: signal' <<<"$planted"
check "an exception without its call is caught" \
	grep -q '^models/process_per_task.c: listed' <<<"$planted"
check "lib/, an exception, comments, strings and tests pass (${planted//$'\n'/;})" \
	test "$(grep -c . <<<"$planted")" -eq 4
