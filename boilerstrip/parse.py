"""Stage 1: parse HTML into a DOM with selectolax's Lexbor backend, read page metadata."""
from __future__ import annotations

import html as _html
import re

from selectolax.lexbor import LexborHTMLParser

from .limits import limit_markup

_WS = re.compile(r"\s+")

#: Meta tags tried, in order, for the page title: ``(attribute, value)``.
TITLE_META = (("property", "og:title"), ("name", "twitter:title"), ("name", "title"))


def parse(html: str) -> LexborHTMLParser:
    """Parse an HTML string (never raises on malformed markup).

    Markup that would make the tree builder quadratic (50,000 nested
    ``<div>``, a tag with 100,000 attributes, ...) is capped first; see
    :mod:`boilerstrip.limits`."""
    return LexborHTMLParser(limit_markup(html))


def _clean(text: str | None) -> str:
    return _WS.sub(" ", _html.unescape(text or "")).strip()


def _outside_foreign(node) -> bool:
    """Whether ``node`` is an HTML element, not one inside ``<svg>`` or ``<math>``
    (an icon's ``<title>`` names the icon, not the page)."""
    parent = node.parent
    while parent is not None:
        if parent.tag in ("svg", "math"):
            return False
        parent = parent.parent
    return True


#: One selector for every candidate, so that one walk finds them all.
_TITLE_NODES = ", ".join([f'meta[{a}="{v}"]' for a, v in TITLE_META] + ["title"])


def _title_in(scope) -> str | None:
    """The title under ``scope``: the first of :data:`TITLE_META` that has
    content, in that order, else the first non-empty ``<title>`` outside
    ``<svg>`` and ``<math>`` (one walk over the subtree)."""
    first_meta: dict[int, object] = {}     # rank in TITLE_META -> first such tag
    titles = []
    for node in scope.css(_TITLE_NODES):
        if node.tag == "title":
            titles.append(node)
            continue
        attrs = node.attributes
        for rank, (attr, value) in enumerate(TITLE_META):
            if attrs.get(attr) == value:
                first_meta.setdefault(rank, node)
    for rank in sorted(first_meta):
        title = _clean(first_meta[rank].attributes.get("content"))
        if title:
            return title
    for node in titles:
        if _outside_foreign(node):
            title = _clean(node.text())
            if title:
                return title
    return None


def page_title(tree: LexborHTMLParser) -> str | None:
    """The title the ``<head>`` declares: og/twitter meta, else ``<title>``;
    ``None`` if absent.  This is the title the features compare blocks with
    (the bundled model was trained on it); the outputs show
    :func:`document_title`."""
    return _title_in(tree.head) if tree.head is not None else None


def document_title(tree: LexborHTMLParser) -> str | None:
    """The page's title as a browser shows it: :func:`page_title`, else the same
    search over the whole document.

    Anything the parser cannot put in the head (stray text before the
    doctype, a wrapper element, an ``<img>`` in the head) opens the body
    early, and the ``<title>`` after it lands there; ``document.title`` is
    still the document's first ``<title>``.  About 1% of the training sets'
    pages are like that.  (The features keep reading :func:`page_title`
    until a model is trained with this one: docs/design.md, section 2.)"""
    return page_title(tree) or _title_in(tree.root)
