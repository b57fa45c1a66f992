/* registry.c - the table of findings, in the order REPORT.md writes them.
 * Adding a finding is one file in findings/ (its sentences and its struct
 * finding: key, section, whether its comparisons join the family), and its
 * extern and its entry here. */
#include <stddef.h>

#include "findings.h"

/* each finding file exports one of these (tput.c two: one per kind) */
extern const struct finding finding_memory;
extern const struct finding finding_memfit;
extern const struct finding finding_bound;
extern const struct finding finding_p99;
extern const struct finding finding_speedup;
extern const struct finding finding_offload;
extern const struct finding finding_folklore;
extern const struct finding finding_offload_pool;
extern const struct finding finding_creation;
extern const struct finding finding_stall;
extern const struct finding finding_prefork;
extern const struct finding finding_embedded_db;
extern const struct finding finding_db_server;
extern const struct finding finding_flags;
extern const struct finding finding_python;
extern const struct finding finding_python_loops;
extern const struct finding finding_libs;
extern const struct finding finding_openloop;
extern const struct finding finding_ceiling;
extern const struct finding finding_failures;
extern const struct finding finding_warnings;
extern const struct finding finding_claims;
#ifdef CMB_FIXTURES /* the fixture build only (tests/fixtures/src/) */
extern const struct finding finding_fixture;
#endif

const struct finding *const finding_table[] = {
	&finding_memory,    &finding_memfit,
	&finding_bound,	    &finding_p99,
	&finding_speedup,   &finding_offload,
	&finding_folklore,  &finding_offload_pool,
	&finding_creation,  &finding_stall,
	&finding_prefork,   &finding_embedded_db,
	&finding_db_server, &finding_flags,
	&finding_python,    &finding_python_loops,
	&finding_libs,	    &finding_openloop,
	&finding_ceiling,   &finding_failures,
	&finding_warnings,
#ifdef CMB_FIXTURES
	&finding_fixture,
#endif
	&finding_claims,    NULL,
};

size_t finding_count(void)
{
	size_t n = 0;

	while (finding_table[n])
		n++;
	return n;
}
