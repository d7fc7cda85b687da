"""``boilerstrip evaluate``: score a model on labeled corpora.

    boilerstrip evaluate cleanportaleval dragnet            # the bundled model
    boilerstrip evaluate my-site/ --model my-model.json --threshold 0.4

For every page the model's output is exactly what :func:`boilerstrip.clean`
returns as text (kept blocks in page order, headline left out), and it is
scored with the metrics of ``benchmarks/``:

* the **shingle metric** (article-extraction-benchmark: 4-token shingles,
  precision averaged over pages with output, recall over pages with gold) on
  pages with full gold text;
* the **snippet metric** (``with`` snippets found, ``without`` snippets
  avoided, counted over all snippets) on pages with snippets;
* **block accuracy** against the block labels derived from the gold (as in
  training: each page weighs 1, half by words, half by blocks) on pages
  where the gold labels any block.

Named evaluation-only datasets are scored on their evaluation split (as the
benchmarks do); ``--split all`` scores every page.  Pages that cannot be
read or decoded are reported and counted, never silently dropped.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import metrics


@dataclass
class CorpusScore:
    """Scores of one model on one corpus."""

    corpus: str
    pages: int = 0
    failed: list = field(default_factory=list)      # (page id, message)
    shingle: dict | None = None
    snippet: dict | None = None
    block_accuracy: float | None = None
    labeled_pages: int = 0
    per_page: list = field(default_factory=list)

    def as_dict(self, per_page: bool = False) -> dict:
        d = {"corpus": self.corpus, "pages": self.pages, "failed": len(self.failed),
             "shingle": self.shingle, "snippet": self.snippet,
             "block_accuracy": self.block_accuracy, "labeled_pages": self.labeled_pages}
        if self.failed:
            d["failed_pages"] = [{"id": i, "error": m} for i, m in self.failed]
        if per_page:
            d["per_page"] = self.per_page
        return d


def decide_prepared(pd, prob: np.ndarray, threshold: float) -> tuple[np.ndarray, int | None]:
    """``(keep mask, headline)`` of a prepared page with final scores ``prob``,
    as :func:`boilerstrip.clean` decides them."""
    from .api import find_headline, keep_blocks

    headline = find_headline(pd.X, pd.blocks.tag)
    return keep_blocks(prob, threshold, pd.blocks, pd.X, headline), headline


def output_text(pd, kept: np.ndarray, headline: int | None) -> str:
    """The text :func:`boilerstrip.clean` returns for a prepared page and its decisions."""
    from .render import body_text

    return body_text(pd.blocks, kept, headline)


def score_prepared(corpus: str, items, predict, threshold: float) -> CorpusScore:
    """Score ``(page, PageData | None, error)`` triples (see :func:`prepare`)."""
    res = CorpusScore(corpus)
    shingles: list[metrics.PageScore] = []
    snip = metrics.SnippetCounts()
    any_snippets = False
    correct = total = 0.0
    for page, pd, err in items:
        res.pages += 1
        row = {"id": page.id}
        if pd is None:
            res.failed.append((page.id, err))
            text, kept = "", None
            row["error"] = err
        else:
            prob = predict(pd)
            kept, headline = decide_prepared(pd, prob, threshold)
            text = output_text(pd, kept, headline)
            known = pd.y >= 0
            if known.any():
                c = float((pd.w * (kept == (pd.y == 1)))[known].sum())
                t = float(pd.w[known].sum())
                correct += c
                total += t
                res.labeled_pages += 1
                row["block_accuracy"] = round(c / t, 4) if t else None
        row["chars"] = len(text)
        if page.has_text:
            from .datasets import gold_text

            s = metrics.score_page(text, gold_text(page))
            shingles.append(s)
            row.update(precision=None if s.pred_empty else round(s.precision, 4),
                       recall=None if s.gold_empty else round(s.recall, 4),
                       f1=round(s.f1, 4))
        if page.has_snippets:
            any_snippets = True
            c = metrics.score_snippets(text, page.with_snippets, page.without_snippets)
            snip.add(c)
            row.update(snippet_tp=c.tp, snippet_fn=c.fn, snippet_fp=c.fp, snippet_tn=c.tn)
        res.per_page.append(row)
    if shingles:
        agg = metrics.aggregate(shingles)
        res.shingle = agg.as_dict()
    if any_snippets:
        res.snippet = snip.as_dict()
    if total:
        res.block_accuracy = correct / total
    return res


def select_pages(corpus: str, split: str | None = "default", limit: int | None = None,
                 page_types=None, held_out_share: float | None = None,
                 trained_on=()) -> list:
    """The pages of a corpus to score.

    ``split="default"``: the evaluation split of a named evaluation-only set,
    every page otherwise; ``"all"``: every page; any other value: records with
    that ``split``.  ``held_out_share`` keeps, of the corpora in
    ``trained_on``, only the pages a model trained with that holdout share did
    not see."""
    from .corpus import read_records
    from .datasets import EVALUATION_SPLITS
    from .train_cli import corpus_name, is_holdout

    name = corpus_name(corpus)
    rep = read_records(corpus)
    if rep.errors and not rep.pages:
        raise ValueError("; ".join(str(i) for i in rep.errors))
    pages = list(rep.pages)
    if split == "default":
        split = EVALUATION_SPLITS.get(name)
    if split not in (None, "all"):
        pages = [p for p in pages if p.extra.get("split") == split]
    if page_types:
        pages = [p for p in pages if p.extra.get("page_type") in page_types]
    if held_out_share is not None and name in trained_on:
        pages = [p for p in pages if is_holdout(name, p.id, held_out_share)]
    if limit is not None:
        pages = pages[:limit]
    return pages


def prepare(corpus: str, pages: list, n_jobs: int = 1, progress: bool = False,
            cache_dir=None) -> list:
    """``(page, PageData | None, error)`` for each page (the parse and features do
    not depend on the model, so one preparation serves any number of models)."""
    from .corpus import read_records
    from .train_cli import corpus_name, prepare_many

    name = corpus_name(corpus)
    rec_errors = {}
    for issue in read_records(corpus).errors:
        if issue.page is not None and issue.code in ("missing-file", "bad-path"):
            rec_errors[issue.page] = issue.message
    todo = [p for p in pages if p.id not in rec_errors]
    done = {}
    for page, (first, second) in zip(todo, prepare_many([(p, name) for p in todo], n_jobs,
                                                       progress, cache_dir, desc=name)):
        done[id(page)] = (None, second) if isinstance(first, str) else (first, None)
    out = []
    for p in pages:
        if p.id in rec_errors:
            out.append((p, None, rec_errors[p.id]))
        else:
            pd, err = done[id(p)]
            out.append((p, pd, err))
    return out


def evaluate(corpora, model=None, threshold: float | None = None, *, split="default",
             limit: int | None = None, page_types=None, held_out: bool = False,
             n_jobs: int = 1, progress: bool = False, cache_dir=None) -> dict:
    """Score ``model`` (a :class:`~boilerstrip.model.Model`, a path, or ``None`` for
    the bundled one) on corpora; returns ``{"model", "threshold", "corpora": {name:
    CorpusScore}}``."""
    from .model import load_model
    from .train_cli import corpus_name, model_predictor

    m = load_model(model)
    predict = model_predictor(m)
    t = m.threshold if threshold is None else float(threshold)
    if not 0.0 <= t <= 1.0:
        raise ValueError(f"threshold must be between 0 and 1; got {threshold!r}")
    share = m.meta.get("holdout") if held_out else None
    trained_on = {corpus_name(c) for c in m.meta.get("corpora", [])}
    if held_out and share is None:
        raise ValueError("the model does not record its holdout share: --held-out "
                         "cannot tell which pages it did not see")
    out = {"model": m.source, "threshold": t, "corpora": {}}
    for c in corpora:
        pages = select_pages(c, split, limit, page_types, share, trained_on)
        items = prepare(c, pages, n_jobs, progress, cache_dir)
        out["corpora"][corpus_name(c)] = score_prepared(corpus_name(c), items, predict, t)
    return out


def format_table(result: dict) -> str:
    lines = [f"model: {result['model']} (threshold {result['threshold']:g})",
             f"{'corpus':<22} {'pages':>5} {'fail':>4} | {'shingle P':>9} {'R':>6} {'F1':>6} "
             f"| {'snippet P':>9} {'R':>6} {'F1':>6} | {'block acc':>9}"]

    def f(x):
        return f"{x:.3f}" if x is not None else "-"
    for name, r in result["corpora"].items():
        sh = r.shingle or {}
        sn = r.snippet or {}
        lines.append(
            f"{name:<22} {r.pages:>5} {len(r.failed):>4} | {f(sh.get('precision')):>9} "
            f"{f(sh.get('recall')):>6} {f(sh.get('f1')):>6} | {f(sn.get('precision')):>9} "
            f"{f(sn.get('recall')):>6} {f(sn.get('f1')):>6} | {f(r.block_accuracy):>9}")
    for name, r in result["corpora"].items():
        for pid, msg in r.failed[:5]:
            lines.append(f"{name}: page {pid} scored as empty output: {msg}")
        if len(r.failed) > 5:
            lines.append(f"{name}: ... and {len(r.failed) - 5} more failed pages")
    return "\n".join(lines)


def add_arguments(p) -> None:
    p.add_argument("corpora", nargs="+", metavar="CORPUS",
                   help="corpus folders (with gold.jsonl) or dataset names")
    p.add_argument("--model", metavar="PATH", default=None,
                   help="model file (default: the bundled model)")
    p.add_argument("--threshold", type=float, default=None,
                   help="decision threshold (default: the model's)")
    p.add_argument("--split", default="default",
                   help="records with this 'split' only; 'all' for every page (default: "
                        "the evaluation split of a named evaluation-only set)")
    p.add_argument("--page-type", action="append", default=None,
                   help="only pages of this page_type (repeatable)")
    p.add_argument("--held-out", action="store_true",
                   help="of the corpora the model was trained on, only the pages it held out")
    p.add_argument("--limit", type=int, default=None, help="first N selected pages per corpus")
    p.add_argument("--jobs", type=int, default=1, help="parallel page preparation")
    p.add_argument("--cache", metavar="DIR", default=None,
                   help="prepared-page cache (as boilerstrip train)")
    p.add_argument("--no-cache", action="store_true")
    p.add_argument("--json", metavar="FILE", help="write all scores (and per-page rows) as JSON")
    p.add_argument("--no-progress", action="store_true")


def run(args) -> int:
    from .model import ModelError
    from .train_cli import default_cache_dir

    prog = "boilerstrip evaluate"
    if args.threshold is not None and not 0.0 <= args.threshold <= 1.0:
        print(f"{prog}: error: --threshold must be between 0 and 1", file=sys.stderr)
        return 2
    from .datasets import dataset_path

    for c in args.corpora:
        if not (dataset_path(c) / "gold.jsonl").is_file():
            print(f"{prog}: error: no corpus at {dataset_path(c)} (a folder with gold.jsonl, "
                  "or a dataset name under the datasets root)", file=sys.stderr)
            return 2
    cache = None if args.no_cache else (args.cache or default_cache_dir())
    try:
        result = evaluate(args.corpora, args.model, args.threshold, split=args.split,
                          limit=args.limit, page_types=args.page_type,
                          held_out=args.held_out, n_jobs=args.jobs,
                          progress=not args.no_progress and sys.stderr.isatty(),
                          cache_dir=cache)
    except (ModelError, ValueError, OSError) as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    print(format_table(result))
    if args.json:
        doc = {"model": result["model"], "threshold": result["threshold"],
               "corpora": {k: v.as_dict(per_page=True) for k, v in result["corpora"].items()}}
        Path(args.json).write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return 0
