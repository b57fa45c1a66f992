/* unit.h - the main() of every unit binary, so tests/run.sh can run each
 * cmocka case in a child of its own under its own timeout: a case that
 * hangs or crashes then loses that case alone, and the log names it.
 *
 *   build/tests/test_x                 every case, in one process (cmocka's
 *                                      own output; CMOCKA_MESSAGE_OUTPUT=TAP)
 *   build/tests/test_x --list          the case names, one a line
 *   build/tests/test_x --case NAME     that case alone, with the group's
 *                                      setup and teardown around it
 *
 * A test file includes this header after <cmocka.h> and ends its main with
 *
 *   int main(int argc, char **argv) { ...tests[] = {...};
 *           return unit_run(argc, argv, tests, setup, teardown); }
 *
 * Bad arguments: one line on stderr, exit 2. */
#ifndef CMB_TESTS_UNIT_H
#define CMB_TESTS_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_main(int argc, char **argv, const char *group, const struct CMUnitTest *t, size_t n,
		     CMFixtureFunction setup, CMFixtureFunction teardown)
{
	if (argc == 1)
		return _cmocka_run_group_tests(group, t, n, setup, teardown);
	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", t[i].name);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (argc == 3 && strcmp(argv[1], "--case") == 0) {
		for (size_t i = 0; i < n; i++)
			if (strcmp(t[i].name, argv[2]) == 0)
				return _cmocka_run_group_tests(group, &t[i], 1, setup, teardown);
		fprintf(stderr, "%s: no case '%s' (--list names them)\n", argv[0], argv[2]);
		return 2;
	}
	fprintf(stderr, "usage: %s [--list | --case NAME]\n", argv[0]);
	return 2;
}

#define unit_run(argc, argv, tests, setup, teardown)                                               \
	unit_main(argc, argv, #tests, tests, sizeof(tests) / sizeof((tests)[0]), setup, teardown)

#endif
