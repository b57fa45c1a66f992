/* svg.c - a gnuplot SVG of the set, inline in the page, filtered.
 *
 * The file is data from anywhere, so it is parsed (libxml2, no network,
 * no entity expansion, no DTD) and written again from the tree: only the
 * drawing elements below, only the attributes below, a reference only to
 * an id inside the same chart (href="#x", url(#x)), text escaped. Scripts,
 * event handlers, foreignObject, images, style sheets and links to
 * anywhere are dropped. Each chart's ids get the chart's name as a prefix,
 * so the charts of one page do not share ids. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "report.h"

static const char *const elements[] = {
	"svg",	   "g",		  "path",     "text",		"tspan",   "rect",
	"circle",  "line",	  "polyline", "polygon",	"ellipse", "defs",
	"use",	   "title",	  "desc",     "clipPath",	"pattern", "filter",
	"feFlood", "feComposite", "symbol",   "linearGradient", "stop",	   NULL,
};

static const char *const attributes[] = {
	"x",
	"y",
	"x1",
	"y1",
	"x2",
	"y2",
	"cx",
	"cy",
	"r",
	"rx",
	"ry",
	"width",
	"height",
	"d",
	"points",
	"transform",
	"fill",
	"stroke",
	"stroke-width",
	"stroke-linecap",
	"stroke-linejoin",
	"stroke-dasharray",
	"stroke-opacity",
	"fill-opacity",
	"opacity",
	"font-family",
	"font-size",
	"font-weight",
	"font-style",
	"text-anchor",
	"dominant-baseline",
	"viewBox",
	"id",
	"href",
	"clip-path",
	"color",
	"class",
	"shape-rendering",
	"filter",
	"filterUnits",
	"flood-color",
	"flood-opacity",
	"in",
	"operator",
	"result",
	"patternUnits",
	"clipPathUnits",
	"offset",
	"stop-color",
	"preserveAspectRatio",
	"dx",
	"dy",
	NULL,
};

static bool listed(const char *const *list, const char *name)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

/* A value is harmless when it names nothing outside the chart: no url()
 * but url(#id), no scheme, no markup. Returns the id it references
 * (after '#') or NULL, through *ref. */
static bool value_ok(const char *name, const char *v)
{
	const char *u;

	if (strpbrk(v, "<>\\"))
		return false;
	if (strcmp(name, "href") == 0)
		return v[0] == '#' && !strpbrk(v, "():; ");
	for (u = strstr(v, "url("); u; u = strstr(u + 4, "url("))
		if (u[4] != '#')
			return false;
	return !strchr(v, ':') || strcmp(name, "font-family") == 0;
}

/* v with "#id" and "url(#id)" references prefixed. */
static void put_value(FILE *f, const char *prefix, const char *name, const char *v)
{
	if (strcmp(name, "id") == 0) {
		html_esc(f, prefix);
		fputc('-', f);
		html_esc(f, v);
		return;
	}
	if (strcmp(name, "href") == 0) {
		fputc('#', f);
		html_esc(f, prefix);
		fputc('-', f);
		html_esc(f, v + 1);
		return;
	}
	for (const char *u; (u = strstr(v, "url(#"));) {
		html_esc_n(f, v, (size_t)(u - v) + 5);
		html_esc(f, prefix);
		fputc('-', f);
		v = u + 5;
	}
	html_esc(f, v);
}

static void put_node(FILE *f, xmlNode *n, const char *prefix, const char *title, int depth)
{
	for (; n; n = depth == 0 ? NULL : n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				html_esc(f, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || !listed(elements, (const char *)n->name) ||
		    depth > 64)
			continue;
		fprintf(f, "<%s", (const char *)n->name);
		if (depth == 0)
			fputs(" role=\"img\" class=\"chart\"", f);
		for (xmlAttr *a = n->properties; a; a = a->next) {
			const char *name = (const char *)a->name;
			xmlChar *v;

			if (!listed(attributes, name) ||
			    (depth == 0 &&
			     (strcmp(name, "width") == 0 || strcmp(name, "height") == 0)))
				continue;
			v = xmlNodeListGetString(n->doc, a->children, 1);
			if (v && value_ok(name, (const char *)v)) {
				fprintf(f, " %s=\"", strcmp(name, "href") == 0 ? "href" : name);
				put_value(f, prefix, name, (const char *)v);
				fputc('"', f);
			}
			xmlFree(v);
		}
		if (depth == 0) {
			fputs(" aria-label=\"", f);
			html_esc(f, title);
			fputc('"', f);
		}
		fputc('>', f);
		put_node(f, n->children, prefix, title, depth + 1);
		fprintf(f, "</%s>", (const char *)n->name);
		if (depth <= 1)
			fputc('\n', f);
	}
}

int report_svg(FILE *f, const struct set *s, const char *name, const char *title)
{
	char path[PLOTS_PATH_LEN];
	xmlDoc *doc;
	xmlNode *root;

	snprintf(path, sizeof(path), "%s/%s.svg", s->dir, name);
	if (access(path, R_OK) != 0)
		return -ENOENT;
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc)
		return errno == ENOENT ? -ENOENT : -EINVAL;
	root = xmlDocGetRootElement(doc);
	if (!root || strcmp((const char *)root->name, "svg") != 0) {
		xmlFreeDoc(doc);
		return -EINVAL;
	}
	put_node(f, root, name, title, 0);
	xmlFreeDoc(doc);
	return 0;
}
