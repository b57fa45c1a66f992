/* html.c - escaping for the page, and the markdown subset of a finding's
 * text (and of claims.md's table, which the claims finding carries) as
 * HTML. Every byte of a result set passes through html_esc or json_str
 * (../text.c) on its way into report.html; a link in the markdown keeps
 * only its text, so no address from the set reaches the page. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

void html_esc_n(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			if (c >= 0x20 || c == '\t' || c == '\n')
				fputc(c, f);
		}
	}
}

void html_esc(FILE *f, const char *s)
{
	html_esc_n(f, s, strlen(s));
}

/* The closing marker of an inline span starting at s (after the opener). */
static const char *span_end(const char *s, const char *mark)
{
	const char *e = strstr(s, mark);

	return e && e > s ? e : NULL;
}

/* After the target of a link whose "](" is at e, or NULL. */
static const char *link_end(const char *e)
{
	int depth = 0;

	for (e += 1; *e; e++) {
		depth += *e == '(';
		depth -= *e == ')';
		if (depth == 0)
			return e + 1;
	}
	return NULL;
}

void html_inline_md(FILE *f, const char *s)
{
	const char *e;

	while (*s) {
		if (s[0] == '*' && s[1] == '*' && (e = span_end(s + 2, "**"))) {
			fputs("<strong>", f);
			html_esc_n(f, s + 2, (size_t)(e - s - 2));
			fputs("</strong>", f);
			s = e + 2;
		} else if (s[0] == '`' && (e = span_end(s + 1, "`"))) {
			fputs("<code>", f);
			html_esc_n(f, s + 1, (size_t)(e - s - 1));
			fputs("</code>", f);
			s = e + 1;
		} else if (s[0] == '[' && (e = strstr(s, "](")) && link_end(e)) {
			/* a link: its text only */
			html_esc_n(f, s + 1, (size_t)(e - s - 1));
			s = link_end(e);
		} else if (s[0] == '!' && s[1] == '[' && (e = strstr(s, "](")) && link_end(e)) {
			s = link_end(e); /* an image: the page has its own */
		} else {
			size_t n = strcspn(s + 1, "*`[!") + 1;

			html_esc_n(f, s, n);
			s += n;
		}
	}
}

/* One table row "| a | b |" as <tr>, th when head. */
static void table_row(FILE *f, const char *line, bool head)
{
	const char *p = line + 1, *e;
	char *cell;

	fputs("<tr>", f);
	while (*p && (e = strchr(p, '|'))) {
		cell = strndup(p, (size_t)(e - p));
		if (!cell)
			break;
		fputs(head ? "<th scope=\"col\">" : "<td>", f);
		{
			char *a = cell, *z = cell + strlen(cell);

			while (*a == ' ')
				a++;
			while (z > a && z[-1] == ' ')
				*--z = '\0';
			html_inline_md(f, a);
		}
		fputs(head ? "</th>" : "</td>", f);
		free(cell);
		p = e + 1;
	}
	fputs("</tr>\n", f);
}

enum block { B_NONE, B_P, B_TABLE, B_UL, B_UL2 };

static void close_to(FILE *f, enum block *b, enum block want)
{
	while (*b != want && *b != B_NONE) {
		switch (*b) {
		case B_P:
			fputs("</p>\n", f);
			*b = B_NONE;
			break;
		case B_TABLE:
			fputs("</tbody></table></div>\n", f);
			*b = B_NONE;
			break;
		case B_UL2:
			fputs("</li></ul>\n", f);
			*b = B_UL;
			break;
		case B_UL:
			fputs("</li></ul>\n", f);
			*b = B_NONE;
			break;
		default:
			*b = B_NONE;
		}
		if (want == B_UL && *b == B_UL)
			break;
	}
}

void html_md(FILE *f, const char *md, int shift)
{
	enum block b = B_NONE;
	bool head = false;
	const char *p = md;

	while (*p) {
		size_t n = strcspn(p, "\n");
		char *line = strndup(p, n);

		p += n + (p[n] == '\n');
		if (!line)
			break;
		if (line[0] == '#') {
			int lv = (int)strspn(line, "#");

			close_to(f, &b, B_NONE);
			lv = lv + shift > 6 ? 6 : lv + shift;
			fprintf(f, "<h%d>", lv);
			html_inline_md(f, line + strspn(line, "# "));
			fprintf(f, "</h%d>\n", lv);
		} else if (line[0] == '|') {
			if (b != B_TABLE) {
				close_to(f, &b, B_NONE);
				fputs("<div class=\"scroll\"><table><thead>", f);
				b = B_TABLE;
				head = true;
			}
			if (strncmp(line, "|---", 4) == 0 || strncmp(line, "| ---", 5) == 0) {
				fputs("</thead><tbody>\n", f);
				head = false;
			} else
				table_row(f, line, head);
		} else if (strncmp(line, "- ", 2) == 0) {
			if (b == B_UL2)
				close_to(f, &b, B_UL);
			if (b == B_UL)
				fputs("</li>\n<li>", f);
			else {
				close_to(f, &b, B_NONE);
				fputs("<ul>\n<li>", f);
				b = B_UL;
			}
			html_inline_md(f, line + 2);
		} else if (strncmp(line, "  - ", 4) == 0 && (b == B_UL || b == B_UL2)) {
			fputs(b == B_UL ? "\n<ul><li>" : "</li>\n<li>", f);
			b = B_UL2;
			html_inline_md(f, line + 4);
		} else if (line[strspn(line, " ")] == '\0') {
			close_to(f, &b, B_NONE);
		} else {
			if (b != B_P && b != B_UL && b != B_UL2) {
				close_to(f, &b, B_NONE);
				fputs("<p>", f);
				b = B_P;
			} else
				fputc(' ', f);
			html_inline_md(f, line + strspn(line, " "));
		}
		free(line);
	}
	close_to(f, &b, B_NONE);
}

void html_finding(FILE *f, const struct finding_out *o, int shift)
{
	char *md = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&md, &len);

	if (!m)
		return;
	finding_md(o, m);
	if (fclose(m) == 0)
		html_md(f, md, shift);
	free(md);
}
