/* commands.h - the command registry: one table {name, summary, fn} that
 * drives both dispatch and `cmbench --help`. Each fn takes argv with
 * argv[0] set to its own name and returns the exit status: 0 ok, 1 the
 * work failed, 2 bad usage. Exit statuses are decided only in a command's
 * main; everything below returns 0 or -errno. This is the top floor: it
 * includes every floor it dispatches to, and nothing includes it. */
#ifndef CMB_COMMANDS_H
#define CMB_COMMANDS_H

#include <stddef.h>

struct command {
	const char *name;    /* cmbench NAME */
	const char *summary; /* one line for --help */
	int (*fn)(int argc, char **argv);
};

extern const struct command command_table[]; /* {NULL}-terminated */

/* the commands of cmd/main.c; every other command's main is declared in
 * its own floor's header (server.h, sweep.h, ceiling.h, plots/report/main.h,
 * claims.h, lib/verdict_sim.h) */
int run_main(int argc, char **argv);	   /* cmbench run */
int list_main(int argc, char **argv);	   /* cmbench list */
int calibrate_main(int argc, char **argv); /* cmbench calibrate */
int worker_main(int argc, char **argv);	   /* cmbench __worker */
int load_main(int argc, char **argv);	   /* cmbench __load */

#endif
