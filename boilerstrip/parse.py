"""Stage 1: parse HTML into a DOM with selectolax's Lexbor backend, read page metadata."""
from __future__ import annotations

import html as _html
import re

from selectolax.lexbor import LexborHTMLParser

from .limits import limit_markup

_WS = re.compile(r"\s+")

#: Meta tags tried, in order, for the page title.
TITLE_META = ('meta[property="og:title"]', 'meta[name="twitter:title"]',
              'meta[name="title"]')


def parse(html: str) -> LexborHTMLParser:
    """Parse an HTML string (never raises on malformed markup).

    Markup that would make the tree builder quadratic (50,000 nested
    ``<div>``, a tag with 100,000 attributes, ...) is capped first; see
    :mod:`boilerstrip.limits`."""
    return LexborHTMLParser(limit_markup(html))


def _clean(text: str | None) -> str:
    return _WS.sub(" ", _html.unescape(text or "")).strip()


def page_title(tree: LexborHTMLParser) -> str | None:
    """The page's declared title: og/twitter meta, else ``<title>``; ``None`` if absent."""
    head = tree.head
    if head is not None:
        for sel in TITLE_META:
            node = head.css_first(sel)
            if node is not None:
                title = _clean(node.attributes.get("content"))
                if title:
                    return title
        node = head.css_first("title")
        if node is not None:
            title = _clean(node.text())
            if title:
                return title
    return None
