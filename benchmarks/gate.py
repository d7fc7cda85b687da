"""``python -m benchmarks gate``: the CI regression gate.

Runs one extractor (boilerstrip by default) in this process on a fixed, seeded
subset of the four evaluation-only sets and compares the F1 of each set with
the floor pinned in ``benchmarks/baseline.json``.  Exit status: 0 all sets at
or above ``floor - tolerance``; 1 a set fell below; 2 the gate could not run
(missing data or baseline, or the subset's fingerprint differs from the one the
floors were measured on).

``--update`` re-measures and rewrites the floors.  Floors move up with the
model; lowering one needs ``--note "why"``, which is kept in the baseline.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import math
import sys
import time
from pathlib import Path

from boilerstrip import metrics

from . import data, extractors
from .worker import run_one

#: Pages per set in the gate subset (cleanportaleval has 71: all of them).
GATE_SIZES = {"dragnet": 150, "cleaneval": 150, "l3s_gn1": 150, "cleanportaleval": 71}
GATE_SEED = data.DEFAULT_SEED
#: Absolute F1 a set may fall below its floor before the gate fails.
TOLERANCE = 0.005
#: Per-page time limit in the gate (seconds); a timeout scores as empty output.
GATE_TIMEOUT = 30.0
BASELINE = Path(__file__).resolve().parent / "baseline.json"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def gate_subset(root, sizes: dict[str, int] = GATE_SIZES, seed: int = GATE_SEED) -> dict:
    """Dataset name -> seeded list of pages (evaluation split)."""
    return {name: data.select_pages(root, name, n, seed)[0] for name, n in sizes.items()}


def fingerprint(subset: dict) -> str:
    """sha256 over (set, page id, gold text) of every page of the subset."""
    h = hashlib.sha256()
    for name in sorted(subset):
        for page in subset[name]:
            h.update(json.dumps([name, page.id, data.gold_text(page)],
                                ensure_ascii=False).encode("utf-8"))
            h.update(b"\n")
    return h.hexdigest()


def evaluate(subset: dict, fn, timeout: float = GATE_TIMEOUT) -> dict:
    """F1 (and P/R, failures) per set for extractor ``fn``."""
    out = {}
    for name, pages in subset.items():
        scores, failed = [], 0
        for page in pages:
            entry = run_one(fn, data.decode(page.read_bytes()), timeout)
            if entry.status != "ok":
                failed += 1
            scores.append(metrics.score_page(entry.output, data.gold_text(page)))
        agg = metrics.aggregate(scores)
        out[name] = {"pages": len(pages), "f1": agg.f1, "precision": agg.precision,
                     "recall": agg.recall, "failed": failed}
    return out


def load_baseline(path: Path) -> dict | None:
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _floor3(x: float) -> float:
    return math.floor(x * 1000) / 1000


def run(args) -> int:
    root = data.root_arg(args.datasets_root)
    baseline_path = Path(args.baseline) if args.baseline else BASELINE
    spec = args.extractor or "boilerstrip"
    ok, why = extractors.availability(spec)
    if not ok:
        log(f"gate: extractor {spec} unavailable: {why}")
        return 2
    try:
        subset = gate_subset(root)
    except FileNotFoundError as exc:
        log(f"gate: dataset missing: {exc} (datasets root {root})")
        return 2
    fp = fingerprint(subset)
    base = load_baseline(baseline_path)
    if base is None and not args.update:
        log(f"gate: no baseline at {baseline_path}; create it with --update")
        return 2
    if base is not None and not args.update and base.get("fingerprint") != fp:
        log("gate: the subset's fingerprint differs from the baseline's: the pages or their gold "
            f"changed ({fp[:12]} vs {str(base.get('fingerprint'))[:12]}); the floors do not apply. "
            "Re-measure with --update --note 'why the data changed'.")
        return 2
    if args.update and base is not None and args.baseline is None and spec != "boilerstrip":
        log("gate: refusing to write the committed baseline from a non-default extractor")
        return 2

    t0 = time.time()
    fn = extractors.make(spec)
    measured = evaluate(subset, fn)
    seconds = time.time() - t0
    tol = base.get("tolerance", TOLERANCE) if base else TOLERANCE

    print(f"gate: {spec} on {sum(len(p) for p in subset.values())} pages in {seconds:.0f} s "
          f"(tolerance {tol})")
    print(f"{'set':<16} {'pages':>5} {'F1':>7} {'floor':>7} {'margin':>8}  result")
    failed = []
    for name, m in measured.items():
        floor = (base or {}).get("floors", {}).get(name)
        if floor is None:
            res, margin = "no floor", ""
        else:
            d = m["f1"] - floor
            margin = f"{d:+.4f}"
            res = "ok" if d >= -tol else "FAIL"
            if res == "FAIL":
                failed.append(name)
        print(f"{name:<16} {m['pages']:>5} {m['f1']:>7.4f} "
              f"{'' if floor is None else f'{floor:.4f}':>7} {margin:>8}  {res}"
              + (f" ({m['failed']} failed pages)" if m["failed"] else ""))

    if args.update:
        return _update(baseline_path, base, measured, fp, spec, seconds, args.note)
    if failed:
        print(f"gate: FAILED on {', '.join(failed)}")
        return 1
    print("gate: passed")
    return 0


def _update(path: Path, base: dict | None, measured: dict, fp: str, spec: str,
            seconds: float, note: str | None) -> int:
    new_floors = {n: _floor3(m["f1"]) for n, m in measured.items()}
    old_floors = (base or {}).get("floors", {})
    lowered = {n: (old_floors[n], f) for n, f in new_floors.items()
               if n in old_floors and f < old_floors[n]}
    if lowered and not note:
        for n, (o, f) in lowered.items():
            log(f"gate: {n}: floor would go down {o:.3f} -> {f:.3f}")
        log("gate: floors only move down with --note 'why'; baseline unchanged")
        return 2
    if base is not None and base.get("fingerprint") != fp and not note:
        log("gate: the subset's pages or gold changed; say why with --note; baseline unchanged")
        return 2
    today = _dt.date.today().isoformat()
    notes = list((base or {}).get("notes", []))
    if note:
        notes.append({"date": today, "note": note,
                      "lowered": {n: {"from": o, "to": f} for n, (o, f) in lowered.items()}})
    version = extractors.version(spec)
    new = {
        "about": "Floors of the CI gate (python -m benchmarks gate). F1 per set on a seeded "
                 "subset; the gate fails when a set falls more than `tolerance` below its "
                 "floor. Floors move up with the model, never down without a note.",
        "extractor": spec,
        "extractor_version": version,
        "updated": today,
        "seed": GATE_SEED,
        "sizes": GATE_SIZES,
        "fingerprint": fp,
        "tolerance": (base or {}).get("tolerance", TOLERANCE),
        "floors": new_floors,
        "measured": {n: {k: (round(v, 4) if isinstance(v, float) else v) for k, v in m.items()}
                     for n, m in measured.items()},
        "seconds": round(seconds, 1),
        "notes": notes,
    }
    path.write_text(json.dumps(new, indent=2) + "\n", encoding="utf-8")
    print(f"gate: wrote {path}")
    return 0
