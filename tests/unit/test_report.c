/* test_report.c - what keeps report.html inert (plots/report/html.c,
 * plots/report/svg.c): every byte from a result set escaped in text, in
 * JSON inside <script>, in markdown; an SVG rewritten from its drawing
 * elements only, its ids prefixed, every outside reference dropped. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#include "plots/report/report.h"

/* What fn(f, arg) writes, malloc'd. */
static char *out_of(void (*fn)(FILE *, const char *), const char *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, arg);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void md2(FILE *f, const char *s)
{
	html_md(f, s, 2);
}

static void test_html_esc(void **state)
{
	char *o = out_of(html_esc, "<script>a&b\"c'd</script>\x01");

	(void)state;
	assert_string_equal(o, "&lt;script&gt;a&amp;b&quot;c&#39;d&lt;/script&gt;");
	free(o);
}

static void test_json_str(void **state)
{
	/* </script> cannot end the data block; U+2028 is escaped too */
	char *o = out_of(json_str, "a\"\\</script>\n\xe2\x80\xa8&");

	(void)state;
	assert_string_equal(o, "\"a\\\"\\\\\\u003c/script\\u003e\\u000a\\u2028\\u0026\"");
	free(o);
}

static void test_markdown(void **state)
{
	char *o = out_of(
		md2,
		"## T <i>\n\n| a | b |\n|---|---|\n| **<b>x</b>** | [t](javascript:alert(1)) |\n"
		"\n- one `<s>`\n  - two\n");

	(void)state;
	assert_non_null(strstr(o, "<h4>T &lt;i&gt;</h4>"));
	assert_non_null(strstr(o, "<td><strong>&lt;b&gt;x&lt;/b&gt;</strong></td><td>t</td>"));
	assert_non_null(strstr(o, "<code>&lt;s&gt;</code>"));
	assert_null(strstr(o, "javascript"));
	assert_null(strstr(o, "<b>"));
	free(o);
}

static void test_svg_filter(void **state)
{
	char dir[] = "/tmp/test_report.XXXXXX", path[64];
	struct set s = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/c.svg", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
	      "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	      "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
	      "width=\"10\" onload=\"alert(1)\" viewBox=\"0 0 10 10\"><script>alert(2)</script>"
	      "<defs><path id=\"p\" d=\"M0,0\"/></defs><use xlink:href=\"#p\" fill=\"url(#p)\"/>"
	      "<use xlink:href=\"http://evil/#p\"/><rect fill=\"url(http://evil/)\" "
	      "style=\"x\" x=\"1\"/><text>&x;&lt;b&gt;</text><foreignObject><p>hi</p>"
	      "</foreignObject></svg>",
	      f);
	fclose(f);
	s.dir = dir;
	f = open_memstream(&buf, &len);
	assert_int_equal(report_svg(f, &s, "c", "T<"), 0);
	fclose(f);
	assert_non_null(strstr(buf, "<svg role=\"img\" class=\"chart\" viewBox=\"0 0 10 10\" "
				    "aria-label=\"T&lt;\">"));
	assert_non_null(strstr(buf, "<path id=\"c-p\" d=\"M0,0\">"));
	assert_non_null(strstr(buf, "<use href=\"#c-p\" fill=\"url(#c-p)\">"));
	assert_non_null(strstr(buf, "<text>&lt;b&gt;</text>"));
	assert_non_null(strstr(buf, "<rect x=\"1\">"));
	assert_null(strstr(buf, "evil"));
	assert_null(strstr(buf, "alert"));
	assert_null(strstr(buf, "passwd"));
	assert_null(strstr(buf, "foreignObject"));
	assert_null(strstr(buf, "style"));
	free(buf);
	assert_int_equal(report_svg(stdout, &s, "missing", "m"), -ENOENT);
	unlink(path);
	rmdir(dir);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_esc),
		cmocka_unit_test(test_json_str),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_svg_filter),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
