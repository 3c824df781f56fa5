#!/usr/bin/env python3
"""`semdoc serve` under attack (a benchmark, not a test; Python stdlib only).

Serves a generated site and measures the latency of normal requests (a new connection each,
`GET` of one post, one at a time) in three phases:

  baseline   nothing else going on;
  slowloris  SLOW sockets (default 1000) held open with unfinished headers (half of them sent part
             of a request, half nothing), reopened as the server closes them;
  load+edits CLIENTS threads requesting pages over kept-alive connections as fast as they can
             while a post is rewritten every 100 ms (so the server keeps rebuilding).

Prints p50/p99/max per phase and how many requests failed. Usage:
  scripts/serve-attack.py [--bin target/release/semdoc] [--samples 400] [--slow 1000] [--clients 8]
"""

import argparse
import http.client
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time


def make_site(root, posts):
    os.makedirs(os.path.join(root, "content", "posts"))
    with open(os.path.join(root, "site.yaml"), "w") as f:
        f.write("title: Attack\nbase_url: https://example.com\n")
    for i in range(posts):
        with open(os.path.join(root, "content", "posts", f"p{i:04}.md"), "w") as f:
            f.write(f"---\ntitle: Post {i}\ndate: 2024-01-01\n---\n" + f"Paragraph {i} of the post.\n\n" * 20)


def one_get(host, port, path):
    """One request on a new connection; seconds taken, or None when it failed."""
    t = time.perf_counter()
    try:
        c = http.client.HTTPConnection(host, port, timeout=30)
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        c.close()
        return time.perf_counter() - t if r.status == 200 else None
    except OSError:
        return None


def measure(host, port, path, n):
    times, failed = [], 0
    for _ in range(n):
        d = one_get(host, port, path)
        if d is None:
            failed += 1
        else:
            times.append(d)
        time.sleep(0.002)
    return times, failed


def pct(times, p):
    s = sorted(times)
    return s[min(len(s) - 1, int(len(s) * p / 100))] * 1000 if s else float("nan")


def report(name, times, failed):
    print(f"{name:<11} n={len(times):<4} p50={pct(times, 50):7.2f} ms  p99={pct(times, 99):7.2f} ms  "
          f"max={max(times) * 1000 if times else float('nan'):7.2f} ms  failed={failed}", flush=True)


def slowloris(host, port, count, stop):
    """Keep `count` sockets open with unfinished headers until `stop` is set."""
    socks = []
    partial = f"GET /posts/p0000/ HTTP/1.1\r\nHost: {host}:{port}\r\nX-Slow: ".encode()

    def opened(i):
        s = socket.create_connection((host, port))
        s.setblocking(False)
        if i % 2 == 0:
            s.send(partial)
        return s

    for i in range(count):
        socks.append(opened(i))
    reopened = 0
    while not stop.is_set():
        for i, s in enumerate(socks):
            try:
                if s.recv(4096) == b"":
                    raise ConnectionResetError
            except BlockingIOError:
                continue
            except OSError:
                pass
            s.close()
            socks[i] = opened(i)
            reopened += 1
        time.sleep(0.05)
    for s in socks:
        s.close()
    print(f"            (slowloris: {count} held, {reopened} reopened after the server closed them)")


def load(host, port, stop, counts):
    c = http.client.HTTPConnection(host, port, timeout=30)
    i = 0
    while not stop.is_set():
        try:
            c.request("GET", f"/posts/p{i % 50:04}/")
            c.getresponse().read()
            counts[0] += 1
        except (OSError, http.client.HTTPException):
            c.close()
            c = http.client.HTTPConnection(host, port, timeout=30)
        i += 1


def edits(root, stop, counts):
    p = os.path.join(root, "content", "posts", "p0001.md")
    n = 0
    while not stop.is_set():
        with open(p, "w") as f:
            f.write(f"---\ntitle: Post 1\ndate: 2024-01-01\n---\nedit {n}\n")
        n += 1
        counts[1] = n
        time.sleep(0.1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/semdoc")
    ap.add_argument("--posts", type=int, default=200)
    ap.add_argument("--samples", type=int, default=400)
    ap.add_argument("--slow", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=8)
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    tmp = tempfile.mkdtemp(prefix="semdoc-attack-")
    root = os.path.join(tmp, "site")
    make_site(root, a.posts)
    env = dict(os.environ, SEMDOC_CACHE_DIR=os.path.join(tmp, "cache"), NO_COLOR="1")
    srv = subprocess.Popen([a.bin, "serve", "--port", "0", "--root", root], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, env=env, text=True)
    try:
        line = srv.stdout.readline()
        url = next(w for w in line.split() if w.startswith("http://")).rstrip("/")
        host, port = url[len("http://"):].rsplit(":", 1)
        port = int(port)
        path = "/posts/p0000/"
        print(f"semdoc serve {url}: {a.posts} posts, {a.samples} sequential GETs {path} per phase")
        measure(host, port, path, 20)  # warm up
        report("baseline", *measure(host, port, path, a.samples))

        stop = threading.Event()
        t = threading.Thread(target=slowloris, args=(host, port, a.slow, stop))
        t.start()
        time.sleep(1)
        report("slowloris", *measure(host, port, path, a.samples))
        stop.set()
        t.join()

        stop = threading.Event()
        counts = [0, 0]
        threads = [threading.Thread(target=load, args=(host, port, stop, counts)) for _ in range(a.clients)]
        threads.append(threading.Thread(target=edits, args=(root, stop, counts)))
        for th in threads:
            th.start()
        time.sleep(0.5)
        started = time.perf_counter()
        times, failed = measure(host, port, path, a.samples)
        took = time.perf_counter() - started
        stop.set()
        for th in threads:
            th.join()
        report("load+edits", times, failed)
        print(f"            ({a.clients} keep-alive clients: {counts[0] / took:.0f} req/s besides; "
              f"{counts[1]} edits, one per 100 ms)")
    finally:
        srv.terminate()
        srv.wait()
        shutil.rmtree(tmp, ignore_errors=True)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


if __name__ == "__main__":
    sys.exit(main())
