"""``python -m benchmarks run``: accuracy and speed of every extractor on every set.

1. Select the pages of each dataset (evaluation split, seeded cap).
2. Accuracy: one worker process per extractor (at most two at a time) fills
   the output cache; cached outputs are reused.
3. Speed: one worker per extractor, one after the other, each pinned to one
   core, times a seeded sample of pages already decoded in memory.
4. Score from the cache and write markdown, JSON and the plot.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import data, extractors, report, scoring
from .cache import DEFAULT_CACHE, OutputCache

DEFAULT_OUT = Path(__file__).resolve().parent / "results"
#: Pages per dataset in the speed sample.
DEFAULT_SPEED_PAGES = 40
#: Per-page time limit (seconds).
DEFAULT_TIMEOUT = 30.0
#: Pages run before timing starts, in the speed worker.
DEFAULT_WARMUP = 5
#: Timed passes over the speed sample per extractor.  The extractors take
#: turns, one pass each per round (the order rotating), and each page's time
#: is its median over the rounds: a few seconds of a busy neighbour then slow
#: one pass of one extractor, not the whole measurement of one extractor.
DEFAULT_SPEED_ROUNDS = 3


def combine_rounds(rounds: list[dict]) -> dict:
    """One speed result from several passes of a worker over the same pages:
    each page's CPU and wall time is its median over the passes, its status
    the first that is not ``ok`` (an error in any pass is an error), the peak
    RSS the largest, import time and RSS with pages those of the first pass."""
    import numpy as np

    first = rounds[0]
    out = dict(first)
    for key in ("cpu_ms", "times_ms"):
        out[key] = np.median(np.array([r[key] for r in rounds], dtype=float), axis=0).tolist()
    out["status"] = [next((s for s in states if s != "ok"), "ok")
                     for states in zip(*(r["status"] for r in rounds))]
    out["peak_rss_kb"] = max((r.get("peak_rss_kb") or 0) for r in rounds)
    return out


#: Rough relative cost per page (measured ms), used only to order the workers.
COST_HINT = {"goose3": 130, "newspaper4k": 100, "trafilatura": 35, "readability": 25,
             "justext": 23, "boilerstrip": 20, "boilerpy3": 14, "html_text": 13, "resiliparse": 3}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def parse_limits(values: list[str] | None, names: list[str]) -> dict[str, int | None]:
    """``--limit`` values: ``N`` caps every set (0 = no cap), ``name=N`` one set.
    Without any, the documented :data:`data.DEFAULT_LIMITS` apply."""
    limits = {n: data.DEFAULT_LIMITS.get(data.dataset_label(n)) for n in names}
    for v in values or []:
        if "=" in v:
            k, _, n = v.partition("=")
            if k not in limits:
                raise ValueError(f"--limit {v}: {k} is not among the datasets being run")
            limits[k] = int(n) or None
        else:
            limits = {k: (int(v) or None) for k in limits}
    return limits


def machine_info() -> dict:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gb = None
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            mem_gb = round(int(fh.readline().split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": mem_gb,
            "platform": platform.platform(), "python": platform.python_version(),
            "load_avg_at_start": [round(x, 2) for x in load] if load else None}


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=10, cwd=Path(__file__).resolve().parent)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def _children_cpu() -> float:
    """User + system CPU seconds of the finished worker processes."""
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _child_env() -> dict:
    """The child sees the same import path as this process (custom extractors)."""
    env = dict(os.environ)
    paths = [str(Path(__file__).resolve().parent.parent)]
    paths += [p if p else os.getcwd() for p in sys.path if (p == "" or Path(p).is_dir())]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    env.setdefault("PYTHONHASHSEED", "0")
    return env


class Worker:
    def __init__(self, mode: str, job: dict, tmp: Path, tag: str, limit_s: float):
        self.job_path = tmp / f"{mode}-{tag}.job.json"
        self.out_path = tmp / f"{mode}-{tag}.out.json"
        self.job_path.write_text(json.dumps(job), encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.worker", mode, str(self.job_path), str(self.out_path)],
            env=_child_env())
        self.deadline = time.monotonic() + limit_s
        self.killed = False

    def poll(self) -> bool:
        if self.proc.poll() is not None:
            return True
        if time.monotonic() > self.deadline:
            self.proc.kill()
            self.proc.wait()
            self.killed = True
            return True
        return False

    def result(self) -> dict:
        if self.out_path.is_file():
            return json.loads(self.out_path.read_text(encoding="utf-8"))
        why = "killed after the overall time limit" if self.killed else f"exit code {self.proc.returncode}"
        return {"error": f"worker produced no result ({why})"}


def run_workers(workers_args: list[tuple], jobs: int) -> dict:
    """Run ``(key, mode, job, tmp, tag, limit_s)`` workers, ``jobs`` at a time."""
    pending = list(workers_args)
    running: dict[str, Worker] = {}
    results: dict[str, dict] = {}
    while pending or running:
        while pending and len(running) < jobs:
            key, *rest = pending.pop(0)
            running[key] = Worker(*rest)
        time.sleep(0.2)
        for key in [k for k, w in running.items() if w.poll()]:
            results[key] = running.pop(key).result()
    return results


def run(args) -> int:
    t_start = time.time()
    root = data.root_arg(args.datasets_root)
    names = list(args.datasets) if args.datasets else data.discover(root)
    if not names:
        log(f"error: no datasets (folders with gold.jsonl) under {root}")
        return 2
    try:
        limits = parse_limits(args.limit, names)
    except ValueError as exc:
        log(f"error: {exc}")
        return 2
    cache_dir = Path(args.cache) if args.cache else DEFAULT_CACHE
    out_dir = Path(args.out) if args.out else DEFAULT_OUT
    jobs = max(1, min(2, args.jobs))
    decoder = data.decoder_id()

    # -- extractors
    ext_names = list(args.extractors) if args.extractors else list(extractors.DEFAULT_EXTRACTORS)
    ext_info: dict[str, dict] = {}
    for e in ext_names:
        ok, why = extractors.availability(e)
        info = {"name": extractors.label(e), "spec": e, "status": "ok" if ok else "skipped",
                "reason": why or None, "note": extractors.note(e) if ok else None}
        if ok:
            try:
                info["version"] = extractors.version(e)
            except Exception as exc:  # noqa: BLE001
                info.update(status="skipped", reason=f"version lookup failed: {exc}")
        ext_info[e] = info
        if info["status"] != "ok":
            log(f"skipping {e}: {info['reason']}")
    active = [e for e in ext_names if ext_info[e]["status"] == "ok"]

    # -- pages (on the sets the model trains on: every held-out page, then a sample)
    held = data.holdout_rule() if any(data.is_trainable(n) for n in names) else None
    selected: dict[str, dict] = {}
    for name in names:
        label = data.dataset_label(name)
        prefer = None
        if held is not None and data.is_trainable(name):
            def prefer(p, _label=label):
                return held(_label, p.id)
        try:
            pages, total = data.select_pages(root, name, limits[name], args.seed, prefer=prefer)
        except FileNotFoundError as exc:
            log(f"error: dataset {name}: {exc}")
            return 2
        folder = data.dataset_folder(root, name)
        hashes = {}
        for p in pages:  # key = the text every extractor receives (decoder tweaks that
            try:         # do not change a page's text keep its cached outputs)
                raw = p.read_bytes()
            except OSError:
                raw = b""
            hashes[p.id] = data.text_sha1(data.decode(raw))
        kinds = data.dataset_gold_kinds(pages)
        held_ids = {p.id for p in pages if prefer is not None and prefer(p)}
        selected[label] = {"name": name, "folder": str(folder), "pages": pages, "total": total,
                           "hashes": hashes, "kinds": kinds, "limit": limits[name],
                           "held_ids": held_ids}
        log(f"{label}: {len(pages)} of {total} pages (split={data.evaluation_split(name)})"
            + (f", {len(held_ids)} held out from training" if prefer is not None else ""))

    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    # -- accuracy (slowest extractors first, so two workers finish close together)
    acc_workers = []
    for e in sorted(active, key=lambda e: -COST_HINT.get(e, 20)):
        job = {"extractor": e, "version": ext_info[e]["version"], "cache": str(cache_dir),
               "timeout": args.timeout, "progress": True,
               "datasets": [{"name": lbl, "folder": s["folder"],
                             "pages": [(p.id, os.path.relpath(p.path, s["folder"]), s["hashes"][p.id])
                                       for p in s["pages"]]}
                            for lbl, s in selected.items()]}
        n = sum(len(s["pages"]) for s in selected.values())
        acc_workers.append((e, "accuracy", job, tmp, f"{len(acc_workers)}", n * args.timeout + 600))
    log(f"accuracy: {len(active)} extractors, {jobs} at a time, cache {cache_dir}")
    t0 = time.time()
    cpu0 = _children_cpu()
    acc_results = run_workers(acc_workers, jobs)
    acc_cpu = _children_cpu() - cpu0
    for e, r in acc_results.items():
        if r.get("error"):
            log(f"  {e}: ERROR {r['error'].strip().splitlines()[-1]}")
            if r["error"].startswith("could not build"):
                ext_info[e].update(status="failed", reason=r["error"][:300])
            else:  # crashed part-way: pages without output count as failed pages
                ext_info[e]["accuracy_error"] = r["error"][-1000:]
        else:
            log(f"  {e}: {r['computed']} computed, {r['cached']} cached")
        ext_info[e]["computed"] = r.get("computed", 0)
        ext_info[e]["cached"] = r.get("cached", 0)
    acc_seconds = time.time() - t0

    active = [e for e in active if ext_info[e]["status"] == "ok"]

    # -- speed
    speed: dict[str, dict] = {}
    speed_meta = {"skipped": True}
    if args.speed_pages > 0 and active:
        sample = []
        for lbl, s in selected.items():
            for p in data.sample(s["pages"], args.speed_pages, args.seed + 1):
                sample.append((lbl, s["folder"], p.id, os.path.relpath(p.path, s["folder"])))
        core = args.core
        if core is None and hasattr(os, "sched_getaffinity"):
            core = max(os.sched_getaffinity(0))
        rounds = max(1, args.speed_rounds)
        speed_meta = {"skipped": False, "pages": len(sample), "pages_per_dataset": args.speed_pages,
                      "warmup": args.warmup, "core": core, "timeout_s": args.timeout,
                      "rounds": rounds}
        log(f"speed: {len(sample)} pages, pinned to core {core}, one extractor at a time, "
            f"{rounds} round(s)")
        t0 = time.time()
        cpu1 = _children_cpu()
        passes: dict[str, list] = {e: [] for e in active}
        n_pass = 0   # names each worker's files apart
        for rnd in range(rounds):
            shift = rnd % len(active)
            for e in active[shift:] + active[:shift]:
                if passes[e] and passes[e][-1].get("error"):
                    continue
                job = {"extractor": e, "pages": sample, "warmup": args.warmup,
                       "timeout": args.timeout, "core": core}
                passes[e].append(run_workers([(e, "speed", job, tmp, f"s{n_pass}",
                                               len(sample) * args.timeout * 2 + 600)], 1)[e])
                n_pass += 1
        for e in active:
            if passes[e][-1].get("error"):
                r = passes[e][-1]
                log(f"  {e}: ERROR {r['error'].strip().splitlines()[-1]}")
                speed[extractors.label(e)] = {"pages": 0, "error": r["error"]}
                continue
            r = combine_rounds(passes[e])
            summ = scoring.speed_summary(r["cpu_ms"], r["status"])
            wall = scoring.speed_summary(r["times_ms"], r["status"])
            summ.update({"wall_median_ms": wall["median_ms"], "wall_p95_ms": wall["p95_ms"],
                         "wall_pages_per_s": wall["pages_per_s"]})
            summ.update({"peak_rss_mb": (r.get("peak_rss_kb") or 0) / 1024,
                         "rss_with_pages_mb": (r.get("rss_with_pages_kb") or 0) / 1024,
                         "import_s": r.get("import_s"),
                         "per_dataset": scoring.per_dataset_median(r["datasets"], r["cpu_ms"])})
            speed[extractors.label(e)] = summ
            log(f"  {e}: median {summ['median_ms']:.1f} ms CPU ({summ['wall_median_ms']:.1f} wall), "
                f"p95 {summ['p95_ms']:.1f} ms, peak RSS {summ['peak_rss_mb']:.0f} MB")
        speed_meta["seconds"] = time.time() - t0
        speed_meta["cpu_seconds"] = round(_children_cpu() - cpu1, 1)

    # -- score
    log("scoring")
    results_ds = {}
    for lbl, s in selected.items():
        kinds = s["kinds"]
        per_ext, per_ext_held = {}, {}
        gold_shingles: dict = {}
        held_pages = [p for p in s["pages"] if p.id in s["held_ids"]]
        for e in active:
            cache = OutputCache(cache_dir, extractors.label(e))
            outs = {p.id: cache.get(e, ext_info[e]["version"], lbl, p.id, s["hashes"][p.id])
                    for p in s["pages"]}
            cache.close()
            per_ext[extractors.label(e)] = scoring.score_dataset(
                s["pages"], outs, shingle=kinds.has_text, snippet=kinds.has_snippets,
                seed=args.seed, gold_shingles=gold_shingles).as_dict()
            if held_pages:
                r = scoring.score_dataset(held_pages, outs, shingle=kinds.has_text,
                                          snippet=kinds.has_snippets, seed=args.seed,
                                          gold_shingles=gold_shingles).as_dict()
                r.pop("per_page")
                per_ext_held[extractors.label(e)] = r
        results_ds[lbl] = {
            "pages": len(s["pages"]), "available": s["total"], "limit": s["limit"],
            "split": data.evaluation_split(s["name"]) or "all",
            "trainable": data.is_trainable(s["name"]),
            "metrics": [m for m, on in (("shingle", kinds.has_text), ("snippet", kinds.has_snippets)) if on],
            "page_ids": [p.id for p in s["pages"]],
            "results": per_ext,
        }
        if held_pages:
            results_ds[lbl]["heldout"] = {
                "pages": len(held_pages), "share": getattr(held, "share", None),
                "page_ids": [p.id for p in held_pages], "results": per_ext_held}

    results = {
        "meta": {
            "command": "python -m benchmarks " + " ".join(args.argv),
            "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "git_commit": git_commit(),
            "machine": machine_info(),
            "datasets_root": str(root),
            "seed": args.seed,
            "decoder": decoder,
            "bootstrap_resamples": scoring.N_BOOT,
            "accuracy_jobs": jobs,
            "accuracy_seconds": round(acc_seconds, 1),
            "accuracy_cpu_seconds": round(acc_cpu, 1),
            "speed": speed_meta,
            "total_seconds": round(time.time() - t_start, 1),
        },
        "extractors": {ext_info[e]["name"]: {k: v for k, v in ext_info[e].items()
                                             if k not in ("name",)} for e in ext_names},
        "datasets": results_ds,
        "speed": speed,
    }
    results["summary"] = report.summarise(results)
    paths = report.write_all(results, out_dir)
    for p in paths:
        log(f"wrote {p}")
    log(f"done in {time.time() - t_start:.0f} s")
    for f in tmp.iterdir():
        f.unlink()
    tmp.rmdir()
    return 0
