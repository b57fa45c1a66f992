/* commands.h - the command registry: one table {name, summary, fn} that
 * drives both dispatch and `cmbench --help`. Each fn takes argv with
 * argv[0] set to its own name and returns the exit status: 0 ok, 1 the
 * work failed, 2 bad usage. Exit statuses are decided only here, at the
 * command boundary; everything below returns 0 or -errno. */
#ifndef CMB_COMMANDS_H
#define CMB_COMMANDS_H

#include <stddef.h>

struct command {
	const char *name;    /* cmbench NAME */
	const char *summary; /* one line for --help */
	int (*fn)(int argc, char **argv);
};

extern const struct command command_table[]; /* {NULL}-terminated */

int run_main(int argc, char **argv);	   /* harness/main.c: cmbench run */
int list_main(int argc, char **argv);	   /* harness/main.c: cmbench list */
int calibrate_main(int argc, char **argv); /* harness/main.c: cmbench calibrate */
int server_main(int argc, char **argv);	   /* server/: cmbench serve */
int sweep_main(int argc, char **argv);	   /* cmbench sweep SPEC ... */
int merge_main(int argc, char **argv);	   /* cmbench merge OUT DIR... */
int compare_main(int argc, char **argv);   /* cmbench compare A B */
int plots_main(int argc, char **argv);	   /* cmbench plots DIR */
int ceiling_main(int argc, char **argv);   /* harness/sweep/ceiling.c: cmbench ceiling */
int claims_main(int argc, char **argv);	   /* claims/: cmbench claims [-o DIR] */
int worker_main(int argc, char **argv);	   /* models/process_per_task.c: cmbench __worker */

#endif
