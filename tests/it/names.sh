#!/bin/bash
# names.sh - the tables are the one place models and workloads are named:
# no C file outside models/ and workloads/ holds a model or workload name as
# a string literal (the harness, sweeps and plots ask the tables for
# traits), and no fixed cap on the number of models remains. A flag that
# shares a workload's name (--cpu) is not a name of the workload: option
# table lines (required_argument) are not counted.
source "$(dirname "$0")/lib.sh"

names=$("$CMBENCH" list models; "$CMBENCH" list workloads)
check "cmbench list names models and workloads" test -n "$names"
for n in $names; do
	hits=$(grep -rF --include='*.c' --include='*.h' "\"$n\"" . 2>/dev/null |
		grep -v -e '^\./models/' -e '^\./workloads/' -e '^\./tests/' -e '^\./build' \
			-e 'required_argument' | cut -d: -f1 | sort -u)
	check "no literal \"$n\" outside models/ and workloads/${hits:+ (found in: $(echo $hits))}" \
		test -z "$hits"
done
caps=$(grep -rn --include='*.[ch]' -E 'define (MAX_MODELS|SPEC_MODELS_MAX|CELLS_NMETRICS)' . |
	grep -v '^\./tests/')
check "no fixed cap on models or metrics${caps:+ ($caps)}" test -z "$caps"
