"""``boilerstrip train``: corpora -> model file + validation report (+ model card).

    boilerstrip train wcxb trafilatura_eval mozilla_readability -o model.json
    boilerstrip train --config models/train_config.json   # rebuilds the bundled model
    boilerstrip train --base default my-site/ -o my-model.json   # site adaptation
    boilerstrip train --config models/train_config.json --cv 4   # cross-validate, no model

Pages are split into train / held-out by a hash of ``corpus/id`` (stable
across runs and machines); the held-out pages give the validation report,
which also scores the bundled model on the same pages.  ``--cv K`` trains K
models instead, each on all pages but one fold, and scores every page with the
model that did not see it: a steadier comparison of two recipes than one
held-out split (on ~180 held-out pages, retraining alone moves F1 by a few
thousandths).

Every corpus is checked first (:mod:`boilerstrip.corpus`): pages with errors
(missing or unreadable file, gold that matches nothing, bad block labels, ...)
are reported one by one and left out; training goes on with the others.

Prepared pages (blocks, features, labels) are cached on disk, one ``.npz``
file per page (NumPy arrays and JSON, read with ``allow_pickle=False``),
under ``$BOILERSTRIP_CACHE`` or ``~/.cache/boilerstrip/pages``; the key
covers the page bytes, its gold record and the source of this boilerstrip, so
a stale entry is never used.  ``--no-cache`` turns it off.
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

from .datasets import dataset_path, load_corpus

DEFAULT_HOLDOUT = 0.15
#: Weight factor of each page of the user's corpora under ``--base default``.
DEFAULT_USER_WEIGHT = 20.0
#: A decision threshold other than the classifier's default (0.5) is chosen only
#: when it beats the default by this much held-out F1: between thresholds, smaller
#: differences on ~180 held-out pages are page-sampling noise (the bootstrap
#: standard deviation of held-out F1 itself is about 0.01).
THRESHOLD_MIN_GAIN = 0.003
#: Environment variable naming the prepared-page cache folder.
CACHE_ENV = "BOILERSTRIP_CACHE"
CACHE_VERSION = 1


def is_holdout(corpus: str, page_id: str, share: float) -> bool:
    """Deterministic split: a page is held out when its hash falls below ``share``."""
    h = hashlib.sha1(f"{corpus}/{page_id}".encode()).digest()
    return int.from_bytes(h[:4], "big") / 2**32 < share


def cv_fold(corpus: str, page_id: str, k: int) -> int:
    """Cross-validation fold of a page (a hash of ``corpus/id``: stable everywhere)."""
    h = hashlib.sha1(f"cv/{corpus}/{page_id}".encode()).digest()
    return int.from_bytes(h[:4], "big") % k


def corpus_name(c: str) -> str:
    """The name a corpus goes by in reports and weights: its folder name."""
    return Path(c).name if (Path(c) / "gold.jsonl").is_file() else str(c)


# --- the prepared-page cache ---------------------------------------------------

def default_cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "boilerstrip" / "pages"


_CODE_FP: str | None = None
#: Where preparing a page starts: the cache key covers these modules and every
#: boilerstrip module they import, directly or not.
_PREP_ROOTS = ("train", "corpus")


def _local_imports(path: Path) -> set[str]:
    """Names of the sibling modules a module imports (``from . import x``, ``from .x import``)."""
    import ast

    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                out.add(node.module.split(".")[0])
            else:
                out.update(a.name for a in node.names)
    return out


#: Imported on the way but never run while preparing a page (``prepare_page``
#: calls ``analyse`` with a stand-in model and renders nothing).
_NOT_PREP = frozenset({"model", "render"})


def prep_modules() -> list[Path]:
    """Source files whose code decides what a prepared page holds."""
    pkg = Path(__file__).resolve().parent
    seen: set[str] = set()
    todo = list(_PREP_ROOTS)
    while todo:
        name = todo.pop()
        f = pkg / f"{name}.py"
        if name in seen or name in _NOT_PREP or not f.is_file():
            continue
        seen.add(name)
        todo.extend(_local_imports(f))
    return [pkg / f"{n}.py" for n in sorted(seen)]


def code_fingerprint() -> str:
    """Hash of the source that prepares pages (see :func:`prep_modules`) and of the
    cache format: editing any of it invalidates every cached page."""
    global _CODE_FP
    if _CODE_FP is None:
        h = hashlib.sha256(f"cache-v{CACHE_VERSION}".encode())
        for f in prep_modules():
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
        _CODE_FP = h.hexdigest()
    return _CODE_FP


def _cache_key(page, corpus: str, raw: bytes, code_fp: str) -> str:
    """Key of a prepared page: the whole gold record, the page bytes and the code."""
    rec = {"id": page.id, "corpus": corpus, "url": page.url, "text": page.text,
           "title": page.title, "with": page.with_snippets, "without": page.without_snippets,
           "labels": page.labels,
           "extra": {k: v for k, v in page.extra.items() if not k.startswith("_")}}
    h = hashlib.sha256(code_fp.encode())
    h.update(json.dumps(rec, sort_keys=True, ensure_ascii=True, default=str).encode())
    h.update(hashlib.sha256(raw).digest())
    return h.hexdigest()


def _save_cached(path: Path, pd) -> None:
    from .segment import Blocks

    meta = {"id": pd.id, "corpus": pd.corpus, "gold": pd.gold, "title": pd.title,
            "page_type": pd.page_type,
            "blocks": {f.name: getattr(pd.blocks, f.name) for f in dataclasses.fields(Blocks)}}
    buf = io.BytesIO()
    np.savez_compressed(buf, X=pd.X, y=pd.y, w=pd.w,
                        meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(buf.getvalue())
    os.replace(tmp, path)


def _load_cached(path: Path):
    from .segment import Blocks
    from .train import PageData

    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(z["meta"].tobytes().decode())
        X, y, w = z["X"], z["y"], z["w"]
    blocks = Blocks(**meta["blocks"])
    return PageData(meta["id"], meta["corpus"], blocks, X, y, w, meta["gold"], meta["title"],
                    meta["page_type"])


def _prepare(args):
    """Prepare one page (or load it from the cache) and check its gold.

    Returns ``(PageData, issues)``, or ``(page_id, message)`` when the page
    cannot be used."""
    page, corpus, cache_dir, code_fp = (tuple(args) + (None, None))[:4]
    from .corpus import check_gold, read_page_bytes
    from .train import prepare_page

    try:
        raw = read_page_bytes(page)
        pd = None
        path = None
        if cache_dir is not None:
            path = Path(cache_dir) / f"{_cache_key(page, corpus, raw, code_fp)}.npz"
            if path.is_file():
                try:
                    pd = _load_cached(path)
                except Exception:  # a damaged entry is simply rebuilt
                    pd = None
        if pd is None:
            pd = prepare_page(page, corpus, raw)
            if path is not None:
                try:
                    _save_cached(path, pd)
                except OSError:
                    pass
        return pd, check_gold(page, pd.blocks)
    except Exception as exc:  # a broken page must not stop training
        return (page.id, f"{type(exc).__name__}: {exc}")


def prepare_many(items, n_jobs: int = 1, progress: bool = True,
                 cache_dir: str | Path | None = None, desc: str = "pages"):
    """Prepare ``(page, corpus_name)`` items (parallel with joblib when n_jobs > 1,
    through the cache when ``cache_dir`` is set).

    Yields, in order, ``(PageData, issues)`` for each page, or
    ``(page_id, message)`` for a page that could not be prepared."""
    code_fp = code_fingerprint() if cache_dir is not None else None
    jobs = [(page, name, str(cache_dir) if cache_dir else None, code_fp)
            for page, name in items]
    from .corpus import parallel_map

    return parallel_map(_prepare, jobs, n_jobs, batch_size=16, progress=progress, desc=desc)


def load_pages(corpora: list[str], n_jobs: int = 1, progress: bool = True,
               cache_dir: str | Path | None = None, report=None, lenient=()):
    """Prepare every usable page of the corpora for training.

    Returns ``(pages, errors)``; ``errors`` lists ``(page_id, message)`` for
    every page left out.  Corpora are checked first (records and files, then
    each page's gold against its blocks); ``report(corpus_name, issue)``
    receives every :class:`~boilerstrip.corpus.Issue`, warnings included.

    A page whose gold does not fit it (gold text matching no block, no snippet
    found) is left out, except in the corpora named in
    ``lenient``: there it is reported and kept, as it always was (the corpora
    of a training config are a fixed recipe whose model must not change)."""
    from .corpus import read_records

    items, errors = [], []
    for c in corpora:
        name = corpus_name(c)
        rep = read_records(c)
        for issue in rep.issues:
            if report is not None:
                report(name, issue)
            if issue.severity == "error":
                errors.append((f"{name}/{issue.page}" if issue.page else
                               f"{name} {issue.where()}", issue.message))
        items.extend((page, name) for page in rep.usable_pages())
    pages = []
    for (page, name), (first, second) in zip(items, prepare_many(items, n_jobs, progress,
                                                                  cache_dir)):
        if isinstance(first, str):
            errors.append((f"{name}/{first}", second))
            continue
        bad = False
        for issue in second:
            if report is not None:
                report(name, issue)
            bad = bad or issue.severity == "error"
        if bad and name not in lenient:
            errors.append((f"{name}/{first.id}", "; ".join(
                i.message for i in second if i.severity == "error")))
        else:
            pages.append(first)
    return pages, errors


# --- scoring -----------------------------------------------------------------------

def pick_threshold(f1_at: dict, default: float) -> float:
    """The threshold with the best held-out F1 (``f1_at``: threshold -> F1), or
    ``default`` unless that beats it by :data:`THRESHOLD_MIN_GAIN`."""
    best = max(f1_at, key=lambda t: (f1_at[t], -abs(t - default)))
    return float(best) if f1_at[best] - f1_at[default] >= THRESHOLD_MIN_GAIN else float(default)


def evaluate_pages(predict, pages, threshold: float, with_std: bool = False) -> dict:
    """Block accuracy and benchmark-metric F1 of ``predict(page) -> probs`` on pages
    (and, ``with_std``, the bootstrap standard deviation of F1 over pages)."""
    from . import metrics
    from .evaluate import decide_prepared, output_text

    correct = total = 0.0
    scores = []
    for p in pages:
        kept, headline = decide_prepared(p, predict(p), threshold)
        known = p.y >= 0
        correct += float((p.w * (kept == (p.y == 1)))[known].sum())
        total += float(p.w[known].sum())
        if p.gold:
            scores.append(metrics.score_page(output_text(p, kept, headline), p.gold))
    agg = metrics.aggregate(scores)
    out = {"block_accuracy": correct / total if total else 0.0,
           "f1": agg.f1, "precision": agg.precision, "recall": agg.recall,
           "pages": len(pages), "pages_with_text": len(scores)}
    if with_std:
        out["f1_std"] = metrics.bootstrap_std(scores)["f1"]
    return out


#: Seed of the synthetic appeals inserted into held-out pages by :func:`appeal_check`
#: (training augments with the config's seed, 0 for the bundled model).
APPEAL_CHECK_SEED = 12345


def _kept_counts(predict, threshold: float, marked) -> tuple[int, int, int]:
    """``(pages, marked blocks, kept of them)`` over ``(page, mask)`` pairs: what
    ``predict(page) -> probs`` keeps at ``threshold`` of each page's masked blocks."""
    from .evaluate import decide_prepared

    n_pages = total = kept_n = 0
    for page, mask in marked:
        kept = decide_prepared(page, predict(page), threshold)[0]
        n_pages += 1
        total += int(mask.sum())
        kept_n += int((kept & mask).sum())
    return n_pages, total, kept_n


def appeal_check(predict, pages, threshold: float, seed: int = APPEAL_CHECK_SEED) -> dict:
    """How many in-article appeals and prompts a model keeps: into every page with
    an article run (three or more content blocks) insert synthetic fundraising
    appeals, comment invitations, sign-in and newsletter notices
    (:func:`boilerstrip.augment.augment`, with a seed training does not use),
    score the page with ``predict(page) -> probs`` and count the inserted blocks
    kept.  The benchmark sets hardly contain such blocks, so their F1 cannot
    tell whether a change keeps more of them; this number can."""
    from .augment import augment

    def marked():
        for p in pages:
            blocks, y, n = augment(p.blocks, p.y, p.id, seed, share=1.0)
            if n:
                # an inserted block owns an element augment() appended to the page's
                new = np.asarray(blocks.owner) >= len(p.blocks.element_parent)
                yield _with_inserted(p, blocks, y), new

    return _counts("inserted", *_kept_counts(predict, threshold, marked()))


def headline_appeal_check(predict, pages, threshold: float,
                          seed: int = APPEAL_CHECK_SEED) -> dict:
    """The appeal check at one place: right after the headline, where sign-in
    notices and fundraising banners often sit and where the decision's lede
    rule (docs/design.md, section 5) lowers the bar.  Into every page whose
    headline matches its title (``api.lede_anchor``), synthetic boilerplate
    of one category goes between the headline and the block after it, with
    that block's structure; the count is of those blocks kept."""
    from .api import find_headline, lede_anchor
    from .augment import insert_at

    def marked():
        for p in pages:
            h = lede_anchor(p.X, p.blocks.tag, find_headline(p.X, p.blocks.tag))
            if h is None or h + 1 >= len(p.blocks):
                continue
            blocks, y, n = insert_at(p.blocks, p.y, p.id, h + 1, seed)
            new = np.zeros(len(y), dtype=bool)
            new[h + 1:h + 1 + n] = True
            yield _with_inserted(p, blocks, y), new

    return _counts("inserted", *_kept_counts(predict, threshold, marked()))


def _with_inserted(page, blocks, y):
    """A prepared page rebuilt around ``blocks`` (the page's own plus synthetic
    ones): its features recomputed, no training weights."""
    from . import features
    from .train import PageData

    return PageData(page.id, page.corpus, blocks, features.compute(blocks, page.title), y,
                    np.zeros(len(y)), None, page.title, page.page_type)


def _counts(total_key: str, pages: int, total: int, kept: int) -> dict:
    """A check's report entry: pages, blocks counted (under ``total_key``), kept, share."""
    return {"pages": pages, total_key: total, "kept": kept,
            "kept_share": kept / total if total else 0.0}


#: What each check of in-article boilerplate counts, for its report line, and
#: the key of its total.
CHECKS = {"appeals": ("synthetic in-article appeals", "inserted"),
          "headline_appeals": ("synthetic appeals after the headline", "inserted"),
          "prompts": ("real prompts", "prompts")}


def check_line(key: str, a: dict) -> str:
    """One line of a report: the counts of check ``key`` (see :data:`CHECKS`)."""
    what, total = CHECKS[key]
    return (f"{what} kept: {a['kept']}/{a[total]} ({a['kept_share']:.1%}) "
            f"on {a['pages']} pages")


def prompt_check(predict, pages, threshold: float) -> dict:
    """How many of the pages' own prompts a model keeps: on every page with full
    gold text, the blocks :func:`boilerstrip.metrics.prompt_mask` finds (left
    out by the gold, and asking the reader to donate, subscribe, sign in,
    comment, accept cookies, ...), and how many of them ``predict(page) ->
    probs`` keeps.  Unlike :func:`appeal_check`'s synthetic appeals, written
    from the same fragments as the augmentation, these are real pages' own
    prompts in their own words."""
    from . import metrics

    masks = ((p, metrics.prompt_mask(p.blocks.text, p.blocks.link_chars, p.y))
             for p in pages if p.gold)
    return _counts("prompts", *_kept_counts(predict, threshold,
                                            ((p, m) for p, m in masks if m.any())))


def model_predictor(model):
    """``predict(page) -> final probabilities`` of a loaded :class:`~boilerstrip.model.Model`
    on a prepared page (what :func:`boilerstrip.clean` computes for it)."""
    from .api import score_blocks
    from .decode import CONTEXT_NAMES
    from .features import FEATURE_NAMES, probe_digest

    # fail now, not at the first page
    model.check_features(FEATURE_NAMES, CONTEXT_NAMES, probe_digest)
    return lambda p: score_blocks(model, p.X, p.blocks)[1]


# --- configuration ------------------------------------------------------------------

def bundled_config_path() -> Path:
    """``train_config.json`` next to the bundled model (wheel or checkout)."""
    from .model import default_model_path

    ref = default_model_path()
    return Path(str(ref)).parent / "train_config.json"


def add_arguments(p):
    p.add_argument("corpora", nargs="*", help="corpus folders or names under the datasets root")
    p.add_argument("-o", "--output", help="model file to write (JSON)")
    p.add_argument("--config", help="JSON training config (corpora, params, seed, ...)")
    p.add_argument("--base", metavar="default|CONFIG",
                   help="site adaptation: train on the bundled model's corpora and parameters "
                        "('default', or a config file) plus CORPUS..., whose pages weigh "
                        "--user-weight times as much")
    p.add_argument("--user-weight", type=float, default=None,
                   help=f"weight of each page of CORPUS... under --base (default "
                        f"{DEFAULT_USER_WEIGHT:g}; a base page weighs 1)")
    p.add_argument("--user-holdout", type=float, default=None,
                   help="share of CORPUS... pages held out under --base (default: --holdout)")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--holdout", type=float, default=None,
                   help=f"share of pages held out for validation (default {DEFAULT_HOLDOUT})")
    p.add_argument("--jobs", type=int, default=1, help="parallel page preparation")
    p.add_argument("--card", help="also write a model card (Markdown) here")
    p.add_argument("--no-card", action="store_true",
                   help="do not write the config's model card (e.g. when -o is a scratch file)")
    p.add_argument("--report", help="write the validation report (JSON) here")
    p.add_argument("--cache", metavar="DIR", default=None,
                   help=f"prepared-page cache (default ${CACHE_ENV} or ~/.cache/boilerstrip/pages)")
    p.add_argument("--no-cache", action="store_true", help="prepare every page afresh")
    p.add_argument("--no-compare", action="store_true",
                   help="do not score the bundled model on the held-out pages")
    p.add_argument("--strict", action="store_true",
                   help="also leave out the config corpora's pages whose gold does not fit "
                        "the page (by default they are reported and kept, so that a config "
                        "always gives the same model)")
    p.add_argument("--cv", type=int, metavar="K", default=None,
                   help="cross-validate the recipe instead of training one model: K models, "
                        "each scored on the pages it did not see (no model is written)")
    p.add_argument("--check-only", action="store_true",
                   help="check the corpora (every page) and stop")
    p.add_argument("--no-progress", action="store_true")


def _fail(msg: str) -> int:
    print(f"boilerstrip train: {msg}", file=sys.stderr)
    return 2


def _read_config(path) -> dict:
    try:
        cfg = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read config {path}: {exc}") from None
    if not isinstance(cfg, dict):
        raise ValueError(f"config {path} must be a JSON object")
    return cfg


def run(args) -> int:
    from .train import BlockClassifier, dumps

    try:
        cfg = _read_config(args.config) if args.config else {}
        base = None
        if args.base:
            if args.config:
                return _fail("--base and --config do not go together")
            base = _read_config(bundled_config_path() if args.base == "default" else args.base)
    except ValueError as exc:
        return _fail(str(exc))
    user = list(args.corpora)
    if base is not None:
        if not user:
            return _fail("--base needs at least one corpus of your own")
        cfg = base
        corpora = list(base.get("corpora", [])) + user
    else:
        corpora = user or cfg.get("corpora") or []
    if not corpora:
        return _fail("name at least one corpus (or --config)")
    for c in corpora:
        if not (dataset_path(c) / "gold.jsonl").is_file():
            return _fail(f"no corpus at {dataset_path(c)} (a folder with gold.jsonl, or a "
                         "dataset name under the datasets root)")
    names = [corpus_name(c) for c in corpora]
    if len(set(names)) != len(names):
        return _fail(f"corpus names must differ (folder names): {', '.join(names)}")
    if args.check_only:
        return _check_only(corpora, args)
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return _fail("training needs scikit-learn: pip install 'boilerstrip[train]'")
    # the bundled model's output and card are never written under --base
    output = args.output or (cfg.get("output") if base is None else None)
    if args.cv is not None:
        if args.cv < 2:
            return _fail("--cv needs at least 2 folds")
        if base is not None:
            return _fail("--cv and --base do not go together")
    elif not output:
        return _fail("-o MODEL is required")
    seed = args.seed if args.seed is not None else cfg.get("seed", 0)
    holdout = args.holdout if args.holdout is not None else cfg.get("holdout", DEFAULT_HOLDOUT)
    params = dict(cfg.get("params", {}))
    scale = dict(cfg.get("corpus_weights", {}))
    user_names = [corpus_name(c) for c in user] if base is not None else []
    user_holdout = holdout
    if base is not None:
        weight = DEFAULT_USER_WEIGHT if args.user_weight is None else args.user_weight
        if not weight > 0:
            return _fail("--user-weight must be positive")
        for n in user_names:
            scale[n] = float(weight)
        if args.user_holdout is not None:
            user_holdout = args.user_holdout
    for share in (holdout, user_holdout):
        if not 0.0 <= share < 1.0:
            return _fail("holdout shares must be in [0, 1)")
    cache = None if args.no_cache else (args.cache or default_cache_dir())
    t0 = time.time()

    warnings: dict[str, list] = {}

    def collect(corpus, issue):
        if issue.severity == "warning" or corpus in lenient and issue.code in KEPT_CODES:
            warnings.setdefault(corpus, []).append(issue)

    # the corpora of a config (the bundled model's recipe) keep their imperfect pages
    lenient = set() if args.strict else {corpus_name(c) for c in cfg.get("corpora", [])}
    pages, errors = load_pages(corpora, n_jobs=args.jobs, progress=not args.no_progress,
                               cache_dir=cache, report=collect, lenient=lenient)
    for pid, err in errors:
        print(f"warning: page {pid} skipped: {err}", file=sys.stderr)
    for corpus, found in warnings.items():
        print(summarize_warnings(corpus, found), file=sys.stderr)

    page_types = cfg.get("page_types", {})
    if page_types:
        pages = [p for p in pages
                 if p.corpus not in page_types or p.page_type in page_types[p.corpus]]
    if args.cv is not None:
        return _cross_validate(pages, args.cv, cfg, params, seed, scale, args.report)

    def held_out(p):
        share = user_holdout if p.corpus in user_names else holdout
        return is_holdout(p.corpus, p.id, share)
    train = _augmented([p for p in pages if not held_out(p)], cfg, seed)
    held = [p for p in pages if held_out(p)]
    if not any((p.y >= 0).any() for p in train):
        return _fail("no labeled blocks to train on (see the messages above)")
    print(f"{len(pages)} pages ({len(train)} train, {len(held)} held out), "
          f"prepared in {time.time() - t0:.0f}s", file=sys.stderr)
    clf = BlockClassifier(random_state=seed, **params)
    t1 = time.time()
    try:
        clf.fit(train, sample_weight_scale=scale)
    except ValueError as exc:
        return _fail(str(exc))
    print(f"trained in {time.time() - t1:.0f}s", file=sys.stderr)
    # pick the threshold on the held-out pages with full gold text; the
    # classifier's own (0.5) stays unless another one is clearly better
    thresholds = cfg.get("thresholds", [round(x, 2) for x in np.arange(0.3, 0.71, 0.05)])
    probs = {id(p): clf.predict_proba(p) for p in held}
    f1_at = {float(t): evaluate_pages(lambda p: probs[id(p)], held, t)["f1"]
             for t in sorted({*thresholds, clf.threshold})}
    clf.threshold = pick_threshold(f1_at, clf.threshold)
    report = {"threshold": clf.threshold, "corpora": {}}
    for c in sorted({p.corpus for p in pages}):
        hp = [p for p in held if p.corpus == c]
        report["corpora"][c] = evaluate_pages(lambda p: probs[id(p)], hp, clf.threshold)
    report["all"] = evaluate_pages(lambda p: probs[id(p)], held, clf.threshold)
    report["appeals"] = appeal_check(clf.predict_proba, held, clf.threshold)
    report["headline_appeals"] = headline_appeal_check(clf.predict_proba, held, clf.threshold)
    report["prompts"] = prompt_check(lambda p: probs[id(p)], held, clf.threshold)
    meta = {
        "corpora": list(corpora), "seed": seed, "holdout": holdout, "params": params,
        "corpus_weights": scale,
        "pages": {"train": len(train), "held_out": len(held), "skipped": len(errors)},
        "blocks": {"train": int(sum(len(p.y) for p in train)),
                   "labeled": int(sum(int((p.y >= 0).sum()) for p in train))},
        "validation": report,
        "sklearn": _sklearn_version(),
    }
    if base is not None:
        meta["base"] = {"config": args.base, "user_corpora": user_names,
                        "user_weight": scale[user_names[0]], "user_holdout": user_holdout}
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    Path(output).write_text(dumps(clf.to_spec(meta)) + "\n")
    # the comparison with the bundled model is printed and written to --report,
    # never stored in the model (it would tie the model's bytes to another file)
    full = dict(report)
    if not args.no_compare:
        full["bundled"] = _compare_bundled(held, sorted({p.corpus for p in pages}))
    if args.report:
        Path(args.report).write_text(json.dumps(full, indent=2) + "\n")
    card = args.card or (cfg.get("card") if base is None and not args.no_card else None)
    if card:
        from .modelcard import write_card

        write_card(Path(card), meta, output, config_path=args.config,
                   python=platform.python_version())
    print(format_report(full), file=sys.stderr)
    print(json.dumps(full, indent=2))
    return 0


def _augmented(train: list, cfg: dict, seed: int) -> list:
    """The training pages with the config's synthetic boilerplate added."""
    if not cfg.get("augment", False):
        return train
    from .train import augment_page, comment_pool

    pool = comment_pool(train) if cfg.get("augment_comments", False) else None
    return [augment_page(p, seed, pool) for p in train]


def _cross_validate(pages: list, k: int, cfg: dict, params: dict, seed: int, scale: dict,
                    report_path=None) -> int:
    """``--cv K``: score every page with the model trained on the other folds."""
    from .train import BlockClassifier

    probs, threshold = {}, None
    appeals = {"pages": 0, "inserted": 0, "kept": 0}
    for fold in range(k):
        train = _augmented([p for p in pages if cv_fold(p.corpus, p.id, k) != fold], cfg, seed)
        test = [p for p in pages if cv_fold(p.corpus, p.id, k) == fold]
        if not test:
            continue
        if not any((p.y >= 0).any() for p in train):
            return _fail(f"fold {fold + 1} of {k} has no labeled blocks to train on")
        t0 = time.time()
        try:
            clf = BlockClassifier(random_state=seed, **params).fit(train, sample_weight_scale=scale)
        except ValueError as exc:
            return _fail(f"fold {fold + 1} of {k}: {exc}")
        threshold = clf.threshold
        probs.update((id(p), clf.predict_proba(p)) for p in test)
        a = appeal_check(clf.predict_proba, test, threshold)
        for key in ("pages", "inserted", "kept"):
            appeals[key] += a[key]
        print(f"fold {fold + 1}/{k}: trained on {len(train)} pages, scored {len(test)} "
              f"({time.time() - t0:.0f}s)", file=sys.stderr)
    predict = lambda p: probs[id(p)]  # noqa: E731
    report = {"threshold": threshold, "folds": k, "seed": seed, "corpora": {}}
    for c in sorted({p.corpus for p in pages}):
        report["corpora"][c] = evaluate_pages(predict, [p for p in pages if p.corpus == c],
                                              threshold, with_std=True)
    report["all"] = evaluate_pages(predict, pages, threshold, with_std=True)
    report["appeals"] = appeals = _counts("inserted", appeals["pages"], appeals["inserted"],
                                          appeals["kept"])
    report["prompts"] = prompt_check(predict, pages, threshold)
    if report_path:
        Path(report_path).write_text(json.dumps(report, indent=2) + "\n")
    lines = [f"{k}-fold cross-validation (threshold {threshold}; F1 ± bootstrap std over pages):",
             f"{'corpus':<24} {'pages':>5} {'text':>5} {'block acc':>9} {'F1':>16}"]
    for c, r in list(report["corpora"].items()) + [("all", report["all"])]:
        f1 = f"{r['f1']:.4f} ± {r['f1_std']:.4f}" if r["pages_with_text"] else "–"
        lines.append(f"{c:<24} {r['pages']:>5} {r['pages_with_text']:>5} "
                     f"{r['block_accuracy']:>9.4f} {f1:>16}")
    lines.append(check_line("appeals", appeals))
    lines.append(check_line("prompts", report["prompts"]))
    print("\n".join(lines), file=sys.stderr)
    print(json.dumps(report, indent=2))
    return 0


#: Problems that leave a page of a lenient corpus in training (reported as warnings).
KEPT_CODES = frozenset({"gold-unmatched", "snippets-unmatched"})
#: At most this many warnings of one corpus are listed one by one.
MAX_LISTED_WARNINGS = 10


def summarize_warnings(corpus: str, found: list) -> str:
    """Warnings of one corpus: listed when few, else counted by kind."""
    if len(found) <= MAX_LISTED_WARNINGS:
        return "\n".join(f"{corpus}: {i}" for i in found)
    counts: dict[str, int] = {}
    for i in found:
        counts[i.code] = counts.get(i.code, 0) + 1
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
    return (f"{corpus}: {len(found)} warnings ({kinds}); "
            f"list them with: boilerstrip check {corpus}")


def _compare_bundled(held, corpora) -> dict:
    """The bundled model's scores on the same held-out pages (or why there are none)."""
    from .model import load_model

    try:
        model = load_model()
        predict = model_predictor(model)
    except Exception as exc:  # an outdated bundled model is not comparable
        return {"error": f"{type(exc).__name__}: {exc}"}
    t = model.threshold
    out = {"threshold": t, "corpora": {}}
    for c in corpora:
        out["corpora"][c] = evaluate_pages(predict, [p for p in held if p.corpus == c], t)
    out["all"] = evaluate_pages(predict, held, t)
    out["appeals"] = appeal_check(predict, held, t)
    out["headline_appeals"] = headline_appeal_check(predict, held, t)
    out["prompts"] = prompt_check(predict, held, t)
    return out


def format_report(full: dict) -> str:
    """The validation report as a table: the new model and the bundled one, per corpus."""
    b = full.get("bundled") or {}
    bc = b.get("corpora", {})
    lines = [f"validation on held-out pages (threshold {full['threshold']}):",
             f"{'corpus':<24} {'pages':>5} {'text':>5} {'block acc':>9} {'F1':>6}"
             + (f" | {'bundled acc':>11} {'F1':>6}" if bc else "")]
    rows = list(full["corpora"].items()) + [("all", full["all"])]
    for c, r in rows:
        line = (f"{c:<24} {r['pages']:>5} {r['pages_with_text']:>5} "
                f"{r['block_accuracy']:>9.3f} {r['f1']:>6.3f}")
        o = b.get("all") if c == "all" else bc.get(c)
        if o is not None:
            line += f" | {o['block_accuracy']:>11.3f} {o['f1']:>6.3f}"
        lines.append(line)
    # the checks of in-article boilerplate, each next to the bundled model's
    for key, (_, total) in CHECKS.items():
        if key in full:
            line = check_line(key, full[key])
            if key in b:
                o = b[key]
                line += f" | bundled {o['kept']}/{o[total]} ({o['kept_share']:.1%})"
            lines.append(line)
    if "error" in b:
        lines.append(f"(bundled model not compared: {b['error']})")
    return "\n".join(lines)


def _check_only(corpora, args) -> int:
    from .corpus import validate_corpus

    status = 0
    for c in corpora:
        rep = validate_corpus(c, n_jobs=args.jobs, progress=not args.no_progress)
        print(rep.format())
        status = status or (0 if rep.ok else 1)
    return status


def _sklearn_version() -> str:
    import sklearn

    return sklearn.__version__
