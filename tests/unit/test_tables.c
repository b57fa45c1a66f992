/* test_tables.c - the model and workload tables: every model has the
 * traits the charts and the matrix ask for (label, colour, distinct names
 * and colours, cpu lanes), and every workload a label and a way to run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "unit.h"

#include "models/model.h"
#include "workloads/workload.h"

static void test_traits(void **state)
{
	(void)state;
	for (size_t i = 0; model_table[i]; i++) {
		const struct model_ops *m = model_table[i];

		assert_non_null(m->name);
		assert_non_null(m->summary);
		assert_non_null(m->label);
		assert_non_null(m->color);
		assert_int_equal(strlen(m->color), 7);
		assert_ptr_equal(model_find(m->name), m);
		for (size_t k = 0; k < i; k++) /* distinct names and colours */
			assert_true(strcmp(model_table[k]->name, m->name) != 0 &&
				    strcmp(model_table[k]->color, m->color) != 0);
		assert_true(model_cpu_lanes(m, 8, 2) >= 1);
	}
	for (size_t i = 0; workload_table[i]; i++) {
		const struct workload_ops *w = workload_table[i];

		assert_non_null(w->label);
		assert_ptr_equal(workload_find(w->name), w);
		assert_true(w->start || w->run_blocking);
		assert_true(!w->blocking_only || !w->start);
	}
	assert_ptr_equal(workload_by_parts(true, false), workload_find("io"));
	assert_ptr_equal(workload_by_parts(false, true), workload_find("cpu"));
	assert_ptr_equal(workload_by_parts(true, true), workload_find("mixed"));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_traits),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
