/* sweep.c - placeholder until the sweep lands (being written now). */
#include <stdio.h>

#include "commands.h"

int sweep_main(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "cmbench %s: not built yet\n", argv[0]);
	return 2;
}

int merge_main(int argc, char **argv)
{
	return sweep_main(argc, argv);
}

int compare_main(int argc, char **argv)
{
	return sweep_main(argc, argv);
}
