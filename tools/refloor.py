#!/usr/bin/env python3
"""refloor.py - rewrite the project's #include lines after files moved floors.

Usage: tools/refloor.py [FILE...]   (default: every .c/.h in the tree)

Each `#include "x"` is resolved against the old layout (relative to the
including file, else to the repository root, as tests/ include with -I.);
if it names a moved file, it is rewritten to the new place, relative to the
including file (root-relative for files under tests/). Run it on a branch
that still uses the old paths after merging the floor move."""
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
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
INC = re.compile(r'^(\s*#\s*include\s*")([^"]+)(".*)$')


def fix(path):
    rel = os.path.relpath(os.path.abspath(path), ROOT)
    d = os.path.dirname(rel)
    out, changed = [], False
    with open(path) as f:
        lines = f.readlines()
    for line in lines:
        m = INC.match(line)
        if m:
            inc = m.group(2)
            cands = [os.path.normpath(os.path.join(d, inc)), os.path.normpath(inc)]
            for c in cands:
                if c in MOVED:
                    new = MOVED[c]
                    if rel.startswith("tests/"):
                        newinc = new
                    else:
                        newinc = os.path.relpath(new, d or ".")
                    if newinc != inc:
                        line = m.group(1) + newinc + m.group(3) + "\n"
                        changed = True
                    break
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
