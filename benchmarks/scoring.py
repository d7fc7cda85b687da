"""Score extractor outputs against gold: per page, then per dataset.

Failed pages (error or timeout) are scored as an empty output, never skipped,
so an extractor cannot raise its score by crashing on hard pages.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field

import numpy as np

from boilerstrip import metrics

from . import data

#: Bootstrap resamples for the standard deviations.
N_BOOT = 200


def _r(x: float | None, nd: int = 4):
    return None if x is None else round(float(x), nd)


@dataclass
class DatasetScore:
    """Everything the reports need for one (dataset, extractor) pair."""

    n: int
    shingle: dict | None = None
    snippet: dict | None = None
    status: dict = field(default_factory=dict)
    per_page: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"n": self.n, "shingle": self.shingle, "snippet": self.snippet,
                "status": self.status, "per_page": self.per_page}


def score_dataset(pages, outputs: dict, *, shingle: bool, snippet: bool,
                  seed: int = data.DEFAULT_SEED, n_boot: int = N_BOOT,
                  gold_shingles: dict | None = None) -> DatasetScore:
    """``outputs`` maps page id -> cache Entry (or None when missing).

    ``gold_shingles`` (page id -> shingle multiset) is filled and reused, so
    scoring many extractors on the same pages builds each gold multiset once.
    """
    if gold_shingles is None:
        gold_shingles = {}
    page_scores = []
    snip_total = metrics.SnippetCounts()
    pp: dict[str, list] = {"status": [], "out_chars": []}
    if shingle:
        pp.update({"precision": [], "recall": [], "f1": [], "exact": []})
    if snippet:
        pp.update({"snippet_tp": [], "snippet_fn": [], "snippet_fp": [], "snippet_tn": []})
    counts = {"ok": 0, "error": 0, "timeout": 0, "missing": 0, "empty": 0}
    for page in pages:
        entry = outputs.get(page.id)
        status = entry.status if entry is not None else "missing"
        text = entry.output if (entry is not None and entry.status == "ok") else ""
        counts[status] = counts.get(status, 0) + 1
        if not text.strip():
            counts["empty"] += 1
        pp["status"].append(status)
        pp["out_chars"].append(len(text))
        if shingle:
            sg = gold_shingles.get(page.id)
            if sg is None:
                sg = gold_shingles[page.id] = metrics.shingles(data.gold_text(page))
            s = metrics.score_counts(metrics.shingles(text), sg)
            page_scores.append(s)
            pp["precision"].append(None if s.pred_empty else _r(s.precision))
            pp["recall"].append(None if s.gold_empty else _r(s.recall))
            pp["f1"].append(_r(s.f1))
            pp["exact"].append(int(s.exact))
        if snippet:
            c = metrics.score_snippets(text, page.with_snippets, page.without_snippets)
            snip_total.add(c)
            for k in ("tp", "fn", "fp", "tn"):
                pp["snippet_" + k].append(getattr(c, k))
    result = DatasetScore(n=len(pages), status=counts, per_page=pp)
    if shingle:
        agg = metrics.aggregate(page_scores)
        std = metrics.bootstrap_std(page_scores, n_boot=n_boot, seed=seed)
        result.shingle = {
            "precision": agg.precision, "recall": agg.recall, "f1": agg.f1,
            "accuracy": agg.accuracy, "n": agg.n,
            "n_pred_nonempty": sum(not s.pred_empty for s in page_scores),
            "n_gold_nonempty": sum(not s.gold_empty for s in page_scores),
            "std": std,
        }
    if snippet:
        result.snippet = snip_total.as_dict()
        result.snippet["n"] = sum(1 for p in pages if p.has_snippets)
    return result


def speed_summary(times_ms: list[float], status: list[str]) -> dict:
    """Median, p95, mean, pages/s over the timed pages (failed pages included:
    the time an extractor spends failing is time a user waits)."""
    if not times_ms:
        return {"pages": 0}
    arr = np.asarray(times_ms, dtype=float)
    total_s = float(arr.sum()) / 1000.0
    return {
        "pages": int(arr.size),
        "median_ms": float(np.median(arr)),
        "p95_ms": float(np.percentile(arr, 95)),
        "mean_ms": float(arr.mean()),
        "pages_per_s": (arr.size / total_s) if total_s > 0 else None,
        "errors": sum(1 for s in status if s == "error"),
        "timeouts": sum(1 for s in status if s == "timeout"),
    }


def per_dataset_median(datasets: list[str], times_ms: list[float]) -> dict:
    by: dict[str, list[float]] = {}
    for ds, t in zip(datasets, times_ms):
        by.setdefault(ds, []).append(t)
    return {ds: {"pages": len(v), "median_ms": statistics.median(v)} for ds, v in by.items()}
