"""Stage 4: the portable model -- gradient-boosted trees as plain arrays in JSON.

The bundled model (``models/default.json``) and any model written by
``boilerstrip train`` use this format.  Loading parses JSON and builds NumPy
arrays: no pickle, no code execution, no scikit-learn.  Prediction walks all
trees of a stage at once, level by level, so its cost is ``depth`` vectorised
steps whatever the number of trees.

Format (``format: "boilerstrip-model"``, ``version: 1``)::

    {"format": "boilerstrip-model", "version": 1,
     "feature_names": [...],           # stage-1 feature columns, in order
     "context_feature_names": [...],   # stage-2 columns (see decode.py)
     "threshold": 0.5,                 # default decision threshold on stage 2
     "feature_probe": [...],           # optional: features.probe_digest() at training
     "stages": {"block": STAGE, "context": STAGE},
     "meta": {...}}                    # free-form: training data, metrics, ...
    STAGE = {"baseline": float, "n_features": int,
             "trees": [{"feature": [int], "threshold": [float],
                        "left": [int], "right": [int], "value": [float]}, ...]}

In a tree, node 0 is the root; a leaf has ``feature == -1`` and its
``value`` is added to the raw score; an inner node sends a row left when
``x[feature] <= threshold``.  The probability is ``sigmoid(baseline + sum)``.
"""
from __future__ import annotations

import json
import os
import threading
from importlib import resources
from pathlib import Path

import numpy as np

FORMAT = "boilerstrip-model"
VERSION = 1
#: Largest model file we agree to read (a sanity bound against hostile input).
MAX_MODEL_BYTES = 200 * 1024 * 1024
#: Deepest tree we accept.
MAX_TREE_DEPTH = 64
#: Tolerance of the feature-probe comparison (digests are rounded to 9
#: significant digits; math libraries may differ in the last bits).
PROBE_RTOL = 1e-7
PROBE_ATOL = 1e-9
#: Rows x trees evaluated at once by :meth:`TreeEnsemble.decision_function`.
PREDICT_CHUNK_CELLS = 1 << 18


class ModelError(ValueError):
    """A model file that is not a valid boilerstrip model."""


class TreeEnsemble:
    """One stage: a sum of regression trees followed by a sigmoid."""

    def __init__(self, spec: dict, where: str = "stage"):
        try:
            self.baseline = float(spec["baseline"])
            self.n_features = int(spec["n_features"])
            trees = spec["trees"]
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{where}: missing or invalid field ({exc})") from None
        if not isinstance(trees, list):
            raise ModelError(f"{where}: 'trees' must be a list")
        feats, thrs, lefts, rights, vals, roots = [], [], [], [], [], []
        offset = 0
        depth = 0
        for t_i, tree in enumerate(trees):
            try:
                f = np.asarray(tree["feature"], dtype=np.int64)
                th = np.asarray(tree["threshold"], dtype=np.float64)
                le = np.asarray(tree["left"], dtype=np.int64)
                ri = np.asarray(tree["right"], dtype=np.int64)
                va = np.asarray(tree["value"], dtype=np.float64)
            except (KeyError, TypeError, ValueError) as exc:
                raise ModelError(f"{where}: tree {t_i}: {exc}") from None
            n = len(f)
            if n == 0 or not all(len(a) == n for a in (th, le, ri, va)) or f.ndim != 1:
                raise ModelError(f"{where}: tree {t_i}: arrays of unequal length")
            leaf = f < 0
            if np.any(f >= self.n_features):
                raise ModelError(f"{where}: tree {t_i}: feature index out of range")
            inner = ~leaf
            if np.any((le[inner] <= np.nonzero(inner)[0]) | (le[inner] >= n)
                      | (ri[inner] <= np.nonzero(inner)[0]) | (ri[inner] >= n)):
                raise ModelError(f"{where}: tree {t_i}: child index out of range")
            if not np.all(np.isfinite(va)) or not np.all(np.isfinite(th[inner])):
                raise ModelError(f"{where}: tree {t_i}: non-finite values")
            idx = np.arange(n)
            le = np.where(leaf, idx, le) + offset   # a leaf points to itself
            ri = np.where(leaf, idx, ri) + offset
            feats.append(np.where(leaf, 0, f))
            thrs.append(np.where(leaf, 0.0, th))
            lefts.append(le)
            rights.append(ri)
            vals.append(np.where(leaf, va, 0.0))
            roots.append(offset)
            offset += n
            depth = max(depth, _tree_depth(f, le - offset + n, ri - offset + n))
        if depth > MAX_TREE_DEPTH:
            raise ModelError(f"{where}: trees deeper than {MAX_TREE_DEPTH}")
        cat = (lambda xs, dt: np.concatenate(xs).astype(dt) if xs else np.zeros(0, dt))
        self.feature = cat(feats, np.int64)
        self.threshold = cat(thrs, np.float64)
        self.left = cat(lefts, np.int64)
        self.right = cat(rights, np.int64)
        self.value = cat(vals, np.float64)
        self.roots = np.asarray(roots, dtype=np.int64)
        self.children = np.stack([self.left, self.right], axis=1).ravel()
        self.depth = depth
        for arr in (self.feature, self.threshold, self.left, self.right, self.value, self.roots,
                    self.children):
            arr.setflags(write=False)

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(f"expected {self.n_features} features, got shape {X.shape}")
        n = X.shape[0]
        if n == 0 or len(self.roots) == 0:
            return np.full(n, self.baseline)
        # Rows go through in chunks so that the (rows x trees) work arrays stay
        # small however many blocks a page has (memory bounded, time linear).
        step = max(1, PREDICT_CHUNK_CELLS // len(self.roots))
        out = np.empty(n)
        T = len(self.roots)
        nf = X.shape[1]
        # X[row, feature] is read as flat[row * row_stride + feature_offset[node]]:
        # a feature matrix in Fortran order (features.compute returns one) is read
        # in place (feature offset = feature * rows) instead of being copied
        # row-major first (offset = feature, row stride = columns)
        if X.flags.f_contiguous:
            flat = X.ravel(order="F")
            row_stride, feature_offset = 1, self.feature * n
        else:
            X = np.ascontiguousarray(X)
            flat = X.ravel()
            row_stride, feature_offset = nf, self.feature
        for lo in range(0, n, step):
            m = min(step, n - lo)
            base = np.repeat(np.arange(lo, lo + m) * row_stride, T)   # each (row, tree)
            node = np.tile(self.roots, m)
            for _ in range(self.depth):
                x = flat[base + feature_offset[node]]
                # children holds (left, right) pairs: right when x > threshold
                node = self.children[2 * node + (x > self.threshold[node])]
            out[lo:lo + m] = self.value[node].reshape(m, T).sum(axis=1)
        return self.baseline + out

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Probability that each row is article content."""
        z = np.clip(self.decision_function(X), -50, 50)
        return 1.0 / (1.0 + np.exp(-z))


def _tree_depth(feature: np.ndarray, left: np.ndarray, right: np.ndarray) -> int:
    """Depth of a tree given as node arrays (iterative; local indices)."""
    depth = np.zeros(len(feature), dtype=np.int64)
    best = 0
    for i in range(len(feature)):   # children always have larger indices
        if feature[i] >= 0:
            for c in (left[i], right[i]):
                depth[c] = depth[i] + 1
                best = max(best, depth[c])
    return best


class Model:
    """A loaded, immutable boilerstrip model (block stage + context stage)."""

    def __init__(self, spec: dict, source: str = "<dict>"):
        if not isinstance(spec, dict):
            raise ModelError(f"{source}: a model is a JSON object")
        if spec.get("format") != FORMAT:
            raise ModelError(f"{source}: not a boilerstrip model (format={spec.get('format')!r})")
        if spec.get("version") != VERSION:
            raise ModelError(f"{source}: unsupported model version {spec.get('version')!r} "
                             f"(this boilerstrip reads version {VERSION})")
        try:
            self.feature_names = [str(x) for x in spec["feature_names"]]
            self.context_feature_names = [str(x) for x in spec["context_feature_names"]]
            self.threshold = float(spec.get("threshold", 0.5))
            stages = spec["stages"]
            self.block = TreeEnsemble(stages["block"], f"{source}: block stage")
            self.context = TreeEnsemble(stages["context"], f"{source}: context stage")
        except (KeyError, TypeError) as exc:
            raise ModelError(f"{source}: missing field {exc}") from None
        if self.block.n_features != len(self.feature_names):
            raise ModelError(f"{source}: block stage expects {self.block.n_features} features, "
                             f"feature_names has {len(self.feature_names)}")
        if self.context.n_features != len(self.context_feature_names):
            raise ModelError(f"{source}: context stage feature count mismatch")
        if not 0.0 <= self.threshold <= 1.0:
            raise ModelError(f"{source}: threshold must be in [0, 1]")
        probe = spec.get("feature_probe")
        if probe is not None:
            try:
                probe = np.asarray(probe, dtype=np.float64)
            except (TypeError, ValueError):
                raise ModelError(f"{source}: feature_probe must be a list of numbers") from None
            if probe.ndim != 1 or not np.all(np.isfinite(probe)):
                raise ModelError(f"{source}: feature_probe must be a list of finite numbers")
        self.feature_probe = probe
        self.meta = dict(spec.get("meta") or {})
        self.source = source
        self._checked = None   # (names, context_names) that check_features accepted

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> "Model":
        p = Path(path)
        try:
            size = p.stat().st_size
        except OSError as exc:
            raise ModelError(f"cannot read model {p}: {exc}") from None
        if size > MAX_MODEL_BYTES:
            raise ModelError(f"{p}: {size} bytes is larger than any boilerstrip model")
        try:
            raw = p.read_bytes()
        except OSError as exc:  # a directory, no permission, ...
            raise ModelError(f"cannot read model {p}: {exc}") from None
        return cls.from_json(raw, source=str(p))

    @classmethod
    def from_json(cls, raw: str | bytes, source: str = "<json>") -> "Model":
        try:
            spec = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ModelError(f"{source}: not JSON ({exc}); boilerstrip models are JSON files, "
                             "pickles are never loaded") from None
        return cls(spec, source)

    def check_features(self, names, context_names=None, probe=None) -> None:
        """Raise :class:`ModelError` unless the model was trained on the feature
        columns ``names`` (and context columns ``context_names``, if given) as this
        boilerstrip computes them.  ``probe()`` returns the current digest of the
        probe page's features (:func:`boilerstrip.features.probe_digest`); when
        the model stores one (``feature_probe``), the two must agree, so that a
        feature changed under the same name is caught too.  The last names that
        passed are remembered, so a check per page costs nothing."""
        if self._checked is not None and self._checked[0] is names \
                and self._checked[1] is context_names:
            return
        if list(names) != self.feature_names or (
                context_names is not None
                and list(context_names) != self.context_feature_names):
            raise ModelError(f"{self.source}: the model was trained on other features than "
                             "this boilerstrip computes; retrain it with this version")
        if probe is not None and self.feature_probe is not None:
            now = np.asarray(probe(), dtype=np.float64)
            if now.shape != self.feature_probe.shape or not np.allclose(
                    now, self.feature_probe, rtol=PROBE_RTOL, atol=PROBE_ATOL):
                raise ModelError(f"{self.source}: the model was trained on features computed "
                                 "differently from this boilerstrip's (same names, other "
                                 "values on the probe page); retrain it with this version")
        self._checked = (names, context_names)


_DEFAULT: Model | None = None
_LOCK = threading.Lock()
DEFAULT_MODEL_NAME = "default.json"


def default_model_path():
    """The bundled model: ``boilerstrip/models`` in an installed wheel (the
    checkout's ``models/`` folder is mapped there), or ``models/`` of a checkout."""
    try:
        ref = resources.files("boilerstrip.models").joinpath(DEFAULT_MODEL_NAME)
        if ref.is_file():
            return ref
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / "models" / DEFAULT_MODEL_NAME


def load_model(path: str | os.PathLike | Model | None = None) -> Model:
    """Load a model file, or the bundled model (cached) when ``path`` is None."""
    global _DEFAULT
    if isinstance(path, Model):
        return path
    if path is not None:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"model must be a path or a Model, not {type(path).__name__}")
        return Model.from_file(path)
    if _DEFAULT is None:
        with _LOCK:
            if _DEFAULT is None:
                ref = default_model_path()
                _DEFAULT = Model.from_json(ref.read_bytes(), source="bundled model")
    return _DEFAULT
