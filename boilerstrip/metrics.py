"""Scoring: the article-extraction-benchmark shingle metric and the snippet metric.

Shingle metric (as used by the article-extraction-benchmark):

* tokens are ``\\w+`` matches, case kept;
* each text becomes the multiset of its 4-token shingles (a text shorter than
  four tokens is one shingle of all its tokens);
* per page, TP is the sum over shingles of ``min(count_pred, count_gold)``,
  FP and FN are the surpluses on each side, normalised so TP+FP+FN = 1;
* precision is averaged over pages with non-empty output, recall over pages
  with non-empty gold, F1 is the harmonic mean of the two averages.

Prompt blocks (:func:`prompt_mask`): the blocks of a page that the gold
leaves out and that ask the reader for something in so many words -- donate,
subscribe, sign in, comment, accept cookies.  F1 weighs every word the same,
so it hardly sees whether an extractor keeps them; counting them does
(``boilerstrip train`` on held-out pages, ``python -m benchmarks prompts``
for every extractor).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

TOKEN_RE = re.compile(r"\w+")
#: Shingle length of the metric.
SHINGLE = 4


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text or "")


def shingles(text: str, n: int = SHINGLE) -> Counter:
    toks = tokens(text)
    if not toks:
        return Counter()
    if len(toks) < n:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


class _PRF:
    """Precision, recall and F1 from ``tp``/``fp``/``fn`` attributes."""

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if (self.tp + self.fp) else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if (self.tp + self.fn) else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if (p + r) else 0.0


@dataclass(frozen=True)
class PageScore(_PRF):
    """Normalised counts for one page (tp + fp + fn == 1 unless both are empty)."""

    tp: float
    fp: float
    fn: float
    pred_empty: bool
    gold_empty: bool

    @property
    def exact(self) -> bool:
        """Output and gold have the same shingle multiset (both empty counts too)."""
        return self.fp == 0 and self.fn == 0


def score_page(pred: str, gold: str) -> PageScore:
    return score_counts(shingles(pred), shingles(gold))


def score_counts(sp: Counter, sg: Counter) -> PageScore:
    """:func:`score_page` on shingle multisets already built (reuse the gold's)."""
    tp = sum((sp & sg).values())
    fp = sum((sp - sg).values())
    fn = sum((sg - sp).values())
    total = tp + fp + fn
    if total == 0:
        return PageScore(0.0, 0.0, 0.0, not sp, not sg)
    return PageScore(tp / total, fp / total, fn / total, not sp, not sg)


@dataclass(frozen=True)
class Aggregate:
    precision: float
    recall: float
    f1: float
    accuracy: float
    n: int

    def as_dict(self) -> dict:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "accuracy": self.accuracy, "n": self.n}


def mean_prf(precisions: Sequence[float], recalls: Sequence[float]) -> tuple[float, float, float]:
    """``(precision, recall, F1)`` of a set of pages the benchmark's way: the mean
    precision of the pages with output, the mean recall of the pages with gold
    (pass only those), and the F1 of the two means."""
    p = float(np.mean(precisions)) if len(precisions) else 0.0
    r = float(np.mean(recalls)) if len(recalls) else 0.0
    return p, r, (2 * p * r / (p + r) if (p + r) else 0.0)


def aggregate(scores: Sequence[PageScore]) -> Aggregate:
    """Average page scores the benchmark's way (see module docstring)."""
    p, r, f1 = mean_prf([s.precision for s in scores if not s.pred_empty],
                        [s.recall for s in scores if not s.gold_empty])
    acc = float(np.mean([s.exact for s in scores])) if scores else 0.0
    return Aggregate(p, r, f1, acc, len(scores))


def bootstrap_std(scores: Sequence[PageScore], n_boot: int = 200, seed: int = 0) -> dict:
    """Standard deviation of precision/recall/F1 over pages resampled with replacement."""
    if not scores:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    rng = np.random.default_rng(seed)
    arr = np.array([(s.precision, s.recall, s.pred_empty, s.gold_empty, s.exact)
                    for s in scores], dtype=float)
    out = {"precision": [], "recall": [], "f1": []}
    n = len(scores)
    for _ in range(n_boot):
        idx = rng.integers(0, n, n)
        a = arr[idx]
        pm, rm = a[:, 2] == 0, a[:, 3] == 0
        p = a[pm, 0].mean() if pm.any() else 0.0
        r = a[rm, 1].mean() if rm.any() else 0.0
        out["precision"].append(p)
        out["recall"].append(r)
        out["f1"].append(2 * p * r / (p + r) if (p + r) else 0.0)
    return {k: float(np.std(v)) for k, v in out.items()}


# --- snippet metric -------------------------------------------------------

_WS_RE = re.compile(r"\s+")


def normalize_ws(text: str) -> str:
    return _WS_RE.sub(" ", text or "").strip()


@dataclass
class SnippetCounts(_PRF):
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def add(self, other: "SnippetCounts") -> None:
        self.tp += other.tp
        self.fn += other.fn
        self.fp += other.fp
        self.tn += other.tn

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fn + self.fp + self.tn
        return (self.tp + self.tn) / total if total else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fn": self.fn, "fp": self.fp, "tn": self.tn,
                "precision": self.precision, "recall": self.recall, "f1": self.f1,
                "accuracy": self.accuracy}


def score_snippets(pred: str | None, with_: Iterable[str], without: Iterable[str]) -> SnippetCounts:
    """Whitespace-normalised substring test; ``None`` output counts as empty.

    Blank snippets say nothing about the output and are not counted.
    """
    out = normalize_ws(pred or "")
    c = SnippetCounts()
    for s in (normalize_ws(s) for s in with_):
        if s:
            if s in out:
                c.tp += 1
            else:
                c.fn += 1
    for s in (normalize_ws(s) for s in without):
        if s:
            if s in out:
                c.fp += 1
            else:
                c.tn += 1
    return c


#: Phrases that make a left-out block a prompt.  This list defines the
#: category; it is not the model's lexicon (though the two overlap).
PROMPT_RE = re.compile(
    r"\b(?:donat\w*|support (?:us|our|independent|local)\b|subscri\w*|newsletters?\b"
    r"|sign(?:ed|ing)? (?:up|in)\b|log ?in\b|register\w*|registration|join the "
    r"(?:discussion|conversation)|comments?\b|cookies?\b|notifications?\b"
    r"|become a member|membership|advertis\w*)", re.IGNORECASE)
#: A prompt is a sentence or a short paragraph: fewer words is a button or a
#: link, more is a text that happens to mention comments or cookies.
PROMPT_MIN_WORDS = 6
PROMPT_MAX_WORDS = 80
#: Blocks whose text is mostly links are menus and link lists, not prompts.
PROMPT_MAX_LINK_DENSITY = 0.5


def prompt_mask(texts: Sequence[str], link_chars: Sequence[int], labels) -> np.ndarray:
    """Which blocks are prompts: labeled boilerplate (``labels`` 0, as derived
    from full gold text), :data:`PROMPT_MIN_WORDS`-:data:`PROMPT_MAX_WORDS`
    words, at most :data:`PROMPT_MAX_LINK_DENSITY` of their characters in
    links, and a :data:`PROMPT_RE` phrase."""
    out = np.zeros(len(texts), dtype=bool)
    for i, (text, links, label) in enumerate(zip(texts, link_chars, labels)):
        if label != 0 or links > PROMPT_MAX_LINK_DENSITY * len(text):
            continue
        out[i] = (PROMPT_MIN_WORDS <= len(text.split()) <= PROMPT_MAX_WORDS
                  and PROMPT_RE.search(text) is not None)
    return out
