#!/bin/bash
# docs.sh - docs/ cannot drift from the code: every command of
# `cmbench --help` is named in docs/, every flag a command's --help lists
# appears there, and so does every key of the spec parser's table (found by
# its declaration wherever the spec language lives). The check is tested
# first on planted input: a help text with a flag no page names, a key no
# page names, and an empty docs folder must each be caught.
. "$(dirname "$0")/lib.sh"
DOCS=${DOCS:-docs}

# undocumented DIR KIND: the words read on stdin (flags like --tasks, or
# spec keys like reps:) that no page of DIR names, one a line. A word must
# stand alone: --cpu is not documented by --cpu-iters, cpu: not by
# cpu_scale:.
undocumented() {
	local dir=$1 kind=$2 w re
	while read -r w; do
		[ -n "$w" ] || continue
		if [ "$kind" = flag ]; then
			re="(^|[^a-z0-9-])${w}([^a-z0-9-]|\$)"
		else
			re="(^|[^a-z0-9_])${w}"
		fi
		grep -rqE --include='*.md' -- "$re" "$dir" 2>/dev/null || echo "$w"
	done
}
flags_of() { grep -oE -- '--[a-z][a-z0-9-]*[a-z0-9]' | sort -u; }

# --- the check, on planted input first
mkdir -p "$TMP/docs"
printf '# a page\n`--tasks N` and `--cpu-iters N`; `reps:` and `cpu_scale:`\n' >"$TMP/docs/p.md"
printf 'usage: x [--tasks N] [--planted-undocumented F] [--cpu D]\n' >"$TMP/help"
got=$(flags_of <"$TMP/help" | undocumented "$TMP/docs" flag | tr '\n' ' ')
check "a planted undocumented flag is caught (and --cpu is not documented by --cpu-iters): $got" \
	test "$got" = "--cpu --planted-undocumented "
got=$(printf 'reps:\ncpu:\nplanted_key:\n' | undocumented "$TMP/docs" key | tr '\n' ' ')
check "a planted unknown spec key is caught (and cpu: is not documented by cpu_scale:): $got" \
	test "$got" = "cpu: planted_key: "
mkdir -p "$TMP/empty"
got=$(flags_of <"$TMP/help" | undocumented "$TMP/empty" flag | wc -l)
check "an empty docs folder documents nothing ($got of 3 flags missing)" test "$got" -eq 3

# --- the real docs
check "docs/ has pages" test -n "$(ls "$DOCS"/*.md 2>/dev/null)"
commands=$("$CMBENCH" --help | awk '/^  [a-z][a-z-]* / { print $1 }')
check "cmbench --help lists its commands ($(echo $commands | wc -w))" test "$(echo $commands | wc -w)" -ge 8
for c in $commands; do
	if ! grep -rqE --include='*.md' "cmbench $c([^a-z-]|\$)" "$DOCS"; then
		not_ok "cmbench $c: not named in $DOCS/"
		continue
	fi
	if ! "$CMBENCH" "$c" --help >"$TMP/help.$c" 2>&1; then
		ok "cmbench $c is documented (it has no --help: $(head -1 "$TMP/help.$c"))"
		continue
	fi
	n=$(flags_of <"$TMP/help.$c" | wc -l)
	missing=$(flags_of <"$TMP/help.$c" | undocumented "$DOCS" flag | tr '\n' ' ')
	if [ -z "$missing" ]; then
		ok "cmbench $c: its $n flags of --help are in $DOCS/"
	else
		not_ok "cmbench $c: --help lists flags no page of $DOCS/ names: $missing"
	fi
done
n=$(flags_of <"$TMP/help.run" 2>/dev/null | wc -l)
check "cmbench run --help lists its flags ($n)" test "$n" -ge 20

# the spec parser's keys: the table declared as spec_keys[], wherever the
# spec language's folder is, and grid:, which the parser handles before it
src=$(grep -rlE --include='*.c' 'spec_key[a-z_]*[[:space:]]+spec_keys\[\][[:space:]]*=' \
	lib harness plots claims cmd models workloads server 2>/dev/null | head -1)
check "the spec key table is found (${src:-nowhere})" test -n "$src"
keys=$(sed -n '/spec_keys\[\][[:space:]]*=/,/^};/p' "$src" 2>/dev/null |
	grep -oE '\{ *"[a-z_]+:"' | grep -oE '[a-z_]+:')
keys="$keys grid:"
n=$(echo $keys | wc -w)
check "the spec key table holds keys ($n)" test "$n" -ge 20
missing=$(printf '%s\n' $keys | undocumented "$DOCS" key | tr '\n' ' ')
if [ -z "$missing" ]; then
	ok "every spec key ($n) is in $DOCS/"
else
	not_ok "spec keys no page of $DOCS/ names: $missing"
fi
