#!/usr/bin/env python3
"""Edit-to-reload benchmark for `semdoc serve` (a benchmark, not a test).

Generates a corpus with ../shared/bench/gen_corpus.py (flavour semdoc) unless --site is given,
starts `semdoc serve` on it, listens to its live-reload stream (/__semdoc/events), then edits one
post (appends a paragraph) RUNS times and reports the time from the write to the `reload` event:
median, min and max. The watcher's debounce (10 ms by default) is part of what a writer waits for, so it is
reported both included and subtracted.
(Rebuild times in the server log are for the whole incremental rebuild.) Also times one template edit.

usage: scripts/bench-edit.py [--sizes 1000,10000] [--runs 7] [--site DIR]
"""
import argparse
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")
DEBOUNCE_MS = 10  # src/serve/mod.rs DEBOUNCE_MS


def serve(site):
    p = subprocess.Popen([os.path.join(ROOT, "target/release/semdoc"), "serve", "--root", site, "--port", "0"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    url = next(w for w in line.split() if w.startswith("http://")).rstrip("/")
    return p, url


def events(url, sink):
    host = url.split("//")[1]
    c = http.client.HTTPConnection(host, timeout=600)
    c.request("GET", "/__semdoc/events")
    r = c.getresponse()
    while True:
        line = r.fp.readline()
        if not line:
            return
        line = line.decode().strip()
        if line.startswith("data:"):
            sink.append((time.perf_counter(), line[5:].strip()))


def wait_event(sink, n, timeout=600):
    t = time.time()
    while len(sink) <= n:
        if time.time() - t > timeout:
            sys.exit("no reload event")
        time.sleep(0.001)
    return sink[n]


def measure(site, runs):
    p, url = serve(site)
    sink = []
    threading.Thread(target=events, args=(url, sink), daemon=True).start()
    time.sleep(1.0)
    posts = sorted(os.listdir(os.path.join(site, "content", "posts")))
    target = os.path.join(site, "content", "posts", posts[len(posts) // 2])
    times = []
    try:
        for i in range(runs + 1):
            n = len(sink)
            t0 = time.perf_counter()
            with open(target, "a") as f:
                f.write(f"\n\nEdit {i} 편집 {time.time()}\n")
            t1, data = wait_event(sink, n)
            if data != "reload":
                sys.exit(f"rebuild failed: {data}")
            if i > 0:  # the first edit warms the memo after the initial build
                times.append((t1 - t0) * 1000)
            time.sleep(0.3)
        tpl_dir = os.path.join(site, "templates")
        os.makedirs(tpl_dir, exist_ok=True)
        n = len(sink)
        t0 = time.perf_counter()
        with open(os.path.join(tpl_dir, "404.html"), "w") as f:
            f.write("{% extends \"base.html\" %}{% block content %}<h1>없는 페이지</h1>{% endblock content %}")
        t1, _ = wait_event(sink, n)
        tpl = (t1 - t0) * 1000
    finally:
        p.terminate()
        err = p.communicate(timeout=10)[1]
    rebuilt = [l for l in err.splitlines() if "rebuilt in" in l]
    return times, tpl, rebuilt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--site")
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    sites = [(a.site, "given")] if a.site else []
    work = tempfile.mkdtemp(prefix="semdoc-edit-")
    try:
        if not a.site:
            for n in a.sizes.split(","):
                d = os.path.join(work, n)
                subprocess.run([sys.executable, GEN, "semdoc", n, d], check=True, stdout=subprocess.DEVNULL)
                sites.append((d, n))
        for site, name in sites:
            times, tpl, rebuilt = measure(site, a.runs)
            print(f"{name} pages: post edit → reload median {statistics.median(times):.0f} ms "
                  f"(min {min(times):.0f}, max {max(times):.0f}; {statistics.median(times) - DEBOUNCE_MS:.0f} ms "
                  f"without the {DEBOUNCE_MS} ms debounce), template edit → reload {tpl:.0f} ms")
            print("   semdoc's own rebuild times:", ", ".join(l.split("rebuilt in ")[1] for l in rebuilt[-(a.runs + 2):]))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
