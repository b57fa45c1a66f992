#!/bin/bash
# runner.sh - tests/run.sh itself, on a planted tree (TESTS_ROOT): each unit
# case runs alone, so a case that hangs, crashes or fails loses that case and
# is named, and the cases after it still run; a binary that cannot list its
# cases, a test file missing from tests/TESTS, a table line with no file and
# a malformed line each fail the run with one line naming them. Then the
# real tree's table matches its files (TESTS=check).
. "$(dirname "$0")/lib.sh"
UNIT_INC=$(cd "$(dirname "$0")/../unit" && pwd)
R=$TMP/tree
mkdir -p "$R/tests/unit" "$R/tests/it" "$R/build/tests"

cat >"$R/tests/unit/test_p.c" <<'EOF'
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

static void test_good(void **s) { (void)s; assert_int_equal(2, 1 + 1); }
static void test_hang(void **s) { (void)s; for (;;) pause(); }
static void test_crash(void **s) { (void)s; abort(); }
static void test_wrong(void **s) { (void)s; assert_int_equal(1, 2); }
static void test_after(void **s) { (void)s; assert_true(1); }

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),  cmocka_unit_test(test_hang),
		cmocka_unit_test(test_crash), cmocka_unit_test(test_wrong),
		cmocka_unit_test(test_after),
	};
	return unit_run(argc, argv, tests, NULL, NULL);
}
EOF
# a binary whose main is cmocka's own: it cannot list its cases
cat >"$R/tests/unit/test_q.c" <<'EOF'
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

static void test_one(void **s) { (void)s; }

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_one) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
EOF
for t in test_p test_q; do
	cc -std=gnu11 -Wall -Wextra -Werror -I"$UNIT_INC" -o "$R/build/tests/$t" \
		"$R/tests/unit/$t.c" -lcmocka 2>"$TMP/cc.err" ||
		{ not_ok "compile $t: $(head -1 "$TMP/cc.err")"; exit 0; }
done
printf 'echo "ok - planted script"\n' >"$R/tests/it/good.sh"
printf 'echo "ok - nobody lists me"\n' >"$R/tests/it/stray.sh"
cp "$(dirname "$0")/lib.sh" "$R/tests/it/lib.sh" # sourced, never a test
cat >"$R/tests/TESTS" <<'EOF'
# a planted table
test_p   unit  2   fast
test_q   unit  2   fast
good     it    30  fast
ghost    it    30  fast
broken   unit  fast
EOF

t0=$SECONDS
TESTS_ROOT=$R UNIT_DIR=$R/build/tests TESTS=fast bash tests/run.sh >"$TMP/out" 2>&1
rc=$?
took=$((SECONDS - t0))
has() { grep -qxF -- "$1" "$TMP/out"; }
lacks() { ! grep -q -- "$@"; }
check "a good case passes alone" has "ok - test_p test_good"
check "a hanging case is one failure, named, after its own timeout" \
	has "not ok - test_p test_hang: timed out after 2 s (its limit in tests/TESTS)"
check "a crashing case is one failure, named" has "not ok - test_p test_crash: killed by signal 6 (ABRT)"
check "a failing case is one failure, named" has "not ok - test_p test_wrong: failed"
check "the case after a hang and a crash still runs" has "ok - test_p test_after"
check "a binary that cannot list its cases fails, named" \
	grep -q "^not ok - test_q: --list named no cases" "$TMP/out"
check "a test file not in the table fails, named" \
	has "not ok - $R/tests/it/stray.sh: not in tests/TESTS (add the line: stray it SECONDS fast|slow)"
check "a table line with no file fails, named" \
	has "not ok - tests/TESTS: ghost: no file $R/tests/it/ghost.sh"
check "a malformed table line fails, named" \
	has "not ok - tests/TESTS:6: 'broken   unit  fast' is not NAME unit|it SECONDS fast|slow"
check "lib.sh is not a test" lacks "lib.sh" "$TMP/out"
check "the script of the table runs" has "ok - planted script"
check "the last line counts them: 3 passed, 7 failed" test "$(tail -1 "$TMP/out")" = "3 passed, 7 failed"
check "the run fails" test "$rc" -ne 0
check "one hang costs its own timeout, not the binary's (took ${took} s)" test "$took" -lt 20

TESTS_ROOT=$R UNIT_DIR=$R/build/tests bash tests/run.sh good >"$TMP/one" 2>&1
check "a name picks one test" grep -qxF "ok - planted script" "$TMP/one"
check "a name runs nothing else" lacks "test_p" "$TMP/one"
check "a name not in the table fails" sh -c "TESTS_ROOT='$R' bash tests/run.sh nosuch | grep -qxF 'not ok - nosuch: not a test of tests/TESTS'"

# the real tree: every test file in the table, every line with its file
TESTS=check bash tests/run.sh >"$TMP/real" 2>&1
check "tests/TESTS matches tests/unit and tests/it ($(grep -c '^not ok' "$TMP/real") mismatches)" \
	test "$(tail -1 "$TMP/real")" = "0 passed, 0 failed"
grep '^not ok' "$TMP/real" | sed 's/^/# /'
