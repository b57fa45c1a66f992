/* pylib.c - the library flags of the foreign models (pylib.h). */
#include "pylib.h"

static const char *const py_http_libs[] = { "default",	   "streams",  "aiohttp", "httpx",
					    "http.client", "requests", NULL };
const char *const wl_py_pg_libs[] = { "default",  "asyncpg",	"psycopg",
				      "psycopg2", "sqlalchemy", NULL };
const char *const wl_py_file_libs[] = { "default", "open", "aiofiles", "to_thread", NULL };

const struct wl_flag wl_py_http_flags[] = {
	{ "py-http", "LIB",
	  "Python models' HTTP client: streams|aiohttp|httpx on a loop, "
	  "http.client|requests|httpx elsewhere and in the blocking workload",
	  WLF_CHOICE, WL_PY_LIB, 0, 0, 0, py_http_libs },
	{ NULL, NULL, NULL, 0, 0, 0, 0, 0, NULL },
};
