/* pylib.h - the library flags of the foreign (Python) models: --py-http
 * on the workloads that make the GET (io, mixed, blocking), --py-pg on
 * pg and --py-file on file. The C models ignore them; a foreign model resolves "default" to its
 * own library and refuses one that does not fit it (models/foreign.c). */
#ifndef CMB_PYLIB_H
#define CMB_PYLIB_H

#include "workload.h"

/* cfg->wl_num slot of either flag: the last, clear of the workloads' own */
#define WL_PY_LIB (CFG_WL_NUM - 1)

/* {NULL}-terminated flag lists: --py-http alone (io, mixed, blocking) */
extern const struct wl_flag wl_py_http_flags[];
/* the choices of --py-pg, for pg's own list; [0] is "default" */
extern const char *const wl_py_pg_libs[];
/* the choices of --py-file, for file's own list; [0] is "default" */
extern const char *const wl_py_file_libs[];

#endif
