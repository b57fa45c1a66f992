#!/bin/bash
# foreign_fixture.sh - a minimal foreign model in shell, for tests/it/foreign.sh:
# it speaks the protocol of models/python/README.md over fd 3 and runs the
# cpu workload one task after another (the same kernel, in bash's 64-bit
# arithmetic, so its checksum is the C models'). Run it as any foreign
# model's program: CMBENCH_FOREIGN_PROGRAM=this cmbench run --model py-...
#
# FIXTURE= makes it misbehave: die (exit 1 halfway), kill (SIGKILL itself
# halfway), dup (report task 0 twice), never (never report task 1),
# garbage (a line that is no record), silent (stop talking halfway, stay
# alive), noready (exit before ready). Bash has no monotonic clock: time
# stamps are t0 plus the realtime elapsed since go.
set -u
mode=run N=1 I=0 US=0
for a in "$@"; do
	case $a in
	mode=*) mode=${a#*=} ;;
	tasks=*) N=${a#*=} ;;
	cpu_iters=*) I=${a#*=} ;;
	cpu_us=*) US=${a#*=} ;;
	esac
done
fixture=${FIXTURE:-ok}

mix64() { # $1 -> R; >> is arithmetic in bash, so mask each shift
	local x=$(($1 + 0x9E3779B97F4A7C15))
	x=$(((x ^ ((x >> 30) & 0x3FFFFFFFF)) * 0xBF58476D1CE4E5B9))
	x=$(((x ^ ((x >> 27) & 0x1FFFFFFFFF)) * 0x94D049BB133111EB))
	R=$((x ^ ((x >> 31) & 0x1FFFFFFFF)))
}
kernel() { # seed iters -> R
	local x=$1 i
	for ((i = 0; i < $2; i++)); do
		mix64 $((x + i))
		x=$R
	done
	R=$x
}
now_ns() { # -> T
	local us=${EPOCHREALTIME/./}
	T=$((t0 + (us - go_us) * 1000))
}

if [ "$mode" = cpu ]; then # it measures nothing: it claims 1 µs a round
	[ "$US" -gt 0 ] && I=$US
	echo "cpu $I $I.0" >&3
	exit 0
fi
[ "$fixture" = noready ] && exit 1
echo ready >&3
read -r go t0 <&3
go_us=${EPOCHREALTIME/./}
for ((id = 0; id < N; id++)); do
	if [ "$id" = $((N / 2)) ]; then
		case $fixture in
		die) exit 1 ;;
		kill) kill -9 $$ ;;
		garbage) echo "this is not a record" >&3 ;;
		silent) (exec -a cmbfixture-stuck sleep 3600) && exit 0 ;;
		esac
	fi
	now_ns
	start=$T
	mix64 "$id"
	kernel "$R" "$I"
	now_ns
	[ "$fixture" = never ] && [ "$id" = 1 ] && continue
	printf 'task %d %d %d %016x ok\n' "$id" "$start" "$T" "$R" >&3
	[ "$fixture" = dup ] && [ "$id" = 0 ] &&
		printf 'task %d %d %d %016x ok\n' "$id" "$start" "$T" "$R" >&3
done
echo end >&3
read -r _ <&3 # bye, or EOF
exit 0
