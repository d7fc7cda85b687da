"""The public entry point: :func:`clean` runs the pipeline

    decode bytes -> parse -> segment -> features -> block model
    -> context model (decode.py) -> keep/drop -> render

Each stage is a module of its own; this file only wires them together.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from . import decode, features, parse, render
from .encoding import to_text
from .model import Model, load_model
from .segment import Blocks, segment

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser

OUTPUT_FORMATS = ("text", "markdown", "html", "json")
#: Input larger than this (in bytes, or characters for ``str``) is cut to it.
DEFAULT_MAX_BYTES = 32 * 1024 * 1024
_TITLE_OVERLAP = features.FEATURE_NAMES.index("title_overlap")
_LOG_WORDS = features.FEATURE_NAMES.index("log_words")
_LINK_DENSITY = features.FEATURE_NAMES.index("link_density")
#: A headline set in a block that is no h1-h3 (a ``div``, a table cell, a
#: ``p``) is taken only when the block is nearly the title itself (more than
#: this much overlap both ways), short and mostly not link text.
TITLE_BLOCK_OVERLAP = 0.8
TITLE_BLOCK_MAX_WORDS = 30
TITLE_BLOCK_MAX_LINKS = 0.5
#: Below this much text, a page that hides its content in ``<noscript>`` (many
#: JavaScript front-ends do) is parsed again with ``<noscript>`` read as ``<div>``.
NOSCRIPT_FALLBACK_CHARS = 200
_NOSCRIPT_RE = re.compile(r"<(/?)noscript\b", re.IGNORECASE)


@dataclass
class Analysis:
    """Everything the pipeline knows about one page (the debugging view).
    ``title`` is the head's, which the features read; :attr:`shown_title` the
    browser's, which the outputs show."""

    title: str | None
    blocks: Blocks
    X: np.ndarray
    block_scores: np.ndarray
    scores: np.ndarray
    headline: int | None
    tree: LexborHTMLParser | None = None

    @cached_property
    def shown_title(self) -> str | None:
        """The title a browser shows (``parse.document_title``): searched only
        when an output asks for it, and past the head only when the head
        declares none."""
        if self.title or self.tree is None:
            return self.title
        return parse.document_title(self.tree)


def parse_and_segment(html: str):
    """``(tree, root, blocks)`` of a decoded page; a page that hides its text in
    ``<noscript>`` is parsed again with ``noscript`` read as ``div``."""
    tree = parse.parse(html)
    root = tree.body if tree.body is not None else tree.root
    blocks = segment(root)
    if blocks.total_chars < NOSCRIPT_FALLBACK_CHARS and _NOSCRIPT_RE.search(html):
        tree2 = parse.parse(_NOSCRIPT_RE.sub(r"<\1div", html))
        root2 = tree2.body if tree2.body is not None else tree2.root
        blocks2 = segment(root2)
        if blocks2.total_chars > blocks.total_chars:
            return tree2, root2, blocks2
    return tree, root, blocks


def analyse(html: str, model: Model) -> Analysis:
    """Run parse -> segment -> features -> both model stages on a decoded page."""
    tree, _, blocks = parse_and_segment(html)
    title = parse.page_title(tree)
    X = features.compute(blocks, title)
    p1, p2 = score_blocks(model, X, blocks)
    return Analysis(title, blocks, X, p1, p2, find_headline(X, blocks.tag), tree)


def score_blocks(model: Model, X: np.ndarray, blocks) -> tuple[np.ndarray, np.ndarray]:
    """First-stage and final probabilities of a page's blocks (features ``X``).
    Raises :class:`~boilerstrip.model.ModelError` for a model trained on other
    features than this version computes (checked once per model)."""
    model.check_features(features.FEATURE_NAMES, decode.CONTEXT_NAMES, features.probe_digest)
    if len(X) == 0:
        return np.zeros(0), np.zeros(0)
    p1 = model.block.predict_proba(X)
    return p1, model.context.predict_proba(decode.context_features(X, p1, blocks))


#: Below this :func:`page_confidence` the model is unsure what the article is:
#: no block of the page looks like article text on its own, and its choice
#: rests on context.  Such pages are rare and hard for every extractor
#: (docs/api.md has the measured numbers); batch users may want to route them
#: to a second extractor or to review.
UNSURE_BELOW = 0.9


def page_confidence(block_scores: np.ndarray) -> float:
    """How sure the model is that the page holds an article: the highest
    first-stage (block-alone) probability of its blocks; 0.0 without blocks."""
    return float(block_scores.max()) if len(block_scores) else 0.0


def find_headline(X: np.ndarray, tags: list[str]) -> int | None:
    """Index of the headline block (the one the text output leaves out and the
    other outputs print as the headline), or ``None``.

    It is :func:`features.headline_index` over the *whole* page, with one more
    step: when no ``h1``-``h3`` matches the title, a short block of another tag
    that is nearly the title (:data:`TITLE_BLOCK_OVERLAP`) is taken before the
    first ``<h1>``.  The headline features look only at headings in the first
    60% of the blocks (the window the bundled model was trained with), which
    misses the post title of a blog whose menus come first, and then takes
    the first ``<h1>``, often the site's name.  `python -m benchmarks
    headlines` measures both rules."""
    if len(X) == 0:
        return None

    def short_plain(idx):   # asked only about the few blocks that nearly are the title
        return ((X[idx, _LOG_WORDS] <= np.log1p(TITLE_BLOCK_MAX_WORDS))
                & (X[idx, _LINK_DENSITY] < TITLE_BLOCK_MAX_LINKS))

    # without a title the overlap column is zero: the first <h1> is taken
    return features.headline_index(tags, X[:, _TITLE_OVERLAP], True, search=1.0,
                                   others=short_plain, others_overlap=TITLE_BLOCK_OVERLAP)


#: A headline anchors the article's lede (:func:`decode.decide`) when it is an
#: ``h1``-``h3`` whose words and the page title's overlap this much both ways.
LEDE_TITLE_OVERLAP = 0.8


def lede_anchor(X: np.ndarray, tags: list[str], headline: int | None) -> int | None:
    """``headline`` when it is a heading that matches the page title closely
    (:data:`LEDE_TITLE_OVERLAP`), else ``None``: a first ``<h1>`` taken for
    want of a match (often the site's name) anchors nothing."""
    if (headline is None or tags[headline] not in features.HEADLINE_TAGS
            or X[headline, _TITLE_OVERLAP] < LEDE_TITLE_OVERLAP):
        return None
    return headline


_DATELINE = [features.FEATURE_NAMES.index(f) for f in ("dates", "under_time")]


def keep_blocks(scores: np.ndarray, threshold: float, blocks, X: np.ndarray,
                headline: int | None) -> np.ndarray:
    """The keep/drop decision of every block, as :func:`clean` makes it (the
    training, evaluation and labeling tools call this too).  ``headline``
    (:func:`find_headline`) bounds the article region; when it matches the
    page title (:func:`lede_anchor`) it anchors the lede too.  A dateline is a
    block with a month name or a numeric date or time in it, or inside a
    ``<time>`` element."""
    anchor = lede_anchor(X, blocks.tag, headline) is not None
    dateline = (X[:, _DATELINE] > 0).any(axis=1) if anchor else None
    return decode.decide(scores, threshold, blocks, headline, dateline, anchor)


def _check_args(html, output, threshold, max_bytes):
    if not isinstance(html, (str, bytes, bytearray, memoryview)):
        raise TypeError(f"clean() expects HTML as str or bytes, not {type(html).__name__}")
    if not isinstance(output, str) or output not in OUTPUT_FORMATS:
        raise ValueError(f"output must be one of {', '.join(OUTPUT_FORMATS)}; got {output!r}")
    if threshold is not None:
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
            raise TypeError(f"threshold must be a number, not {type(threshold).__name__}")
        if not 0.0 <= float(threshold) <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1; got {threshold!r}")
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int):
        raise TypeError("max_bytes must be an int")
    if max_bytes <= 0:
        raise ValueError("max_bytes must be positive")


def clean(html: str | bytes, *, url: str | None = None, output: str = "text",
          threshold: float | None = None, model: Model | str | None = None,
          max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Extract the article from an HTML page.

    Parameters
    ----------
    html:
        The page, as ``str`` or as raw ``bytes`` (the encoding is detected from
        the BOM, ``<meta charset>``, then the bytes themselves).
    url:
        The page's URL, if known; reported in JSON output.
    output:
        ``"text"`` (article body, one block per line, no headline),
        ``"markdown"``, ``"html"`` or ``"json"`` (every block with its score
        and decision).
    threshold:
        The one precision/recall knob: a block is kept when its probability
        reaches it.  Lower keeps more (recall), higher keeps less (precision).
        ``None`` uses the model's tuned default.
    model:
        A :class:`~boilerstrip.model.Model` or the path of a model file;
        ``None`` uses the bundled model.
    max_bytes:
        Input beyond this many bytes (characters for ``str``) is ignored, like
        a truncated download.

    Returns ``""`` for empty or non-HTML input.  Raises ``TypeError`` /
    ``ValueError`` for arguments of the wrong type or value only.
    """
    _check_args(html, output, threshold, max_bytes)
    if url is not None:
        if not isinstance(url, str):
            raise TypeError(f"url must be a str or None, not {type(url).__name__}")
        url = to_text(url)  # no lone surrogate or NUL may reach the JSON output
    if isinstance(html, (bytearray, memoryview)):
        html = bytes(html)
    if len(html) > max_bytes:
        html = html[:max_bytes]
    text = to_text(html)
    m = load_model(model)
    t = m.threshold if threshold is None else float(threshold)
    if not text.strip():
        a = None
    else:
        a = analyse(text, m)
    if a is None or len(a.blocks) == 0:
        if output == "json":
            return render.to_json(Blocks(), [], [], None, url, t, None)
        return ""
    kept = keep_blocks(a.scores, t, a.blocks, a.X, a.headline)
    if output == "json":
        return render.to_json(a.blocks, a.scores, kept, a.shown_title, url, t, a.headline,
                              page_confidence(a.block_scores))
    keep = [i for i in np.nonzero(kept)[0].tolist() if i != a.headline]
    if output == "text":
        return render.to_text(a.blocks, keep)
    head = a.blocks.text[a.headline] if a.headline is not None else a.shown_title
    if not keep and a.headline is None:
        head = None
    if output == "markdown":
        return render.to_markdown(a.blocks, keep, head)
    return render.to_html(a.blocks, keep, head)
