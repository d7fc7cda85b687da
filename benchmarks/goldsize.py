"""``python -m benchmarks goldsize``: accuracy on pages with a short gold text, and on the rest.

Where a set's gold is a few dozen words (a video or photo post whose gold is
its headline, date and one line), the headline, byline and date are most of
it, and extractors differ mostly in whether they print them; where the gold
is an article, they differ in finding it.  This command reads a run's
``results.json`` and splits every extractor's per-page results by the number
of words (``\\w+``) in the page's gold text, below :data:`DEFAULT_WORDS` or
not, aggregated the benchmark's way.  It runs no extractor; on the sets the
bundled model trains on, only its held-out pages are used.
"""
from __future__ import annotations

from boilerstrip.datasets import gold_text, load_corpus
from boilerstrip.text import WORD_RE

from . import data
from .confidence import run_split

#: Gold texts with fewer words than this are "short".
DEFAULT_WORDS = 100


def gold_words(root, label: str, page_ids: list[str]) -> dict[str, int]:
    """Word count of the gold text of each of ``page_ids`` of set ``label``."""
    wanted = set(page_ids)
    pages = load_corpus(data.dataset_folder(root, label), split=data.evaluation_split(label))
    return {p.id: len(WORD_RE.findall(gold_text(p) or "")) for p in pages if p.id in wanted}


def run(args) -> int:
    words = DEFAULT_WORDS if args.words is None else args.words
    return run_split(args, "goldsize", gold_words, lambda n: "short" if n < words else "long",
                     ["short", "long"], "the length of the gold text", "gold words",
                     {"short": f"< {words}", "long": f"≥ {words}"})
