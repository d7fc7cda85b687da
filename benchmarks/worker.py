"""Subprocess side of a benchmark run: ``python -m benchmarks.worker MODE JOB OUT``.

Each extractor runs in a process of its own so that a crash, a leak or a slow
import cannot touch the others, and so that peak memory (``VmHWM``) is the
extractor's own.

* ``accuracy``: compute the outputs missing from the cache, store them.
* ``speed``: pin to one core, decode the sample pages into memory, build the
  extractor, warm it up, then time every page once (process CPU time, which
  other jobs on a shared machine do not inflate, and wall time).

A per-page time limit is enforced with ``SIGALRM``; it fires when control
returns to Python, so a C extension stuck in a loop is only stopped by the
parent's overall limit.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import sys
import time
import traceback
import warnings
from pathlib import Path

from . import data, extractors
from .cache import Entry, OutputCache


class PageTimeout(BaseException):
    """Raised by the alarm; a BaseException so extractors' ``except Exception`` let it pass."""


def _on_alarm(signum, frame):
    raise PageTimeout()


def run_one(fn, html: str, timeout: float | None) -> Entry:
    """Run an extractor on one page: (status, output, error, seconds)."""
    use_alarm = bool(timeout) and hasattr(signal, "setitimer")
    if use_alarm:
        signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, float(timeout))
    c0 = time.process_time()
    t0 = time.perf_counter()
    try:
        out = fn(html)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if out is None:
            out = ""
        if not isinstance(out, str):
            return Entry("error", "", f"returned {type(out).__name__}, not str", elapsed, cpu)
        return Entry("ok", out, None, elapsed, cpu)
    except PageTimeout:
        return Entry("timeout", "", f"over {timeout:g} s", time.perf_counter() - t0,
                     time.process_time() - c0)
    except Exception as exc:  # noqa: BLE001 - an extractor failing is a result
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
        msg = f"{type(exc).__name__}: {exc}"
        return Entry("error", "", msg[:300], time.perf_counter() - t0, time.process_time() - c0)
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)


def proc_status_kb(field: str) -> int | None:
    """A ``kB`` field of /proc/self/status (VmHWM = peak RSS, VmRSS = current)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    if field == "VmHWM":  # not Linux: ru_maxrss (kB on Linux/BSD, bytes on macOS)
        import resource

        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return rss // 1024 if sys.platform == "darwin" else rss
    return None


def _page(folder: str, page_id: str, html: str):
    from boilerstrip.datasets import Page

    return Page(id=page_id, path=Path(folder) / html)


def accuracy(job: dict) -> dict:
    name, version = job["extractor"], job["version"]
    cache = OutputCache(job["cache"], extractors.label(name))
    todo = []
    cached = 0
    for ds in job["datasets"]:
        for page_id, rel, input_hash in ds["pages"]:
            if cache.get(name, version, ds["name"], page_id, input_hash) is None:
                todo.append((ds["name"], ds["folder"], page_id, rel, input_hash))
            else:
                cached += 1
    result = {"extractor": name, "cached": cached, "computed": 0, "error": None}
    if not todo:
        cache.close()
        return result
    try:
        fn = extractors.make(name)
    except Exception as exc:  # noqa: BLE001
        result["error"] = f"could not build extractor: {type(exc).__name__}: {exc}"
        cache.close()
        return result
    t_last = time.monotonic()
    for i, (dsname, folder, page_id, rel, input_hash) in enumerate(todo, 1):
        html = data.decode(_page(folder, page_id, rel).read_bytes())
        entry = run_one(fn, html, job.get("timeout"))
        cache.put(name, version, dsname, page_id, input_hash, entry)
        result["computed"] += 1
        if i % 25 == 0:
            cache.commit()
        if job.get("progress") and time.monotonic() - t_last > 30:
            t_last = time.monotonic()
            print(f"  [{extractors.label(name)}] {i}/{len(todo)} pages", file=sys.stderr, flush=True)
    cache.close()
    return result


def speed(job: dict) -> dict:
    core = job.get("core")
    if core is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {int(core)})
    pages = [(ds, data.decode(_page(folder, pid, rel).read_bytes()))
             for ds, folder, pid, rel in job["pages"]]
    rss_pages = proc_status_kb("VmRSS")
    t0 = time.perf_counter()
    result = {"extractor": job["extractor"], "pinned_core": core, "error": None}
    try:
        fn = extractors.make(job["extractor"])
    except Exception as exc:  # noqa: BLE001
        result["error"] = f"could not build extractor: {type(exc).__name__}: {exc}"
        return result
    result["import_s"] = time.perf_counter() - t0
    for _, html in pages[: job.get("warmup", 5)]:
        run_one(fn, html, job.get("timeout"))
    times, cpu, status = [], [], []
    for _, html in pages:
        e = run_one(fn, html, job.get("timeout"))
        times.append(e.seconds * 1000.0)
        cpu.append(e.cpu_seconds * 1000.0)
        status.append(e.status)
    result.update({
        "datasets": [ds for ds, _ in pages],
        "times_ms": times,
        "cpu_ms": cpu,
        "status": status,
        "rss_with_pages_kb": rss_pages,
        "peak_rss_kb": proc_status_kb("VmHWM"),
    })
    return result


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    mode, job_path, out_path = argv
    # peers log a warning per odd date or missing language: noise in a benchmark log
    logging.disable(logging.CRITICAL)
    warnings.filterwarnings("ignore")
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    try:
        result = accuracy(job) if mode == "accuracy" else speed(job)
    except Exception:  # noqa: BLE001 - report, the parent decides
        result = {"extractor": job.get("extractor"), "error": traceback.format_exc()[-2000:]}
    Path(out_path).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
