#!/usr/bin/env python3
"""browse.py - open report.html in headless Chromium, offline, and check it.

usage: browse.py REPORT_HTML DECISION_MATRIX_MD MODELS SHOT_PNG FRAGMENT...

Drives Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe:
no port, no extra package). The network is off twice: the caller runs this
under `unshare -n` when it can, and the page is told it is offline. For
each FRAGMENT (share=..&concurrency=..&criterion=..) it loads the page,
reads the model names shown in #answer by role (.best: the winner or
those tied with it, .untested: too few reps, .runner-up) and checks each
role against the same cell of decision-matrix.md; a FRAGMENT=>TEXT instead checks that #answer
says TEXT (off the grid: the cell it used). An argument @HTML:MD opens
another page (and its decision-matrix.md) for the fragments after it, in the
same browser. Any console message, uncaught exception, log
error (a blocked request, a CSP violation) or request to anything but the
file itself fails. Last, it takes a screenshot. Prints TAP lines."""
import base64
import json
import os
import re
import select
import subprocess
import sys
import time

DEADLINE = time.time() + float(os.environ.get("BROWSE_TIMEOUT", "100"))


class Browser:
    def __init__(self):
        r_cmd, w_cmd = os.pipe()  # we write commands, chromium reads fd 3
        r_res, w_res = os.pipe()  # chromium writes fd 4, we read
        args = ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--remote-debugging-pipe", "--no-first-run", "--hide-scrollbars",
                "--disable-extensions", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
                "--user-data-dir=" + os.environ.get("TMPDIR", "/tmp") + "/browse-profile",
                "about:blank"]

        def child_fds():
            os.dup2(r_cmd, 3)
            os.dup2(w_res, 4)

        self.proc = subprocess.Popen(args, preexec_fn=child_fds, pass_fds=(3, 4),
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        os.close(r_cmd)
        os.close(w_res)
        self.w, self.r = w_cmd, r_res
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read_msg(self):
        while b"\0" not in self.buf:
            left = DEADLINE - time.time()
            if left <= 0:
                raise TimeoutError("chromium did not answer in time")
            ready, _, _ = select.select([self.r], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.r, 1 << 20)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        while True:
            m = self._read_msg()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, name):
        for i, e in enumerate(self.events):
            if e.get("method") == name:
                return self.events.pop(i)
        while True:
            m = self._read_msg()
            if m.get("method") == name:
                return m
            self.events.append(m)

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, 9)
            self.proc.wait()


NAME = r"[A-Za-z0-9_-]+"


def cell_roles(text, models):
    """A cell's verdict by role, as plots_verdict_text writes it:
    "**w** 1.2 ms (1.3× [1.1, 1.5] ahead of r)", "w 1.2 ms (the only valid
    cell)", "equivalent within ±5%: a ≈ b (runner-up b: 1.01× [0.98, 1.03],
    1.2 ms)" (after "**a**: equivalent on time, ...; " where the next
    criterion chooses), or "inconclusive: a ? b ≈ c (runner-up b: 1.05×
    [0.48, 2.30], 1.2 ms; untested: d; ~40 more reps)": best (the winner,
    the equivalent ones, or the best of an inconclusive cell: the page names
    no other), untested (too few reps) and the runner-up; None for anything
    else."""
    t = text.strip()
    if "; equivalent within " in t and t.startswith("**"):
        t = t.split("; ", 1)[1]  # the next criterion's choice is one of them
    eq = re.match(r"equivalent within \S+: ", t)
    if eq or t.startswith("inconclusive: "):
        body, _, rest = t[eq.end() if eq else len("inconclusive: "):].partition(" (")
        if eq:
            best = [n.strip() for n in body.split("\u2248")]
        else:
            best = [re.split(r" [?\u2248] ", body)[0].strip()]
        u = re.search(r"untested: ([^;)]*)", rest)
        untested = [n.strip() for n in u.group(1).split(",")] if u else []
        r = re.search(r"runner-up (" + NAME + ")", rest)
    else:
        m = re.match(r"\*\*(" + NAME + r")\*\*|(" + NAME + r") ", t)
        if not m:
            return None
        best, untested = [m.group(1) or m.group(2)], []
        r = re.search(r"ahead of (" + NAME + ")", t)
    roles = {"best": best, "untested": untested, "runner-up": [r.group(1)] if r else []}
    if any(n not in models for ns in roles.values() for n in ns):
        return None
    return roles


def matrix_cell(md, share, conc, crit, models):
    """The roles of one cell of decision-matrix.md's full table."""
    col = {"time": 2, "p99": 3, "memory": 4}[crit]
    part = md.split("## Every cell of the grid", 1)[-1]
    for line in part.splitlines():
        if not line.startswith("| "):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        m = re.search(r"\((\d+(?:\.\d+)?)% cpu\)", cells[0])
        if not m or len(cells) < 5:
            continue
        if float(m.group(1)) == share and float(cells[1].replace(",", "")) == conc:
            return cell_roles(cells[col], models)
    return None


def take_shot(b, sess, shot):
    data = b.call("Page.captureScreenshot", {"format": "png"}, session=sess)["data"]
    with open(shot, "wb") as f:
        f.write(base64.b64decode(data))
    print(f"ok - screenshot {shot} ({os.path.getsize(shot)} bytes)")


def main():
    html, md_path, models_arg, shot = sys.argv[1:5]
    frags = sys.argv[5:]
    models = set(models_arg.split())
    md = open(md_path, encoding="utf-8").read()
    url = "file://" + os.path.abspath(html)
    urls = [url]
    shot_taken = False
    b = Browser()
    fails = 0
    try:
        target = b.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        sess = b.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for dom in ("Page", "Runtime", "Log", "Network"):
            b.call(dom + ".enable", session=sess)
        b.call("Network.emulateNetworkConditions", {"offline": True, "latency": 0,
               "downloadThroughput": -1, "uploadThroughput": -1}, session=sess)
        b.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 2000,
               "deviceScaleFactor": 1, "mobile": False}, session=sess)
        for frag in frags:
            if frag.startswith("@"):
                if not shot_taken:
                    take_shot(b, sess, shot)
                    shot_taken = True
                html, md_path = frag[1:].split(":", 1)
                md = open(md_path, encoding="utf-8").read()
                url = "file://" + os.path.abspath(html)
                urls.append(url)
                print(f"ok - opening {html}")
                continue
            frag, _, expect = frag.partition("=>")
            b.call("Page.navigate", {"url": "about:blank"}, session=sess)
            b.wait_event("Page.loadEventFired")
            b.call("Page.navigate", {"url": url + "#" + frag}, session=sess)
            b.wait_event("Page.loadEventFired")
            got = b.call("Runtime.evaluate", {"returnByValue": True, "expression":
                         "JSON.stringify({roles:Object.fromEntries(['best','untested',"
                         "'runner-up'].map(r=>[r,[...document.querySelectorAll("
                         "'#answer .model.'+r)].map(e=>e.textContent)])),"
                         "text:document.getElementById('answer').textContent})"},
                         session=sess)["result"]["value"]
            got = json.loads(got)
            if expect:
                good = expect in got["text"]
                fails += not good
                print(f"{'ok' if good else 'not ok'} - #{frag}: the answer says {expect!r} "
                      f"({got['text'][:160]!r})")
                continue
            st = dict(kv.split("=", 1) for kv in frag.split("&"))
            want = matrix_cell(md, float(st["share"]), float(st["concurrency"]),
                               st.get("criterion", "time"), models)
            names = {r: list(dict.fromkeys(ns)) for r, ns in got["roles"].items()}
            good = want is not None and names["best"] and all(
                sorted(names[r]) == sorted(want[r]) for r in want)
            fails += not good
            print(f"{'ok' if good else 'not ok'} - #{frag}: the answer names {names}, "
                  f"decision-matrix.md's cell {want} ({got['text'][:160]!r})")
        if not shot_taken:
            take_shot(b, sess, shot)
    except Exception as e:  # a browser that fails is a failed check
        print(f"not ok - the browser session: {e}")
        fails += 1
    finally:
        b.close()
    bad = []
    for e in b.events:
        m, p = e.get("method", ""), e.get("params", {})
        if m == "Runtime.consoleAPICalled":
            bad.append("console." + p.get("type", "?") + ": " +
                       " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
        elif m == "Runtime.exceptionThrown":
            bad.append("uncaught: " + json.dumps(p.get("exceptionDetails", {}))[:300])
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
            bad.append("log: " + p["entry"].get("text", "")[:300])
        elif m == "Network.requestWillBeSent":
            u = p.get("request", {}).get("url", "")
            if not (any(u.startswith(x) for x in urls) or u.startswith("about:") or u.startswith("data:")):
                bad.append("request: " + u[:200])
    print(f"{'ok' if not bad else 'not ok'} - no console message, exception or request "
          f"({len(bad)}{': ' + '; '.join(bad[:5]) if bad else ''})")
    return 1 if fails or bad else 0


if __name__ == "__main__":
    sys.exit(main())
