"""Deliberately simple extractors, used to prove the gate and the reports work.

``python -m benchmarks gate --extractor benchmarks.toy:first_200_chars`` must
fail: it keeps the first 200 characters of the page's visible text, which is
what a badly broken model would produce.
"""
from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser as HTMLParser

_DROP = "script, style, noscript, template, head"


def visible_text(html: str) -> str:
    """All visible text, one line per text node."""
    tree = HTMLParser(html)
    for node in tree.css(_DROP):
        node.decompose()
    root = tree.body or tree.root
    if root is None:
        return ""
    lines = (" ".join(t.split()) for t in root.text(separator="\n").splitlines())
    return "\n".join(line for line in lines if line)


def first_200_chars(html: str) -> str:
    return visible_text(html)[:200]


def keep_everything(html: str) -> str:
    return visible_text(html)


def nothing(html: str) -> str:
    return ""
