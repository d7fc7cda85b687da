"""Derive block labels from gold: full text, snippets, or explicit block labels.

* **Full gold text.**  A block is content when most of its token trigrams
  occur in the gold text's trigrams (order is kept inside each trigram, so a
  block must match a stretch of the gold, not scattered words).  Blocks of
  one or two tokens are content when the same tokens appear side by side in
  the gold.  Blocks whose match is neither clear nor absent are left out of
  training (label -1).
* **Snippets.**  A block that contains a ``with`` snippet (or is contained in
  one) is content; one that contains a ``without`` snippet is boilerplate;
  the others are unknown (-1).
* **Comment snippets** (user comments quoted by the gold, which are not
  article text) label their blocks as boilerplate, and through them the whole
  comment section: every block under the outermost element that holds a
  matched comment, is marked "comment" in its class/id, and holds no content
  block (:func:`spread_comments`).
* **Explicit labels.**  A list of ``{"index": i, "label": 0/1}`` or
  ``{"text": "...", "label": 0/1}`` entries: block ``i`` of our segmentation,
  or every block whose whitespace-normalised text equals ``text``.

Labels are 1 (content), 0 (boilerplate) or -1 (unknown).
"""
from __future__ import annotations

import re

import numpy as np

#: Share of a block's trigrams found in the gold above which it is content ...
CONTENT_MATCH = 0.5
#: ... and below which it is boilerplate; in between it is left out.
BOILERPLATE_MATCH = 0.2
#: A snippet shorter than this (characters) is too ambiguous to label with.
MIN_SNIPPET_CHARS = 8
#: A block must be at least this long to count as "contained in" a snippet.
MIN_CONTAINED_CHARS = 25

_TOKEN = re.compile(r"\w+")
_WS = re.compile(r"\s+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _ngrams(toks: list[str], n: int) -> list[tuple]:
    return [tuple(toks[i:i + n]) for i in range(len(toks) - n + 1)]


def from_text(block_texts: list[str], gold: str) -> np.ndarray:
    """Labels (1/0/-1) for blocks given the full gold text."""
    gold_toks = _tokens(gold)
    tri = set(_ngrams(gold_toks, 3))
    bi = set(_ngrams(gold_toks, 2))
    uni = set(gold_toks)
    out = np.full(len(block_texts), -1, dtype=np.int8)
    for i, t in enumerate(block_texts):
        toks = _tokens(t)
        if not toks:
            out[i] = 0
            continue
        if len(toks) >= 3:
            grams = _ngrams(toks, 3)
            frac = sum(g in tri for g in grams) / len(grams)
        elif len(toks) == 2:
            frac = 1.0 if tuple(toks) in bi else 0.0
        else:
            frac = 1.0 if toks[0] in uni else 0.0
        if frac >= CONTENT_MATCH:
            out[i] = 1
        elif frac < BOILERPLATE_MATCH:
            out[i] = 0
    return out


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip().lower()


def from_snippets(block_texts: list[str], with_: list[str], without: list[str]) -> np.ndarray:
    """Labels (1/0/-1) for blocks given ``with``/``without`` snippets."""
    pos = [s for s in (_norm(x) for x in with_) if len(s) >= MIN_SNIPPET_CHARS]
    neg = [s for s in (_norm(x) for x in without) if len(s) >= MIN_SNIPPET_CHARS]
    out = np.full(len(block_texts), -1, dtype=np.int8)
    for i, t in enumerate(block_texts):
        b = _norm(t)
        long_enough = len(b) >= MIN_CONTAINED_CHARS
        is_pos = any(s in b or (long_enough and b in s) for s in pos)
        is_neg = any(s in b or (long_enough and b in s) for s in neg)
        if is_pos and not is_neg:
            out[i] = 1
        elif is_neg and not is_pos:
            out[i] = 0
    return out


def spread_comments(blocks, labels: np.ndarray, comments: list[str]) -> np.ndarray:
    """Labels with every comment section that ``comments`` snippets point to set to 0.

    A snippet quotes one user comment; the rest of the thread sits next to it
    and is just as much boilerplate.  For each block a snippet matches, climb
    its block-level ancestors and take the outermost one whose class/id says
    "comment" and that holds no block labeled content; its unlabeled blocks
    become boilerplate.  Blocks labeled content are never changed."""
    out = labels.copy()
    matched = from_snippets(blocks.text, [], comments) == 0
    if not matched.any():
        return out
    levels = blocks.ancestor_levels                 # (levels, n) element ids
    n_elem = len(blocks.element_parent)
    content = np.zeros(n_elem, dtype=bool)           # element holds a content block
    content[np.unique(levels[:, labels == 1])] = True
    marked = blocks.element_words(("comment",))[:, 0]
    marked[0] = False                                # never the whole page
    sections = set()
    for i in np.flatnonzero(matched):
        top = 0
        for e in levels[:, i].tolist():
            if e == 0 or content[e]:
                break
            if marked[e]:
                top = e
        if top:
            sections.add(top)
    if sections:
        under = np.isin(levels, list(sections)).any(axis=0)
        out[under & (out == -1)] = 0
    return out


def from_block_labels(block_texts: list[str], entries: list) -> np.ndarray:
    """Labels from explicit entries ``{"index": i | "text": s, "label": 0/1}``."""
    out = np.full(len(block_texts), -1, dtype=np.int8)
    by_text: dict[str, list[int]] = {}
    for i, t in enumerate(block_texts):
        by_text.setdefault(_norm(t), []).append(i)
    for e in entries:
        if not isinstance(e, dict) or e.get("label") not in (0, 1, True, False):
            raise ValueError(f"block label entry needs 'label' 0 or 1: {e!r}")
        lab = int(e["label"])
        if "index" in e:
            i = e["index"]
            if not isinstance(i, int) or not 0 <= i < len(block_texts):
                raise ValueError(f"block index {i!r} out of range (page has "
                                 f"{len(block_texts)} blocks)")
            out[i] = lab
        elif "text" in e:
            for i in by_text.get(_norm(str(e["text"])), []):
                out[i] = lab
        else:
            raise ValueError(f"block label entry needs 'index' or 'text': {e!r}")
    return out


def derive(block_texts: list[str], *, text: str | None = None, with_=(), without=(),
           block_labels=None) -> np.ndarray:
    """Combine every kind of gold a page has; explicit labels win, then full text,
    then snippets (which also correct full-text labels they contradict)."""
    out = np.full(len(block_texts), -1, dtype=np.int8)
    if text and text.strip():
        out = from_text(block_texts, text)
    if with_ or without:
        snip = from_snippets(block_texts, list(with_), list(without))
        out = np.where(snip >= 0, snip, out).astype(np.int8)
    if block_labels:
        lab = from_block_labels(block_texts, block_labels)
        out = np.where(lab >= 0, lab, out).astype(np.int8)
    return out
