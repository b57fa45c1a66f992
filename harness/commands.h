/* commands.h - the subcommands that live outside main.c. Each takes argv
 * with argv[0] set to its own name and returns the exit status. */
#ifndef CMB_COMMANDS_H
#define CMB_COMMANDS_H

int sweep_main(int argc, char **argv);   /* sweep.c: cmbench sweep SPEC ... */
int merge_main(int argc, char **argv);   /* sweep.c: cmbench merge OUT DIR... */
int compare_main(int argc, char **argv); /* sweep.c: cmbench compare A B */
int plots_main(int argc, char **argv);   /* plots.c: cmbench plots DIR */

/* Extra entries of main.c's command table. */
#define COMMANDS_MORE                                                                    \
	{ "sweep", sweep_main }, { "merge", merge_main }, { "compare", compare_main },   \
		{ "plots", plots_main },

#endif
