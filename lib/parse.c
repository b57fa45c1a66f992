/* parse.c - the number and duration parsers every command's flags use. */
#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int parse_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int cli_parse_u64(const char *flag, const char *s, uint64_t min, uint64_t max, uint64_t *out,
		  char *err, size_t errlen)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return parse_fail(err, errlen, "%s: '%s' is not a whole number", flag, s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE || *end != '\0')
		return parse_fail(err, errlen, "%s: '%s' is not a whole number", flag, s);
	if (v < min || v > max)
		return parse_fail(err, errlen, "%s: %s is out of range (%llu to %llu)", flag, s,
				  (unsigned long long)min, (unsigned long long)max);
	*out = v;
	return 0;
}

int cli_parse_duration_us(const char *flag, const char *s, uint64_t min_us, uint64_t max_us,
			  uint64_t *out, char *err, size_t errlen)
{
	static const struct {
		const char *unit;
		double us;
	} units[] = { { "ns", 1e-3 }, { "us", 1 }, { "ms", 1e3 }, { "s", 1e6 } };
	double v = -1;
	const char *numend;
	char *end;
	size_t i;

	if (!s || !(isdigit((unsigned char)s[0]) || s[0] == '.'))
		return parse_fail(err, errlen, "%s: '%s' is not a duration (like 500us, 50ms, 2s)",
				  flag, s ? s : "");
	/* plain decimals only: no exponent, hex, sign or blanks */
	for (numend = s; isdigit((unsigned char)*numend) || *numend == '.'; numend++)
		;
	errno = 0;
	v = strtod(s, &end);
	if (errno == ERANGE || end != numend || !isfinite(v) || strchr(s, '.') != strrchr(s, '.'))
		return parse_fail(err, errlen, "%s: '%s' is not a duration (like 500us, 50ms, 2s)",
				  flag, s);
	if (*end == '\0' && v == 0) {
		if (min_us > 0)
			return parse_fail(err, errlen, "%s: '%s' must be more than zero", flag, s);
		*out = 0;
		return 0;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].unit) == 0)
			break;
	if (i == sizeof(units) / sizeof(units[0]))
		return parse_fail(err, errlen, "%s: '%s' needs a unit: ns, us, ms or s (like 50ms)",
				  flag, s);
	v = round(v * units[i].us);
	/* 2^64 as a double: (double)UINT64_MAX rounds up to it */
	if (v < (double)min_us || v > (double)max_us || v >= 18446744073709551616.0)
		return parse_fail(err, errlen, "%s: %s is out of range (%lluus to %lluus)", flag, s,
				  (unsigned long long)min_us, (unsigned long long)max_us);
	*out = (uint64_t)v;
	return 0;
}
