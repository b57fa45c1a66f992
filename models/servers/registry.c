/* registry.c - the table of server models; `cmbench list` prints it under
 * its own heading. Adding one is a file in models/servers/, its extern and
 * its entry here. */
#include <string.h>

#include "srv.h"

extern const struct server_ops server_iterative;
extern const struct server_ops server_thread_per_conn;
extern const struct server_ops server_thread_pool;
extern const struct server_ops server_prefork;
extern const struct server_ops server_loop;
extern const struct server_ops server_loop_offload;
extern const struct server_ops server_loop_reuseport;
extern const struct server_ops server_io_uring;

const struct server_ops *const server_table[] = {
	&server_iterative,
	&server_thread_per_conn,
	&server_thread_pool,
	&server_prefork,
	&server_loop,
	&server_loop_offload,
	&server_loop_reuseport,
	&server_io_uring,
	NULL,
};

const struct server_ops *server_find(const char *name)
{
	for (size_t i = 0; server_table[i]; i++)
		if (strcmp(server_table[i]->base.name, name) == 0)
			return server_table[i];
	return NULL;
}
