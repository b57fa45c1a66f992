/* main.h - the two commands of plots/, for cmd/: `cmbench plots DIR` and
 * `cmbench report DIR`; each returns its exit status (0 ok, 1 failed, 2
 * usage). */
#ifndef CMB_PLOTS_MAIN_H
#define CMB_PLOTS_MAIN_H

int plots_main(int argc, char **argv);	/* main.c */
int report_main(int argc, char **argv); /* page.c */

#endif
