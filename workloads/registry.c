/* registry.c - the table of workloads; `cmbench list` prints it. */
#include <string.h>

#include "workload.h"

const struct workload_ops *const workload_table[] = {
	&workload_io,
	&workload_cpu,
	&workload_mixed,
	NULL,
};

const struct workload_ops *workload_find(const char *name)
{
	for (size_t i = 0; workload_table[i]; i++)
		if (strcmp(workload_table[i]->name, name) == 0)
			return workload_table[i];
	return NULL;
}
