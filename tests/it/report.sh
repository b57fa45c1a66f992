#!/bin/bash
# report.sh - `cmbench report` end to end: the page of the small real set
# (tests/fixtures/results-small) is one self-contained file, and headless
# Chromium, with the network off, opens it without a console message and
# shows for three URL fragments the models of the same cells of
# decision-matrix.md (tests/it/helpers/browse.py), and takes a screenshot.
# Bad input: one line and exit 2. A hostile set (markup and quotes in
# meta.json, scripts and outside links in an SVG): every value escaped,
# nothing of it executed, no request.
source "$(dirname "$0")/lib.sh"

FIX=tests/fixtures/results-small
BROWSE="$(dirname "$0")/helpers/browse.py"

if ! command -v gnuplot >/dev/null; then
	not_ok "gnuplot is not installed (apt-get install gnuplot-nox)"
	exit 0
fi

SET="$TMP/results-small"
cp -r "$FIX" "$SET"
"$CMBENCH" plots "$SET" >/dev/null 2>"$TMP/perr"
check "plots on the fixture: exit 0 ($(head -c 200 "$TMP/perr"))" test $? = 0
check "plots: decisions.json written" grep -q '"cells":\[' "$SET/decisions.json"
out=$("$CMBENCH" report "$SET" 2>"$TMP/err")
rc=$?
page="$SET/report.html"
check "report: exit 0, prints the page's path (got $rc: $out $(head -c 200 "$TMP/err"))" \
	test "$rc" = 0 -a "$out" = "$page"
size=$(stat -c %s "$page" 2>/dev/null || echo 0)
check "report.html: under 2 MB ($size bytes)" test "$size" -gt 10000 -a "$size" -lt 2000000
ext=$(grep -oiE '(src|href|xlink:href|action)="[^#"][^"]*"|url\([^#)][^)]*\)|@import|<(link|img|iframe|object|embed)\b' "$page" | head -3)
check "report.html: nothing outside the file (${ext:-none})" test -z "$ext"
check "report.html: a Content-Security-Policy with default-src 'none'" \
	grep -q "default-src 'none'" "$page"
check "report.html: the picker, the heatmap, the lessons and the machine" \
	bash -c "grep -q 'id=\"answer\"' '$page' && grep -q 'id=\"heat-time\"' '$page' &&
		grep -q 'id=\"lesson-memory\"' '$page' && grep -q 'id=\"environment\"' '$page'"
check "report.html: a lesson's chart inline" grep -q '<figure id="chart-memory"><div class="chartbox"><svg' "$page"
check "report.html: no section for a grid the set lacks (stall)" \
	bash -c "! grep -q 'id=\"lesson-stall\"' '$page'"

# a set with only the matrix grid: no empty chart, no gnuplot warning
MO="$TMP/matrix-only"
mkdir -p "$MO" && cp "$FIX/meta.json" "$MO/" &&
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "grid") g = i } NR == 1 || $g == "matrix"' \
		"$FIX/cells.csv" >"$MO/cells.csv"
"$CMBENCH" plots "$MO" >/dev/null 2>"$TMP/moerr"
check "plots on a matrix-only set: exit 0, nothing on stderr ($(head -c 200 "$TMP/moerr"))" \
	test $? = 0 -a ! -s "$TMP/moerr"
check "plots on a matrix-only set: no speedup, stall or open-loop chart ($(cd "$MO" && ls *.png | tr '\n' ' '))" \
	test ! -e "$MO/speedup.png" -a ! -e "$MO/stall.png" -a ! -e "$MO/latency.png" -a -e "$MO/matrix.png"
check "plots on a matrix-only set: REPORT.md lists only the charts drawn" \
	bash -c "! grep -q 'speedup.png' '$MO/REPORT.md'"
"$CMBENCH" report "$MO" >/dev/null 2>&1
check "report on a matrix-only set: no lesson of a missing grid (scaling, open loop)" \
	bash -c "grep -q 'id=\"heat-time\"' '$MO/report.html' && ! grep -qE 'id=\"lesson-(scaling|knee)\"' '$MO/report.html'"

# bad input: one line on stderr, exit 2
bad() { # bad WHAT DIR
	"$CMBENCH" report "$2" >/dev/null 2>"$TMP/berr"
	local rc=$? lines
	lines=$(wc -l <"$TMP/berr")
	check "report on $1: exit 2, one line (got $rc, $lines: $(head -c 160 "$TMP/berr"))" \
		test "$rc" = 2 -a "$lines" = 1
}
bad "a missing directory" "$TMP/nothing-here"
bad "a file" "$page"
mkdir -p "$TMP/foreign" && echo hello >"$TMP/foreign/notes.txt"
bad "a foreign directory" "$TMP/foreign"
mkdir -p "$TMP/empty" && head -1 "$FIX/cells.csv" >"$TMP/empty/cells.csv"
bad "an empty set" "$TMP/empty"
mkdir -p "$TMP/junk" && printf 'a,b\n"x,1\n' >"$TMP/junk/cells.csv"
bad "a malformed cells.csv" "$TMP/junk"
mkdir -p "$TMP/hostile-csv" && sed 's/,forkpool,/,"<script>alert(1)<\/script>",/g' \
	"$FIX/cells.csv" >"$TMP/hostile-csv/cells.csv"
bad "a cells.csv with markup in a model name" "$TMP/hostile-csv"
"$CMBENCH" report >/dev/null 2>&1
check "report without DIR: exit 2" test $? = 2

# hostile meta.json and SVG: the page escapes or drops every piece
HS="$TMP/hostile"
cp -r "$SET" "$HS"
python3 - "$HS" <<'EOF'
import json, sys
d = sys.argv[1]
m = json.load(open(d + "/meta.json"))
for k in ("cpu_model", "kernel", "note", "spec_name", "compiler", "libuv", "git_rev"):
    m[k] = '<script>alert("%s")</script>"\'&<b onmouseover=alert(1)>' % k
json.dump(m, open(d + "/meta.json", "w"))
open(d + "/memory.svg", "w").write(
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'onload="alert(1)"><script>alert(2)</script><g><text>&x;<![CDATA[</text><script>'
    'alert(3)</script>]]></text><image href="http://evil.example/x.png"/>'
    '<use xlink:href="http://evil.example/a.svg#b"/><a href="javascript:alert(4)"><rect '
    'style="fill:url(http://evil.example/)" fill="url(http://evil.example/#x)"/></a>'
    '<foreignObject><div>hi</div></foreignObject></g></svg>')
EOF
"$CMBENCH" report "$HS" >/dev/null 2>"$TMP/herr"
check "report on a hostile set: exit 0 ($(head -c 200 "$TMP/herr"))" test $? = 0
hp="$HS/report.html"
check "hostile: four script elements, all the page's own (got $(grep -o '<script[^>]*>' "$hp" | tr '\n' ' '))" \
	test "$(grep -o '<script[^>]*>' "$hp" | wc -l)" = 4
check "hostile: no markup of the set survives" \
	bash -c "! grep -qE '<script>alert|<b onmouseover|onload=|javascript:|evil\.example|passwd|<foreignObject|<image' '$hp'"
check "hostile: the values are there, escaped" grep -q '&lt;script&gt;alert(&quot;cpu_model&quot;)' "$hp"

if ! command -v chromium >/dev/null; then
	not_ok "chromium is not installed (apt-get install chromium): the page is not checked in a browser"
	exit 0
fi
NET="unshare -n"
$NET true 2>/dev/null || NET="" # no network namespace: the page is told it is offline
MODELS=$("$CMBENCH" list models | tr '\n' ' ')
# results/sample has its reps, so its verdicts have winners: its page too.
# plots first, so that its decision-matrix.md is this build's, as the page is
SS="$TMP/sample"
cp -r results/sample "$SS" && "$CMBENCH" plots "$SS" >/dev/null 2>&1 &&
	"$CMBENCH" report "$SS" >/dev/null 2>&1
check "report on a copy of results/sample: exit 0, under 2 MB ($(stat -c %s "$SS/report.html" 2>/dev/null) bytes)" \
	test "$(stat -c %s "$SS/report.html" 2>/dev/null || echo 9999999)" -lt 2000000
# the rate answer follows the set: a measured regime where decision-matrix.md
# has an open-loop table, "not measured here" where it has none
rate_says() { # rate_says DECISION_MATRIX_MD
	if grep -q '^| regime | SLO |' "$1"; then
		echo "Measured regime (open loop)"
	else
		echo "Sustained rate: not measured here"
	fi
}
TMPDIR="$TMP" timeout 200 $NET python3 "$BROWSE" "$page" "$SET/decision-matrix.md" "$MODELS" \
	"$TMP/report.png" "share=0&concurrency=50&criterion=time" \
	"share=50&concurrency=10&criterion=p99" "share=100&concurrency=1&criterion=memory" \
	"share=40&concurrency=30&criterion=time=>Between grid points: used measured cell mixed (50% cpu), 50 tasks in flight" \
	"share=0&concurrency=5000&criterion=time=>Not measured here: the nearest measured cell is io-bound (0% cpu), 50 tasks in flight" \
	"wait=1&cpu=1&concurrency=10&criterion=time=>Measured cell: mixed (50% cpu), 10 tasks in flight" \
	"share=50&concurrency=10&criterion=rate=>$(rate_says "$SET/decision-matrix.md")" \
	"@$SS/report.html:$SS/decision-matrix.md" "share=50&concurrency=10&criterion=time" \
	"share=0&concurrency=1000&criterion=memory" \
	"share=50&concurrency=10&criterion=rate=>$(rate_says "$SS/decision-matrix.md")" \
	"@$hp:$HS/decision-matrix.md" "share=0&concurrency=10&criterion=time"
check "browser: the checks above ran to the end" test $? -lt 124
