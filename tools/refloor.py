#!/usr/bin/env python3
"""refloor.py - rewrite the project's #include lines after files moved floors.

Usage: tools/refloor.py [FILE...]   (default: every .c/.h in the tree)

Each `#include "x"` is resolved against the old layout (relative to the
including file, else to the repository root, as tests/ include with -I.);
if it names a moved file, it is rewritten to the new place, relative to the
including file (root-relative for files under tests/). A file that moved
itself has its includes resolved from where it was, so its own relative
includes follow it. Run it on a branch that still uses the old paths after
merging a floor move (a file a branch added under an old folder: move it
to the new folder first, then run this)."""
import os, re, sys

MOVED = {
    "harness/clock.h": "lib/clock.h",
    "harness/config.h": "lib/config.h",
    "harness/util.h": "lib/util.h",
    "harness/hist.h": "lib/hist.h",
    "harness/stats.h": "lib/stats.h",
    "harness/sched.h": "lib/sched.h",
    "harness/probe.h": "lib/probe.h",
    "harness/sweep/cmdutil.h": "lib/cmdutil.h",
    "harness/sweep/matrix.h": "plots/matrix.h",
    "harness/commands.h": "cmd/commands.h",
}
# issue 24: harness/sweep/ split into the spec language, the result-set
# format, the sweep commands (what stays) and the ceiling command
WAVE24 = {
    "spec": ["spec.h", "spec_int.h", "spec_expand.c", "spec_expr.c", "spec_keys.c",
             "spec_parse.c"],
    "set": ["cells.h", "cells.c", "cells_csv.c", "hyperfine.c", "meta.h", "meta.c",
            "meta_json.c", "setio.h", "setio.c", "sustain.h", "sustain.c"],
    "ceiling": ["ceiling.h", "ceiling.c", "ceiling_limits.c"],
}
for folder, names in WAVE24.items():
    for n in names:
        MOVED["harness/sweep/" + n] = "harness/%s/%s" % (folder, n)
MOVED["harness/floor.h"] = "harness/request_cpu.h"
MOVED["harness/floor.c"] = "harness/request_cpu.c"
CAME_FROM = {new: old for old, new in MOVED.items()}
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
INC = re.compile(r'^(\s*#\s*include\s*")([^"]+)(".*)$')


def exists(rel):
    return os.path.exists(os.path.join(ROOT, rel))


def target(inc, d, old_d):
    """The file an include names, in the new layout, or None (leave it)."""
    cands = []
    if old_d is not None:
        cands.append(os.path.normpath(os.path.join(old_d, inc)))
    cands += [os.path.normpath(os.path.join(d, inc)), os.path.normpath(inc)]
    for c in cands:
        if c in MOVED:
            return MOVED[c]
        if exists(c):
            return c
    return None


def fix(path):
    rel = os.path.relpath(os.path.abspath(path), ROOT)
    d = os.path.dirname(rel)
    old = CAME_FROM.get(rel)
    # a file that moved: its includes were written from its old folder
    old_d = os.path.dirname(old) if old and not exists(old) else None
    out, changed = [], False
    with open(path) as f:
        lines = f.readlines()
    for line in lines:
        m = INC.match(line)
        if m:
            inc = m.group(2)
            new = target(inc, d, old_d)
            if new is not None:
                if rel.startswith("tests/"):
                    newinc = new
                else:
                    newinc = os.path.relpath(new, d or ".")
                if newinc != inc and os.path.normpath(os.path.join(d, inc)) != new:
                    line = m.group(1) + newinc + m.group(3) + "\n"
                    changed = True
        out.append(line)
    if changed:
        with open(path, "w") as f:
            f.writelines(out)
        print("fixed", rel)


files = sys.argv[1:]
if not files:
    for dp, dn, fn in os.walk(ROOT):
        dn[:] = [x for x in dn if not x.startswith(".") and not x.startswith("build")]
        files += [os.path.join(dp, x) for x in fn if x.endswith((".c", ".h"))]
for p in files:
    fix(p)
