/* plots.c - placeholder until the charts land (being written now). */
#include <stdio.h>

#include "commands.h"

int plots_main(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "cmbench %s: not built yet\n", argv[0]);
	return 2;
}
