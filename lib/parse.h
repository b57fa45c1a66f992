/* parse.h - numbers and durations from the command line. Each function
 * that rejects its input writes one line (no newline) into err and returns
 * -EINVAL; 0 means the value was good. */
#ifndef CMB_PARSE_H
#define CMB_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define PARSE_ERR_MAX 512 /* room for the one line a parser writes */

/* One printf-style line into err; returns -EINVAL (the error convention). */
int parse_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A whole number in [min, max]. No sign, no suffix. */
int cli_parse_u64(const char *flag, const char *s, uint64_t min, uint64_t max, uint64_t *out,
		  char *err, size_t errlen);
/* A duration with a unit (ns, us, ms, s; decimals allowed; "0" alone is
 * fine), as whole microseconds (rounded), in [min_us, max_us]. */
int cli_parse_duration_us(const char *flag, const char *s, uint64_t min_us, uint64_t max_us,
			  uint64_t *out, char *err, size_t errlen);

#endif
