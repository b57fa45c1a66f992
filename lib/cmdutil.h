/* cmdutil.h - what the offline commands (sweep, merge, compare, plots)
 * share: one way to say a problem, one error convention, one way to read
 * flags.
 *
 * Functions return 0 or a negative code: -errno, or -CMD_EUSAGE when the
 * input is wrong (a flag, a spec, a result set) and the message has been
 * said. Only a command's main function turns a code into an exit status:
 * 0 ok, 1 failed, 2 usage. */
#ifndef CMB_CMDUTIL_H
#define CMB_CMDUTIL_H

#include <getopt.h>

#define CMD_EUSAGE 4096	 /* the input is wrong: exit 2 (beyond every errno) */
#define CMD_EFAILED 4097 /* the work ran and some of it failed: exit 1 */

/* One line "cmbench CMD: ..." on stderr. */
void cmd_say(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The exit status for a code: 0 for 0, 2 for -CMD_EUSAGE, else 1. */
int cmd_exit(int rc);

/* getopt_long over argv (argv[0] is the command), one call per flag: the
 * option's value, -1 at the end, or '?' after saying what was wrong with
 * the flag (unknown, or a missing value). Set optind = 0 before the first
 * call (a fresh start). Positional arguments are left in
 * argv[optind..argc) in their order. */
int cmd_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
	       const struct option *longopts);

#endif
