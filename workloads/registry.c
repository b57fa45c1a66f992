/* registry.c - the table of workloads; `cmbench list` prints it. Adding a
 * workload is one file in workloads/ and one line here. */
#include <string.h>

#include "workload.h"

/* each workload file exports one of these */
extern const struct workload_ops workload_io;
extern const struct workload_ops workload_cpu;
extern const struct workload_ops workload_mixed;
extern const struct workload_ops workload_pg;
extern const struct workload_ops workload_blocking;
extern const struct workload_ops workload_sqlite;
extern const struct workload_ops workload_wait;

const struct workload_ops *const workload_table[] = {
	&workload_io,	  &workload_cpu, &workload_mixed, &workload_blocking,
	&workload_sqlite, &workload_pg,	 &workload_wait,  NULL,
};

const struct workload_ops *workload_find(const char *name)
{
	for (size_t i = 0; workload_table[i]; i++)
		if (strcmp(workload_table[i]->name, name) == 0)
			return workload_table[i];
	return NULL;
}

const struct workload_ops *workload_by_parts(bool io, bool cpu)
{
	for (size_t i = 0; workload_table[i]; i++) {
		const struct workload_ops *w = workload_table[i];

		if ((io || cpu) && w->does_io == io && w->does_cpu == cpu && !w->blocking_only)
			return w;
	}
	return NULL;
}
