"""Training: labeled pages -> a portable two-stage model (needs scikit-learn).

:class:`BlockClassifier` follows scikit-learn's conventions: parameters in
``__init__``, ``fit`` returns ``self``, ``predict_proba``.  It is fitted on a
list of :class:`PageData` (one per page: its blocks, feature matrix, labels
and weights) because the context stage needs whole pages.

* the **block stage** is a histogram gradient-boosting classifier on the block
  features;
* the **context stage** is a second one on :func:`decode.context_features`,
  computed from *out-of-fold* block-stage scores (pages are split into folds,
  each fold scored by a model that never saw it), so that the context model
  learns from scores as noisy as the ones it will see on new pages.

:meth:`BlockClassifier.export` writes the model in the JSON format of
:mod:`boilerstrip.model`.  The same data and ``random_state`` give the same
bytes.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import numpy as np

from . import decode, features, labels as labels_mod
from .api import analyse
from .datasets import Page, as_list, gold_text
from .encoding import to_text
from .model import FORMAT, VERSION, Model
from .segment import Blocks


@dataclass
class PageData:
    """One page ready for training: blocks, features, labels (-1 unknown), weights."""

    id: str
    corpus: str
    blocks: Blocks
    X: np.ndarray
    y: np.ndarray
    w: np.ndarray = field(default=None)
    gold: str | None = None
    title: str | None = None
    page_type: str | None = None


class _NullModel:
    """Stand-in model whose stages give 0.5: lets us reuse :func:`api.analyse`."""

    class _Stage:
        @staticmethod
        def predict_proba(X):
            return np.full(len(X), 0.5)

    block = context = _Stage()

    @staticmethod
    def check_features(names, context_names=None, probe=None) -> None:
        """Any features will do: the scores are not used."""


def page_weights(blocks: Blocks, y: np.ndarray) -> np.ndarray:
    """Training weight of each labeled block; every page sums to 1.

    Half of a page's weight is spread by words (the metric counts words),
    half evenly over blocks (so that short boilerplate lines still matter).
    """
    known = y >= 0
    w = np.zeros(len(y))
    if not known.any():
        return w
    words = np.array([max(len(t.split()), 1) for t in blocks.text], dtype=np.float64)
    words = np.minimum(words, 400.0)
    kw = words * known
    w = 0.5 * kw / kw.sum() + 0.5 * known / known.sum()
    return w


def prepare_page(page: Page, corpus: str, html_bytes: bytes | None = None) -> PageData:
    """Parse a labeled page and derive its block labels and weights."""
    raw = page.read_bytes() if html_bytes is None else html_bytes
    html = to_text(raw)
    a = analyse(html, _NullModel())
    gold = gold_text(page) if page.has_text else None
    block_labels = page.labels
    if block_labels and any(isinstance(e, dict) and "selector" in e for e in block_labels):
        block_labels = _resolve_selectors(html, a.blocks, block_labels)
    # user comments are not article text: snippets of them (trafilatura's
    # evaluation set has a `comments` field) count as boilerplate, and so
    # does the rest of the comment section they point to
    comments = as_list(page.extra.get("comments"))
    y = labels_mod.derive(a.blocks.text, text=gold, with_=page.with_snippets,
                          without=list(page.without_snippets) + comments,
                          block_labels=block_labels)
    if comments:
        y = labels_mod.spread_comments(a.blocks, y, comments)
    return PageData(page.id, corpus, a.blocks, a.X, y, page_weights(a.blocks, y), gold,
                    a.title, page.extra.get("page_type"))


def _resolve_selectors(html: str, blocks: Blocks, entries: list) -> list:
    """Block labels given by CSS selector -> by block index (see corpus.resolve_labels)."""
    from .api import parse_and_segment
    from .corpus import resolve_labels

    tree, root, again = parse_and_segment(html)
    if again.text != blocks.text:  # pragma: no cover - analyse segments the same way
        raise RuntimeError("segmentation for selector labels differs from the pipeline's")
    resolved, problems = resolve_labels(entries, tree, root, blocks)
    if problems:
        raise ValueError("; ".join(problems))
    return resolved


def comment_pool(pages: list[PageData], min_words: int = 12, max_words: int = 120) -> list[str]:
    """Article paragraphs of the training pages: the prose of synthetic comment threads."""
    pool = []
    for p in pages:
        for t, label in zip(p.blocks.text, p.y.tolist()):
            if label == 1 and min_words <= t.count(" ") + 1 <= max_words:
                pool.append(t)
    return pool


def augment_page(page: PageData, seed: int = 0, pool: list[str] | None = None) -> PageData:
    """A copy of a training page with synthetic in-article boilerplate and, given a
    ``pool`` of prose, a synthetic comment thread (see augment.py); the page itself
    when it is not picked."""
    from .augment import augment, augment_comments

    blocks, y, n = augment(page.blocks, page.y, page.id, seed)
    if pool is not None:
        blocks, y, n2 = augment_comments(blocks, y, page.id, pool, page.title, seed)
        n += n2
    if not n:
        return page
    X = features.compute(blocks, page.title)
    return PageData(page.id, page.corpus, blocks, X, y, page_weights(blocks, y), None,
                    page.title, page.page_type)


def _hgb(params: dict, seed: int):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(random_state=seed, early_stopping=False, **params)


def _stack(pages: list[PageData], attr: str) -> np.ndarray:
    return np.concatenate([getattr(p, attr) for p in pages])


class BlockClassifier:
    """Two-stage block classifier (block features, then context of scores)."""

    def __init__(self, max_iter: int = 150, learning_rate: float = 0.1,
                 max_leaf_nodes: int = 31, max_depth: int | None = 8,
                 min_samples_leaf: int = 40, l2_regularization: float = 1.0,
                 context_max_iter: int = 100, n_folds: int = 4, threshold: float = 0.5,
                 context_monotonic: bool = False, random_state: int = 0):
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.max_depth = max_depth
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.context_max_iter = context_max_iter
        self.n_folds = n_folds
        self.threshold = threshold
        self.context_monotonic = context_monotonic
        self.random_state = random_state

    # scikit-learn's estimator protocol (``sklearn.base.clone`` needs these two)
    @classmethod
    def _param_names(cls) -> list[str]:
        import inspect

        sig = inspect.signature(cls.__init__)
        return [n for n, p in sig.parameters.items()
                if n != "self" and p.kind == p.POSITIONAL_OR_KEYWORD]

    def get_params(self, deep: bool = True) -> dict:
        """The constructor parameters (scikit-learn convention)."""
        return {n: getattr(self, n) for n in self._param_names()}

    def set_params(self, **params):
        """Set constructor parameters; unknown names raise ``ValueError``."""
        valid = set(self._param_names())
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"invalid parameter {name!r} for BlockClassifier; "
                                 f"valid: {', '.join(sorted(valid))}")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        default = type(self)()
        diff = {k: v for k, v in self.get_params().items() if getattr(default, k) != v}
        return f"BlockClassifier({', '.join(f'{k}={v!r}' for k, v in diff.items())})"

    def _params(self, max_iter: int) -> dict:
        return dict(max_iter=max_iter, learning_rate=self.learning_rate,
                    max_leaf_nodes=self.max_leaf_nodes, max_depth=self.max_depth,
                    min_samples_leaf=self.min_samples_leaf,
                    l2_regularization=self.l2_regularization)

    def fit(self, pages: list[PageData], sample_weight_scale: dict | None = None):
        """Fit both stages.  ``sample_weight_scale`` maps corpus name -> weight factor."""
        scale = sample_weight_scale or {}
        pages = [p for p in pages if (p.y >= 0).any()]
        if not pages:
            raise ValueError("no labeled blocks to train on")
        if len(pages) < self.n_folds:
            raise ValueError(f"too few pages with labeled blocks to train on: {len(pages)}, "
                             f"and the context stage needs n_folds = {self.n_folds}")
        X = _stack(pages, "X")
        y = _stack(pages, "y")
        w = np.concatenate([p.w * scale.get(p.corpus, 1.0) for p in pages])
        page_of = np.concatenate([np.full(len(p.y), i) for i, p in enumerate(pages)])
        known = y >= 0
        # out-of-fold block scores for the context stage
        rng = np.random.default_rng(self.random_state)
        fold_of_page = rng.permutation(len(pages)) % self.n_folds
        fold = fold_of_page[page_of]
        oof = np.zeros(len(y))
        for k in range(self.n_folds):
            tr = known & (fold != k)
            m = _hgb(self._params(self.max_iter), self.random_state).fit(
                X[tr], y[tr], sample_weight=w[tr])
            oof[fold == k] = m.predict_proba(X[fold == k])[:, 1]
        self.block_ = _hgb(self._params(self.max_iter), self.random_state).fit(
            X[known], y[known], sample_weight=w[known])
        C = self._context(pages, oof)
        ctx_params = self._params(self.context_max_iter)
        if self.context_monotonic:
            # a higher first-stage score (of the block, its neighbours, its
            # containers) never lowers the final one
            ctx_params["monotonic_cst"] = [1 if n in decode.SCORE_FEATURES else 0
                                           for n in decode.CONTEXT_NAMES]
        self.context_ = _hgb(ctx_params, self.random_state).fit(
            C[known], y[known], sample_weight=w[known])
        return self

    @staticmethod
    def _context(pages: list[PageData], p1: np.ndarray) -> np.ndarray:
        out, start = [], 0
        for p in pages:
            n = len(p.y)
            out.append(decode.context_features(p.X, p1[start:start + n], p.blocks))
            start += n
        return np.concatenate(out) if out else np.zeros((0, len(decode.CONTEXT_NAMES)))

    def predict_proba(self, page: PageData) -> np.ndarray:
        """Final content probability of every block of a page."""
        if len(page.y) == 0:
            return np.zeros(0)
        p1 = self.block_.predict_proba(page.X)[:, 1]
        C = decode.context_features(page.X, p1, page.blocks)
        return self.context_.predict_proba(C)[:, 1]

    def to_spec(self, meta: dict | None = None) -> dict:
        return {
            "format": FORMAT,
            "version": VERSION,
            "feature_names": list(features.FEATURE_NAMES),
            "context_feature_names": list(decode.CONTEXT_NAMES),
            "threshold": float(self.threshold),
            "feature_probe": features.probe_digest(),
            "stages": {"block": export_hgb(self.block_), "context": export_hgb(self.context_)},
            "meta": meta or {},
        }

    def to_model(self, meta: dict | None = None) -> Model:
        return Model(json.loads(dumps(self.to_spec(meta))), source="<trained>")


def export_hgb(est) -> dict:
    """A fitted HistGradientBoostingClassifier (binary) as plain arrays."""
    baseline = float(np.ravel(est._baseline_prediction)[0])
    trees = []
    for predictors in est._predictors:
        nodes = predictors[0].nodes
        leaf = nodes["is_leaf"].astype(bool)
        trees.append({
            "feature": np.where(leaf, -1, nodes["feature_idx"]).astype(int).tolist(),
            "threshold": np.where(leaf, 0.0, nodes["num_threshold"]).astype(float).tolist(),
            "left": np.where(leaf, -1, nodes["left"]).astype(int).tolist(),
            "right": np.where(leaf, -1, nodes["right"]).astype(int).tolist(),
            "value": np.where(leaf, nodes["value"], 0.0).astype(float).tolist(),
        })
    return {"baseline": baseline, "n_features": int(est.n_features_in_), "trees": trees}


def dumps(spec: dict) -> str:
    """Canonical JSON of a model (sorted keys, shortest exact floats)."""
    return json.dumps(spec, sort_keys=True, separators=(",", ":"), allow_nan=False)


def fingerprint(spec: dict) -> str:
    return hashlib.sha256(dumps(spec).encode()).hexdigest()[:16]
