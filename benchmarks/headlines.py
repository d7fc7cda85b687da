"""``python -m benchmarks headlines``: how often boilerstrip's headline is the page's own.

``clean()`` leaves the headline out of its text output and prints it first in
markdown, html and json, so the block it calls the headline matters.  Some
datasets give each page's headline as its annotators saw it (the gold
record's ``title``: wcxb, mozilla_readability, trafilatura_eval, l3s_gn1).
On every page of a run that has one, and that has a block matching it, this
command checks two blocks:

* the output's headline (:func:`boilerstrip.api.find_headline`, searched
  over the whole page);
* the headline the *features* anchor on (the same rule over the first
  :data:`boilerstrip.features.HEADLINE_SEARCH` share of the blocks: the window
  the bundled model was trained with).

A block matches a title when each shares at least :data:`TITLE_MATCH` of its
distinct words with the other.  On the sets the bundled model trains on, only
its held-out pages are used.  Only boilerstrip's segmentation and features
run (no model, no other extractor): it takes a few seconds.
"""
from __future__ import annotations

from boilerstrip.text import WORD_RE

from . import data
from .confidence import per_set
from .report import md_table, read_results, share_cell

#: Share of its distinct words each side must share with the other to match.
TITLE_MATCH = 0.7


def same_heading(a: str, b: str) -> bool:
    """Whether two texts are the same heading, give or take a few words."""
    wa, wb = set(WORD_RE.findall(a.lower())), set(WORD_RE.findall(b.lower()))
    if not wa or not wb:
        return False
    common = len(wa & wb)
    return common >= TITLE_MATCH * len(wa) and common >= TITLE_MATCH * len(wb)


def page_check(html: str, title: str) -> tuple[bool, bool, bool]:
    """``(findable, output_right, window_right)`` for one page and its gold title:
    whether any block matches the title, whether the output's headline does, and
    whether the features' headline does."""
    from boilerstrip import api, features, parse

    tree, _, blocks = api.parse_and_segment(html)
    if not len(blocks):
        return False, False, False
    X = features.compute(blocks, parse.page_title(tree))
    findable = any(same_heading(t, title) for t in blocks.text)
    out = api.find_headline(X, blocks.tag)
    win = features.headline_index(blocks.tag, X[:, features.FEATURE_NAMES.index("title_overlap")],
                                  True)
    return (findable, out is not None and same_heading(blocks.text[out], title),
            win is not None and same_heading(blocks.text[win], title))


def set_counts(root, label: str, page_ids: list[str]) -> dict:
    """Counts over the pages ``page_ids`` of a set: pages with a gold title, with
    a block matching it, and with the output's / the features' headline right."""
    from boilerstrip.datasets import load_corpus

    wanted = set(page_ids)
    counts = {"titled": 0, "findable": 0, "output": 0, "window": 0}
    for p in load_corpus(data.dataset_folder(root, label), split=data.evaluation_split(label)):
        if p.id not in wanted or not (p.title or "").strip():
            continue
        counts["titled"] += 1
        findable, out_ok, win_ok = page_check(data.decode(p.read_bytes()), p.title)
        if findable:
            counts["findable"] += 1
            counts["output"] += out_ok
            counts["window"] += win_ok
    return counts


def format_table(rows: list[dict]) -> str:
    body = [[r["set"], str(r["titled"]), str(r["findable"]),
             share_cell(r["output"], r["findable"]), share_cell(r["window"], r["findable"])]
            for r in rows]
    return md_table(["set", "pages with a title", "title in a block", "output's headline right",
                     "features' headline right"], body)


def run(args) -> int:
    results = read_results(args.results, "headlines")
    if results is None:
        return 2
    root = data.root_arg(args.datasets_root)
    found = per_set(results, "headlines", lambda label, ids: set_counts(root, label, ids),
                    full_gold=False)
    rows = [{"set": label, **counts} for label, counts in found.items() if counts["titled"]]
    print("Headline found (pages of the run whose gold names the headline; held-out pages "
          "only on the sets the model trains on)\n")
    print(format_table(rows))
    return 0
