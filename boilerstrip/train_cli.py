"""``boilerstrip train``: corpora -> model file + validation report (+ model card).

    boilerstrip train wcxb trafilatura_eval mozilla_readability -o model.json
    boilerstrip train --config models/train_config.json   # rebuilds the bundled model

Pages are split into train / held-out by a hash of ``corpus/id`` (stable
across runs and machines); the held-out pages give the validation report.
"""
from __future__ import annotations

import hashlib
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

from .datasets import dataset_path, load_corpus

DEFAULT_HOLDOUT = 0.15


def is_holdout(corpus: str, page_id: str, share: float) -> bool:
    """Deterministic split: a page is held out when its hash falls below ``share``."""
    h = hashlib.sha1(f"{corpus}/{page_id}".encode()).digest()
    return int.from_bytes(h[:4], "big") / 2**32 < share


def _prepare(args):
    page, corpus = args
    from .train import prepare_page

    try:
        return prepare_page(page, corpus)
    except Exception as exc:  # a broken page must not stop training
        return (page.id, f"{type(exc).__name__}: {exc}")


def load_pages(corpora: list[str], n_jobs: int = 1, progress: bool = True):
    """Prepare every page of the corpora (parallel with joblib when n_jobs > 1)."""
    jobs = []
    for c in corpora:
        name = Path(c).name if (Path(c) / "gold.jsonl").is_file() else c
        for page in load_corpus(c):
            jobs.append((page, name))
    if n_jobs == 1:
        it = map(_prepare, jobs)
    else:
        from joblib import Parallel, delayed

        it = Parallel(n_jobs=n_jobs, return_as="generator", batch_size=16)(
            delayed(_prepare)(j) for j in jobs)
    if progress:
        try:
            from tqdm import tqdm

            it = tqdm(it, total=len(jobs), desc="pages", file=sys.stderr)
        except ImportError:
            pass
    pages, errors = [], []
    for r in it:
        (errors if isinstance(r, tuple) else pages).append(r)
    return pages, errors


def evaluate_pages(predict, pages, threshold: float) -> dict:
    """Block accuracy and benchmark-metric F1 of ``predict(page) -> probs`` on pages."""
    from . import metrics
    from .api import find_headline

    correct = total = 0.0
    scores = []
    for p in pages:
        prob = predict(p)
        kept = prob >= threshold
        known = p.y >= 0
        correct += float((p.w * (kept == (p.y == 1)))[known].sum())
        total += float(p.w[known].sum())
        if p.gold:
            head = find_headline(p.blocks, p.X, p.title)
            text = "\n".join(t for i, t in enumerate(p.blocks.text) if kept[i] and i != head)
            scores.append(metrics.score_page(text, p.gold))
    agg = metrics.aggregate(scores)
    return {"block_accuracy": correct / total if total else 0.0,
            "f1": agg.f1, "precision": agg.precision, "recall": agg.recall,
            "pages": len(pages), "pages_with_text": len(scores)}


def add_arguments(p):
    p.add_argument("corpora", nargs="*", help="corpus folders or names under the datasets root")
    p.add_argument("-o", "--output", help="model file to write (JSON)")
    p.add_argument("--config", help="JSON training config (corpora, params, seed, ...)")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--holdout", type=float, default=None,
                   help=f"share of pages held out for validation (default {DEFAULT_HOLDOUT})")
    p.add_argument("--jobs", type=int, default=1, help="parallel page preparation")
    p.add_argument("--card", help="also write a model card (Markdown) here")
    p.add_argument("--report", help="write the validation report (JSON) here")
    p.add_argument("--no-progress", action="store_true")


def run(args) -> int:
    from .train import BlockClassifier, dumps

    cfg = {}
    if args.config:
        cfg = json.loads(Path(args.config).read_text())
    corpora = args.corpora or cfg.get("corpora") or []
    if not corpora:
        print("boilerstrip train: name at least one corpus (or --config)", file=sys.stderr)
        return 2
    output = args.output or cfg.get("output")
    if not output:
        print("boilerstrip train: -o MODEL is required", file=sys.stderr)
        return 2
    seed = args.seed if args.seed is not None else cfg.get("seed", 0)
    holdout = args.holdout if args.holdout is not None else cfg.get("holdout", DEFAULT_HOLDOUT)
    params = dict(cfg.get("params", {}))
    scale = cfg.get("corpus_weights", {})
    for c in corpora:
        if not (dataset_path(c) / "gold.jsonl").is_file():
            print(f"boilerstrip train: no corpus at {dataset_path(c)}", file=sys.stderr)
            return 2
    t0 = time.time()
    pages, errors = load_pages(corpora, n_jobs=args.jobs, progress=not args.no_progress)
    for pid, err in errors:
        print(f"warning: page {pid} skipped: {err}", file=sys.stderr)
    train = [p for p in pages if not is_holdout(p.corpus, p.id, holdout)]
    held = [p for p in pages if is_holdout(p.corpus, p.id, holdout)]
    page_types = cfg.get("page_types", {})
    if page_types:
        def wanted(p):
            return p.corpus not in page_types or p.page_type in page_types[p.corpus]
        train = [p for p in train if wanted(p)]
        held = [p for p in held if wanted(p)]
    if cfg.get("augment", False):
        from .train import augment_page

        train = [augment_page(p, seed) for p in train]
    print(f"{len(pages)} pages ({len(train)} train, {len(held)} held out), "
          f"prepared in {time.time() - t0:.0f}s", file=sys.stderr)
    clf = BlockClassifier(random_state=seed, **params)
    t1 = time.time()
    clf.fit(train, sample_weight_scale=scale)
    print(f"trained in {time.time() - t1:.0f}s", file=sys.stderr)
    # pick the threshold on the held-out pages with full gold text
    thresholds = cfg.get("thresholds", [round(x, 2) for x in np.arange(0.3, 0.71, 0.05)])
    best_t, best_f1 = clf.threshold, -1.0
    probs = {id(p): clf.predict_proba(p) for p in held}
    for t in thresholds:
        f1 = evaluate_pages(lambda p: probs[id(p)], held, t)["f1"]
        if f1 > best_f1:
            best_t, best_f1 = t, f1
    clf.threshold = float(best_t)
    report = {"threshold": clf.threshold, "corpora": {}}
    for c in sorted({p.corpus for p in pages}):
        hp = [p for p in held if p.corpus == c]
        report["corpora"][c] = evaluate_pages(lambda p: probs[id(p)], hp, clf.threshold)
    report["all"] = evaluate_pages(lambda p: probs[id(p)], held, clf.threshold)
    meta = {
        "corpora": list(corpora), "seed": seed, "holdout": holdout, "params": params,
        "corpus_weights": scale,
        "pages": {"train": len(train), "held_out": len(held), "skipped": len(errors)},
        "blocks": {"train": int(sum(len(p.y) for p in train)),
                   "labeled": int(sum(int((p.y >= 0).sum()) for p in train))},
        "validation": report,
        "sklearn": _sklearn_version(),
    }
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    Path(output).write_text(dumps(clf.to_spec(meta)) + "\n")
    if args.report:
        Path(args.report).write_text(json.dumps(report, indent=2) + "\n")
    if args.card or cfg.get("card"):
        from .modelcard import write_card

        write_card(Path(args.card or cfg["card"]), meta, output, config_path=args.config,
                   python=platform.python_version())
    print(json.dumps(report, indent=2))
    return 0


def _sklearn_version() -> str:
    import sklearn

    return sklearn.__version__
