/* text.c - numbers and words of the charts and reports: counts with
 * separators, the criteria's values in their units, the names of workload
 * regimes (from the workload table), and a string as JSON. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../lib/util.h"
#include "../workloads/workload.h"
#include "set.h"

const char *plots_count(double v, char *b, size_t n)
{
	char raw[32];
	size_t len, o = 0;

	snprintf(raw, sizeof(raw), "%.0f", v);
	len = strlen(raw);
	for (size_t i = 0; i < len && o + 2 < n; i++) {
		if (i > 0 && raw[i - 1] != '-' && (len - i) % 3 == 0)
			b[o++] = ',';
		b[o++] = raw[i];
	}
	b[o] = '\0';
	return b;
}

const char *plots_crit_value(size_t k, double v, char *b, size_t n)
{
	if (plots_criteria[k].m == M_MAKESPAN)
		return fmt_us(b, n, v * 1e6, FMT_PROSE);
	if (plots_criteria[k].m == M_P99)
		return fmt_us(b, n, v, FMT_PROSE);
	return fmt_kib(b, n, v, FMT_PROSE);
}

const char *plots_p99_text(double us, double nsamples, char *b, size_t n)
{
	char v[48];

	fmt_us(v, sizeof(v), us, FMT_PROSE);
	if (isfinite(nsamples) && nsamples > 0 && nsamples < PLOTS_P99_MIN_SAMPLES)
		snprintf(b, n, "max of n=%.0f: %s", nsamples, v);
	else
		snprintf(b, n, "%s", v);
	return b;
}

const char *plots_cell_value(const struct cell *c, size_t k, double v, char *b, size_t n)
{
	if (plots_criteria[k].m == M_P99)
		return plots_p99_text(v, c ? c->tasks : NAN, b, n);
	return plots_crit_value(k, v, b, n);
}

/* The name of the plain workload with these parts, or a description. */
static const char *parts_name(bool io, bool cpu)
{
	const struct workload_ops *w = workload_by_parts(io, cpu);

	return w ? w->name : io && cpu ? "both" : io ? "waiting" : "computing";
}

/* "io-bound (0% cpu)", "mixed (50% cpu)", "cpu-bound (100% cpu)". */
const char *plots_regime(double share, char *b, size_t n)
{
	if (share <= 0)
		snprintf(b, n, "%s-bound (0%% cpu)", parts_name(true, false));
	else if (share >= 100)
		snprintf(b, n, "%s-bound (100%% cpu)", parts_name(false, true));
	else
		snprintf(b, n, "%s (%g%% cpu)", parts_name(true, true), share);
	return b;
}

/* The regime of a folklore line's range of shares: the io workload's name
 * and "-bound" for 0, the cpu workload's for 100, the mixed one's for
 * 1-99, else a range like "10-40% cpu". */
const char *plots_regime_range(int lo, int hi, char *b, size_t n)
{
	if (hi == 0)
		snprintf(b, n, "%s-bound", parts_name(true, false));
	else if (lo == 100)
		snprintf(b, n, "%s-bound", parts_name(false, true));
	else if (lo == 1 && hi == 99)
		snprintf(b, n, "%s", parts_name(true, true));
	else
		snprintf(b, n, "%d–%d%% cpu", lo, hi);
	return b;
}

const char *plots_cores(const struct set *s, char *b, size_t n)
{
	if (s->meta.cores <= 0)
		snprintf(b, n, "?");
	else
		snprintf(b, n, "%d", s->meta.cores);
	return b;
}

void plots_list_add(char *list, size_t n, const char *word)
{
	size_t len = strlen(list);

	snprintf(list + len, n - len, "%s%s", len ? " " : "", word);
}

void plots_join(char *b, size_t n, size_t i, size_t count, const char *item)
{
	size_t o = strlen(b);

	snprintf(b + o, n - o, "%s%s", i == 0 ? "" : i + 1 == count ? " and " : ", ", item);
}

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&' || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			fprintf(f, "\\u20%s", p[2] == 0xa8 ? "28" : "29");
			p += 2;
		} else
			fputc(*p, f);
	}
	fputc('"', f);
}
