/* claims.c - the verdicts of `cmbench claims -o DIR/claims`, when the set
 * has them: a section of its own (page.c writes its heading). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../models/model.h"
#include "../kinds.h"
#include "../verdicts/verdicts.h"
#include "findings.h"

/* The verdicts of `cmbench claims -o DIR/claims`, when the set has them:
 * the table of DIR/claims/claims.md (its lines from "| # |" on, while they
 * are table lines), and where the runs behind it are. */
static void say_claims(const struct set *s, struct finding_out *o)
{
	char path[PLOTS_PATH_LEN], line[4096];
	bool in = false;
	FILE *c;

	snprintf(path, sizeof(path), "%s/claims/claims.md", s->dir);
	if (!(c = fopen(path, "r")))
		return;
	while (fgets(line, sizeof(line), c)) {
		if (!in && strncmp(line, "| # |", 5) == 0) {
			fo_printf(
				o,
				"From `cmbench claims -o %s/claims` (the runs, the machine and its "
				"load: [claims/claims.md](claims/claims.md)).\n\n",
				s->dir);
			in = true;
		}
		if (in && line[0] != '|')
			break;
		if (in)
			fo_printf(o, "%s", line);
	}
	fclose(c);
}

const struct finding finding_claims = {
	.key = "claims",
	.section = "The article's claims",
	.family = false,
	.fn = say_claims,
};
