#!/usr/bin/env python3
"""Throughput of boilerstrip at three scales, over the same pages, plus a profile.

    python examples/throughput.py                      # all shared datasets' pages
    python examples/throughput.py --limit-per-set 100  # a quick look
    python examples/throughput.py --repeat 3 --json results.json

Runs, each over the same page files (gzip on disk, read by whoever cleans them):

* ``cli-j1`` / ``cli-j2``: ``python -m boilerstrip clean --jobs N -o TMP FILES...``
  timed end to end (process start, imports and pool start included);
* ``dask``: a ``distributed.LocalCluster(n_workers=2, threads_per_worker=1)``
  reading and cleaning the files in ``dask.bag`` partitions (cluster start-up
  reported apart, not in the rate);
* ``profile``: ``clean()`` over pages already in memory under cProfile, its
  time split by pipeline stage.  Time spent in library code (selectolax,
  numpy, ``re``) is charged to the boilerstrip module that called it, shared
  among callers in proportion to their cumulative time.

Runs alternate (j1, j2, j1, j2, ...) so that a burst of load from elsewhere
hits both; the load average before each run is printed so noisy runs show.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
try:
    import boilerstrip
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(REPO))
    import boilerstrip

from boilerstrip.datasets import load_corpus  # noqa: E402

#: The folder holding the boilerstrip package in use (subprocesses use it too).
PKG_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(boilerstrip.__file__)))

SETS = ("wcxb", "trafilatura_eval", "mozilla_readability", "dragnet", "l3s_gn1",
        "cleaneval", "cleanportaleval")
#: boilerstrip module -> pipeline stage reported.
STAGES = {"encoding": "decode bytes", "limits": "parse", "parse": "parse", "segment": "segment",
          "features": "features", "text": "features", "model": "model",
          "decode": "decode (context)", "render": "render", "api": "glue (api)"}


def loadavg() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except OSError:
        return float("nan")


def page_paths(sets, limit_per_set: int | None) -> list[str]:
    paths = []
    for name in sets:
        pages = load_corpus(name, limit=limit_per_set)
        paths += [str(p.path) for p in pages]
    return paths


def _children_cpu() -> float:
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_cli(paths: list[str], jobs: int) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the command and its worker processes)."""
    with tempfile.TemporaryDirectory() as out:
        listing = Path(out) / "files.txt"
        listing.write_text("\n".join(paths))
        cmd = [sys.executable, "-c",
               "import sys; from boilerstrip.cli import main; "
               "files = open(sys.argv[1]).read().split('\\n'); "
               "sys.exit(main(['clean', '-q', '--jobs', sys.argv[2], '-o', sys.argv[3], *files]))",
               str(listing), str(jobs), str(Path(out) / "texts")]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [PKG_ROOT] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
        cpu0 = _children_cpu()
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=out, env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        cpu = _children_cpu() - cpu0
        if proc.returncode not in (0, 1):
            raise SystemExit(f"clean --jobs {jobs} failed:\n{proc.stderr}")
        return elapsed, cpu


def run_dask(paths: list[str], n_workers: int = 2) -> tuple[float, float]:
    from distributed import Client, LocalCluster

    import dask.bag as db
    from boilerstrip.batch import read_html_file
    from boilerstrip.integrations.dask import ModelPlugin, clean_bag

    start = time.perf_counter()
    with LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=40) as cluster, Client(cluster) as client:
        client.register_plugin(ModelPlugin())  # load the model as workers start
        ready = time.perf_counter()
        bag = db.from_sequence(paths, npartitions=max(8, len(paths) // 32)).map(read_html_file)
        texts = clean_bag(bag, errors="none").compute()
        done = time.perf_counter()
    assert len(texts) == len(paths)
    return done - ready, ready - start


def profile(paths: list[str]) -> dict:
    import gzip

    import boilerstrip

    pages = []
    for p in paths:
        data = Path(p).read_bytes()
        pages.append(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
    boilerstrip.clean(pages[0])  # load the model outside the profile
    prof = cProfile.Profile()
    start = time.perf_counter()
    prof.enable()
    for page in pages:
        try:
            boilerstrip.clean(page)
        except Exception:
            pass
    prof.disable()
    wall = time.perf_counter() - start
    return {"pages": len(pages), "wall_s": wall, "stages": stage_times(prof)}


def stage_times(prof: cProfile.Profile) -> dict[str, float]:
    """Self time per stage; library time goes to the calling boilerstrip module."""
    stats = pstats.Stats(prof).stats  # func -> (cc, nc, tt, ct, callers)
    pkg = os.path.join(PKG_ROOT, "boilerstrip") + os.sep

    def own_stage(func) -> str | None:
        filename = func[0]
        if filename.startswith(pkg):
            module = Path(filename).stem
            return STAGES.get(module, module)
        return None

    memo: dict = {}

    def share(func, depth=0) -> dict[str, float]:
        """Fractions of ``func``'s self time owed to each stage."""
        if func in memo:
            return memo[func]
        stage = own_stage(func)
        if stage is not None:
            result = {stage: 1.0}
        elif depth > 50 or func not in stats:
            result = {"other": 1.0}
        else:
            memo[func] = {"other": 1.0}  # cycle guard
            callers = stats[func][4]  # caller -> (calls, prim. calls, tottime, cumtime)
            col = 3 if sum(v[3] for v in callers.values()) > 0 else 0
            total = sum(v[col] for v in callers.values())
            result = defaultdict(float)
            if total <= 0:
                result["other"] = 1.0
            for caller, v in callers.items():
                if total > 0:
                    for st, frac in share(caller, depth + 1).items():
                        result[st] += v[col] / total * frac
            result = dict(result)
        memo[func] = result
        return result

    totals: dict[str, float] = defaultdict(float)
    for func, (cc, nc, tt, ct, callers) in stats.items():
        for st, frac in share(func).items():
            totals[st] += tt * frac
    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="+", default=list(SETS))
    ap.add_argument("--limit-per-set", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=1, help="CLI runs per job count")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--profile-pages", type=int, default=600,
                    help="pages (spread over the sets) cleaned under cProfile")
    ap.add_argument("--json", type=Path, default=None, help="write all numbers here")
    args = ap.parse_args(argv)

    paths = page_paths(args.sets, args.limit_per_set)
    n = len(paths)
    mb = sum(os.path.getsize(p) for p in paths) / 1e6
    print(f"{n} pages from {', '.join(args.sets)} ({mb:.0f} MB gzip on disk), "
          f"{os.cpu_count()} CPUs", flush=True)
    results: dict = {"pages": n, "runs": []}

    for r in range(args.repeat):
        for jobs in (1, 2):
            load = loadavg()
            secs, cpu = run_cli(paths, jobs)
            results["runs"].append({"what": f"cli-j{jobs}", "seconds": secs, "cpu_s": cpu,
                                    "pages_per_s": n / secs, "loadavg_before": load})
            print(f"  cli --jobs {jobs} (run {r + 1}): {secs:7.1f} s  {n / secs:7.1f} pages/s  "
                  f"cpu {cpu:7.1f} s  (load before {load:.2f})", flush=True)
    j1 = [x["seconds"] for x in results["runs"] if x["what"] == "cli-j1"]
    j2 = [x["seconds"] for x in results["runs"] if x["what"] == "cli-j2"]
    results["scaling_j2_over_j1"] = [a / b for a, b in zip(j1, j2)]
    results["scaling_median"] = statistics.median(j1) / statistics.median(j2)
    print(f"  --jobs 2 speed-up per run: "
          + ", ".join(f"{s:.2f}x" for s in results["scaling_j2_over_j1"])
          + f"; median-of-times ratio {results['scaling_median']:.2f}x", flush=True)

    if not args.no_dask:
        load = loadavg()
        secs, startup = run_dask(paths)
        results["runs"].append({"what": "dask-2x1", "seconds": secs, "pages_per_s": n / secs,
                                "cluster_start_s": startup, "loadavg_before": load})
        print(f"  dask LocalCluster 2 workers: {secs:7.1f} s  {n / secs:7.1f} pages/s  "
              f"({statistics.median(j1) / secs:.2f}x cli --jobs 1; cluster start {startup:.1f} s; "
              f"load before {load:.2f})", flush=True)

    if args.profile_pages <= 0:
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
        return 0
    step = max(1, n // args.profile_pages)
    prof = profile(paths[::step][:args.profile_pages])
    results["profile"] = prof
    total = sum(prof["stages"].values())
    print(f"  profile: {prof['pages']} pages, {prof['wall_s']:.1f} s under cProfile")
    for stage, secs in prof["stages"].items():
        print(f"    {stage:18s} {secs:7.2f} s  {100 * secs / total:5.1f} %")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
