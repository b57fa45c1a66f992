#!/bin/bash
# names.sh - the tables are the one place models and workloads are named:
# no C file outside models/ and workloads/ holds a model or workload name as
# a string literal, nor inside one (the harness, sweeps and plots ask the
# tables for traits), and none of the fixed caps on models or metrics that
# once were (MAX_MODELS, SPEC_MODELS_MAX, CELLS_NMETRICS) comes back; those
# left are cmbench ceiling's lists (CEIL_MODELS_MAX) and the open-loop
# regimes of plots/openloop.h (OL_MAX_WL workloads). A flag that shares
# a workload's name (--cpu) is not a name of the workload: option table
# lines (required_argument) are not counted.
source "$(dirname "$0")/lib.sh"

names=$("$CMBENCH" list models; "$CMBENCH" list workloads; "$CMBENCH" list servers)
check "cmbench list names models and workloads" test -n "$names"
for n in $names; do
	hits=$(grep -rF --include='*.c' --include='*.h' "\"$n\"" . 2>/dev/null |
		grep -v -e '^\./models/' -e '^\./workloads/' -e '^\./tests/' -e '^\./build' \
			-e 'required_argument' | cut -d: -f1 | sort -u)
	check "no literal \"$n\" outside models/ and workloads/${hits:+ (found in: $(echo $hits))}" \
		test -z "$hits"
done
# Stronger: a name inside any string literal (a word of a message, a
# finding, a figure), not only a whole quoted name. Names that are also the
# words prose uses for a task's parts or manner (io, cpu, mixed, blocking,
# sequential, file) are held to the exact-literal check above only. Comment
# lines are skipped.
WORDS=" io cpu mixed blocking sequential file "
strings_outside() { # the string literals of C files outside models/, workloads/, tests/, tools/
	find . -name '*.[ch]' -not -path './models/*' -not -path './workloads/*' \
		-not -path './tests/*' -not -path './tools/*' -not -path './build*' -print0 |
		xargs -0 grep -n -v -E '^[[:space:]]*(\*|/\*|//)|required_argument' |
		grep -o -E '^[^:]*:[0-9]+:|"([^"\\]|\\.)*"' |
		awk '/^[^"]/ { where = $0; next } { print where $0 }'
}
strings_outside >"$TMP/strings"
check "string literals found outside models/ and workloads/" test -s "$TMP/strings"
for n in $names; do
	[[ $WORDS == *" $n "* ]] && continue
	hits=$(awk -v n="$n" '{ s = $0; sub(/^[^:]*:[0-9]+:/, "", s)
		if (s ~ ("(^|[^A-Za-z0-9_-])" n "([^A-Za-z0-9_-]|$)")) print $0 }' "$TMP/strings" |
		cut -d: -f1,2 | sort -u | tr '\n' ' ')
	check "no string outside models/ and workloads/ names $n${hits:+ (found: $hits)}" \
		test -z "$hits"
done
# the check can fail: a planted name in a string is found
echo "x.c:1:\"a $(echo $names | cut -d' ' -f2) of its own\"" >"$TMP/planted"
planted=$(awk -v n="$(echo $names | cut -d' ' -f2)" '{ s = $0; sub(/^[^:]*:[0-9]+:/, "", s)
	if (s ~ ("(^|[^A-Za-z0-9_-])" n "([^A-Za-z0-9_-]|$)")) print $0 }' "$TMP/planted")
check "a name planted in a string is caught" test -n "$planted"

caps=$(grep -rn --include='*.[ch]' -E 'define (MAX_MODELS|SPEC_MODELS_MAX|CELLS_NMETRICS)' . |
	grep -v '^\./tests/')
check "no fixed cap on models or metrics${caps:+ ($caps)}" test -z "$caps"
