/* cmdutil.c - messages, exit statuses and flags of the offline commands. */
#include "cmdutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cmd_say(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cmbench %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cmd_exit(int rc)
{
	if (rc == 0)
		return 0;
	return rc == -CMD_EUSAGE ? 2 : 1;
}

int cmd_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	char opts[64];
	int c;

	opterr = 0;
	/* ':' first: a missing value is ':', not '?' */
	snprintf(opts, sizeof(opts), ":%s", shortopts);
	c = getopt_long(argc, argv, opts, longopts, NULL);
	if (c == ':') {
		cmd_say(cmd, "%s needs a value (cmbench %s --help)", argv[optind - 1], cmd);
		return '?';
	}
	if (c == '?') {
		if (optopt)
			cmd_say(cmd, "unknown flag '-%c' (cmbench %s --help)", optopt, cmd);
		else
			cmd_say(cmd, "unknown flag '%s' (cmbench %s --help)", argv[optind - 1],
				cmd);
	}
	return c;
}
