/* cpus.h - CPU lists ("0", "1-3", "0,2-3") as the placement flags give
 * them (--server-cpus, --client-cpus), and the machine's usable CPUs. */
#ifndef CMB_CPUS_H
#define CMB_CPUS_H

#include <sched.h> /* cpu_set_t: the includer defines _GNU_SOURCE first */
#include <stddef.h>

/* A list of CPU numbers and ranges into set: 0, or -EINVAL (empty, not a
 * list, a range backwards, a CPU past CPU_SETSIZE). */
int cpus_parse(const char *s, cpu_set_t *set);
/* set as the shortest list ("0-3,6"); "" when empty. Returns buf. */
const char *cpus_format(const cpu_set_t *set, char *buf, size_t cap);
/* The CPUs this process may run on (sched_getaffinity). 0 or -errno. */
int cpus_usable(cpu_set_t *set);
/* The CPU numbers of set in order, at most cap of them; how many there are. */
int cpus_list(const cpu_set_t *set, int *out, int cap);
/* Pin the calling process (its threads and children to come) to list;
 * "" or NULL leaves it as it is. 0 or -errno. */
int cpus_pin(const char *list);

#endif
