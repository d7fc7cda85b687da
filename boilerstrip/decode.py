"""Stage 5: decide which blocks form the article, using context.

An article is a mostly contiguous run of blocks.  The block stage scores each
block alone (plus its immediate neighbours' shape); here a second model looks
at the *scores* around each block:

* the first-stage probability of the block and of its three neighbours on
  each side, and window means over 3, 7 and 15 blocks (word-weighted);
* the mean score of the blocks sharing its parent / grandparent container;
* the best article run: the contiguous span that maximises the sum over its
  blocks of ``words * (p - 0.5)`` (Kadane's algorithm), whether the block lies
  inside it and how far away it is;
* where the block sits relative to the page's highest-scoring block, and how
  much likely-content text lies before and after it (but not the block's
  score *relative* to the page's best: on pages whose article scores low
  everywhere, that lifted menus and link lists over the threshold);
* a few block features that interact with context (:data:`PASSTHROUGH`: size,
  link density, heading level, title overlap, phrasing rates, comment-thread
  signals).

The context model outputs the final probability; a block is kept when it
reaches the threshold.
"""
from __future__ import annotations

from itertools import repeat

import numpy as np

from .features import FEATURE_NAMES

#: Stage-1 features copied into the context stage.
PASSTHROUGH = ("log_words", "link_density", "heading_level", "title_overlap",
               "position", "ends_terminal", "stopword_density", "cta_rate",
               "second_person_rate", "first_plural_rate", "first_singular_rate",
               "near_comment", "grandparent_repeat", "first_plural_excess",
               "headline_offset", "headline_share")
_PASS_IDX = [FEATURE_NAMES.index(f) for f in PASSTHROUGH]
_WORDS_IDX = FEATURE_NAMES.index("log_words")
NEIGHBOURS = (-3, -2, -1, 1, 2, 3)
WINDOWS = (3, 7, 15)
#: Score above which a block counts for the best run.
RUN_PIVOT = 0.5

CONTEXT_NAMES = tuple(
    ["p"] + [f"p@{o:+d}" for o in NEIGHBOURS] + [f"mean{w}" for w in WINDOWS]
    + ["parent_mean", "grandparent_mean", "owner_mean", "in_run", "run_distance",
       "run_share", "dist_to_best", "content_before",
       "content_after", "page_max", "page_mean", "in_best_box", "best_box_share",
       "best_box_common_share"]
    + [f"b_{f}" for f in PASSTHROUGH])


#: Context features that are first-stage scores (of the block, its neighbours,
#: windows and containers): with ``context_monotonic`` the context stage may
#: only rise with them.
SCORE_FEATURES = frozenset(["p"] + [f"p@{o:+d}" for o in NEIGHBOURS] + [f"mean{w}" for w in WINDOWS]
                           + ["parent_mean", "grandparent_mean", "owner_mean"])


def _shift(a: np.ndarray, k: int, fill: float = -1.0) -> np.ndarray:
    out = np.full_like(a, fill)
    if k > 0:
        out[:-k] = a[k:]
    elif k < 0:
        out[-k:] = a[:k]
    return out


def _window_mean(p: np.ndarray, w: np.ndarray, size: int) -> np.ndarray:
    """Word-weighted mean of ``p`` over a centred window of ``size`` blocks."""
    half = size // 2
    cw = np.concatenate([[0.0], np.cumsum(w)])
    cpw = np.concatenate([[0.0], np.cumsum(p * w)])
    n = len(p)
    lo = np.clip(np.arange(n) - half, 0, n)
    hi = np.clip(np.arange(n) + half + 1, 0, n)
    den = cw[hi] - cw[lo]
    return np.where(den > 0, (cpw[hi] - cpw[lo]) / np.maximum(den, 1e-12), p)


def _group_mean(p: np.ndarray, w: np.ndarray, groups) -> np.ndarray:
    """Weighted mean of ``p`` over the blocks of each group (element ids are the bins)."""
    g = np.asarray(groups)
    num = np.bincount(g, weights=p * w)
    den = np.bincount(g, weights=w)
    return num[g] / np.maximum(den[g], 1e-12)


def best_run(gain: np.ndarray) -> tuple[int, int]:
    """Half-open span ``[start, end)`` with the largest sum of ``gain`` (Kadane)."""
    best, best_s, best_e = 0.0, 0, 0
    cur, cur_s = 0.0, 0
    for i, g in enumerate(gain.tolist()):
        if cur <= 0:
            cur, cur_s = g, i
        else:
            cur += g
        if cur > best:
            best, best_s, best_e = cur, cur_s, i + 1
    return best_s, best_e


def subtree_sums(blocks, values: np.ndarray) -> np.ndarray:
    """For every block-level element of ``blocks``, the sum of ``values`` (one
    per block) over the blocks under it."""
    elements, of_block = blocks.ancestor_pairs
    return np.bincount(elements, weights=values[of_block], minlength=len(blocks.element_parent))


def best_box(blocks, gain: np.ndarray) -> int:
    """The block-level element whose blocks have the largest sum of ``gain``:
    the best article run that is also one subtree of the page."""
    return int(np.argmax(subtree_sums(blocks, gain)))


def context_features(X: np.ndarray, p: np.ndarray, blocks) -> np.ndarray:
    """Second-stage feature matrix from block features ``X`` and first-stage scores ``p``."""
    n = len(p)
    if n == 0:
        return np.zeros((0, len(CONTEXT_NAMES)))
    words = np.expm1(X[:, _WORDS_IDX])
    w = np.maximum(words, 1.0)
    cols = [p] + [_shift(p, o) for o in NEIGHBOURS]
    cols += [_window_mean(p, w, s) for s in WINDOWS]
    cols += [_group_mean(p, w, blocks.parent), _group_mean(p, w, blocks.grandparent),
             _group_mean(p, w, blocks.owner)]
    s, e = best_run(w * (p - RUN_PIVOT))
    idx = np.arange(n)
    in_run = ((idx >= s) & (idx < e)).astype(np.float64)
    run_dist = np.where(idx < s, s - idx, np.where(idx >= e, idx - e + 1, 0)) / max(n, 1)
    total_w = float(w.sum())
    run_share = np.full(n, float(w[s:e].sum()) / total_w if e > s else 0.0)
    best = int(np.argmax(p * w))
    content_w = p * w
    before = (np.cumsum(content_w) - content_w) / total_w
    after = (content_w.sum() - np.cumsum(content_w)) / total_w
    # the same in the DOM: the container whose blocks gain most, whether the
    # block is in it, and how much of the page the container it shares with it holds
    box = best_box(blocks, w * (p - RUN_PIVOT))
    common = blocks.common_ancestor(box)
    elem_chars = blocks.element_sizes
    total_chars = max(float(elem_chars[0]), 1.0)
    cols += [in_run, run_dist, run_share,
             (idx - best) / max(n, 1), before, after,
             np.full(n, p.max()), np.full(n, float((p * w).sum() / total_w)),
             (common == box).astype(np.float64), np.full(n, elem_chars[box] / total_chars),
             np.minimum(elem_chars[common] / total_chars, 1.0)]
    cols += [X[:, j] for j in _PASS_IDX]
    return np.column_stack(cols)


#: A small container (a box inside the page) whose text is mostly dropped is
#: dropped whole, where "mostly" means less than this share of its words is kept ...
GROUP_KEPT_SHARE = 0.5
#: ... and "small" means it holds less than this share of the page's text.
GROUP_MAX_SHARE = 0.3


#: The article region (see :func:`region`) is the best box's ancestor this many
#: block-level levels up ...
REGION_CLIMB = 3
#: ... or higher, until it holds at least this share of the words scoring
#: :data:`RUN_PIVOT` or more (words outside links: see :func:`region`).
REGION_KEPT_SHARE = 1 / 2
#: Outside the region a block is kept only when its score reaches this many
#: times the threshold: never at the default threshold of 0.5, and lower
#: thresholds still keep more.
REGION_OUTSIDE_BAR = 2.0


def region(p_final: np.ndarray, blocks, words: np.ndarray,
           headline: int | None = None) -> np.ndarray:
    """Mask of the blocks inside the article region.

    A page holds one article among menus, sidebars and footers, so a block
    that scores as content far from the rest of the article (an "about me"
    box in the sidebar, a notice in the footer) is more often the model's
    mistake than a part of the article.  The region starts at the best box
    (the subtree with the largest sum of ``words * (p - RUN_PIVOT)``) and
    climbs :data:`REGION_CLIMB` block-level elements, wide enough for the
    headline, lede and byline around an article body (but no further than
    the first container that holds the ``headline``, when one is found on the
    way: past it lie the page's columns and sidebars, not the article's), then
    further until it holds :data:`REGION_KEPT_SHARE` of the words that score
    :data:`RUN_PIVOT` or more: where most of those lie elsewhere (the posts
    of a forum thread, the items of a listing), the best box is one part of
    the page's main text, not all of it.  Link text does not count in that
    share: a sidebar of archive, category and blogroll links that the model
    half-believes would otherwise pull the region up to the whole page.  The
    region depends on the scores only, not on the threshold, so that a lower
    threshold never keeps less.
    """
    parent = blocks.element_parent
    box = best_box(blocks, words * (p_final - RUN_PIVOT))
    chars = np.fromiter(map(len, blocks.text), dtype=np.float64, count=len(p_final))
    own_text = 1.0 - np.minimum(np.asarray(blocks.link_chars, dtype=np.float64)
                                / np.maximum(chars, 1.0), 1.0)
    likely = subtree_sums(blocks, words * own_text * (p_final >= RUN_PIVOT))
    need = REGION_KEPT_SHARE * likely[0]
    levels = blocks.ancestor_levels
    # the headline's element and its ancestors (empty without a headline)
    holds_headline = levels[:, headline] if headline is not None else levels[:0, 0]
    for _ in range(REGION_CLIMB):
        if box in holds_headline:
            break
        box = parent[box]
    while box and likely[box] < need:
        box = parent[box]
    if box == 0:
        return np.ones(len(p_final), dtype=bool)
    # a block whose chain of ancestors was cut at MAX_CLIMB levels may lie
    # under the region's root: counted in, not dropped unseen
    return (levels == box).any(axis=0) | (levels[-1] != 0)


#: The lede: at most this many blocks right after a headline that matches the
#: page title, inside the headline's container ...
LEDE_BLOCKS = 2
#: ... are kept from ``threshold ** LEDE_POWER`` up (0.3 at the default 0.5;
#: a power, so that the bar lies under the threshold between 0 and 1 and meets
#: it at both ends: threshold 1 still keeps only blocks scoring 1) ...
LEDE_POWER = 1.75
#: ... or, on a page where no block scores :data:`SURE` or more, from
#: ``threshold ** LEDE_POWER_UNSURE`` (0.1 at the default).
LEDE_POWER_UNSURE = 3.3
#: A final score this high marks a block the model is sure of.
SURE = 0.9
#: Block tags that end the lede (the next section or post starts).
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))


def under_headline(blocks, headline: int) -> np.ndarray:
    """Mask of the blocks that have the headline's parent or grandparent among
    their ancestors (the headline's container)."""
    levels = blocks.ancestor_levels
    return np.isin(levels, levels[1:3, headline]).any(axis=0)


def lede(blocks, headline: int, home: np.ndarray | None = None) -> list[int]:
    """The blocks right after ``headline`` that sit in its container
    (``home``: :func:`under_headline`, computed when not given): at most
    :data:`LEDE_BLOCKS`, up to the next heading."""
    if home is None:
        home = under_headline(blocks, headline)
    out = []
    for i in range(headline + 1, min(headline + 1 + LEDE_BLOCKS, len(blocks))):
        if blocks.tag[i] in _HEADINGS or not home[i]:
            break
        out.append(i)
    return out


def article_found(p_final: np.ndarray, blocks, headline: int,
                  home: np.ndarray | None = None) -> bool:
    """Whether some block after ``headline``, in its container (``home``, as
    for :func:`lede`), scores :data:`RUN_PIVOT` or more: the model found the
    article that the headline opens (on the scores only, so that the
    threshold does not change the answer)."""
    if home is None:
        home = under_headline(blocks, headline)
    return bool((home[headline + 1:] & (p_final[headline + 1:] >= RUN_PIVOT)).any())


def decide(p_final: np.ndarray, threshold: float, blocks=None,
           headline: int | None = None, dateline: np.ndarray | None = None,
           lede_anchor: bool = True) -> np.ndarray:
    """Keep mask: blocks whose final probability reaches ``threshold``.

    With ``blocks``, containers are decided as units: in a box of two or more
    blocks that holds a small share of the page (an appeal, a comment, a
    newsletter box) and whose words are mostly dropped, the remaining blocks
    are dropped too, however high they score.  Outside
    the article :func:`region`, a block must reach :data:`REGION_OUTSIDE_BAR`
    times the threshold.

    ``headline`` is the index of the page's headline (``api.find_headline``),
    or ``None``; the :func:`region` climbs no further than its container.
    With ``lede_anchor``, the headline is a heading that matches the page
    title (``api.lede_anchor``).  An article starts right after such a
    headline, so where the model missed it (:func:`article_found` is false:
    the post of a line or two under its title on a blog page, which scores
    low beside the sidebar's longer boxes), its :func:`lede` blocks need a
    lower bar, the threshold to the power :data:`LEDE_POWER`
    (:data:`LEDE_POWER_UNSURE` on a page where no block is :data:`SURE`).
    Where the model found the article, only the lede's ``dateline`` blocks
    (a mask: blocks holding a date) get that bar: an appeal or a sign-in
    notice set between a headline and its story is left to the model.
    """
    keep = p_final >= threshold
    if blocks is None or len(p_final) < 2:
        return keep
    if keep.any():
        parent = np.asarray(blocks.parent)   # element ids index the bins
        # block texts are whitespace-normalised: words = spaces + 1
        words = np.fromiter(map(str.count, blocks.text, repeat(" ")), dtype=np.float64,
                            count=len(p_final)) + 1.0
        n_in = np.bincount(parent)
        kept_w = np.bincount(parent, weights=words * keep)
        all_w = np.bincount(parent, weights=words)
        elem_chars = blocks.element_sizes
        total = max(float(elem_chars[0]), 1.0)
        share = elem_chars[parent] / total
        small_box = (n_in[parent] >= 2) & (share < GROUP_MAX_SHARE) & (parent != 0)
        mostly_dropped = kept_w[parent] < GROUP_KEPT_SHARE * all_w[parent]
        keep &= ~(small_box & mostly_dropped)
        keep &= (region(p_final, blocks, words, headline)
                 | (p_final >= REGION_OUTSIDE_BAR * threshold))
    if headline is not None and lede_anchor:
        bar = threshold ** (LEDE_POWER if p_final.max() >= SURE else LEDE_POWER_UNSURE)
        home = under_headline(blocks, headline)
        missed = not article_found(p_final, blocks, headline, home)
        for i in lede(blocks, headline, home):
            if missed or (dateline is not None and dateline[i]):
                keep[i] |= p_final[i] >= bar
    return keep
