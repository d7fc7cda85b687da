"""Hypothesis strategies for random HTML pages with a known visible text.

:func:`documents` draws a :class:`Doc`: the HTML source, the text a browser
would show (``visible``: text nodes in document order with entities decoded,
a space for each ``<br>``), and the fact that no hidden content uses the
letters ``zq``.  Hidden content (scripts, styles, comments, templates,
``display:none``, attributes, SVG, form controls, ...) is written with words
containing ``zq``, which visible text never does, so "no hidden text leaked"
is simply "``zq`` is nowhere in the output".

The generator respects HTML content models (no block inside ``<p>``, cells
only inside rows, no ``<a>`` inside ``<a>``...), so the parser keeps the tree
as written and the visible text is exactly known.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import strategies as st

HIDDEN = "zq"

WORDS = ("the council approved budget on tuesday after long debate about schools roads library "
         "mayor said compromise protects services residents city transport plan parking rules "
         "share subscribe newsletter home news sport weather contact privacy cookies copyright "
         "2024 12:30 £5 €10 100% e-mail www.example.com").split()
UNICODE_WORDS = ("café naïve Zürich Ελλάδα Москва 東京 北京 서울 القاهرة ירושלים हिन्दी ไทย 🎉 👩‍👩‍👧 "
                 "🇫🇷 e\u0301 \u202ertl\u202c ﬁ ẞ İstanbul").split()
# (source, decoded) pairs; decoded "&" etc. must survive as text.
ENTITIES = (("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"),
            ("&eacute;", "é"), ("&#233;", "é"), ("&#x4E2D;", "中"), ("&nbsp;", "\u00a0"),
            ("&copy;", "©"), ("&mdash;", "—"), ("&hellip;", "…"), ("&#128512;", "😀"))
PUNCT = (".", ",", "!", "?", ":", ";", "-", "'", '"', "(", ")", "/", "|", "»", "•")
SPACES = (" ", " ", " ", "\n", "\t", "  ", "\r\n", "\u00a0", "\u2003")

BLOCK_CONTAINERS = ("div", "section", "article", "main", "header", "footer", "nav", "aside",
                    "blockquote", "figure", "center", "details", "form", "address")
PHRASING_BLOCKS = ("p", "h1", "h2", "h3", "h4", "pre", "figcaption", "dt", "summary")
INLINE = ("span", "b", "i", "em", "strong", "small", "code", "time", "a", "u", "mark", "abbr",
          "label", "font", "sup", "sub", "cite", "q")
CLASSES = ("article-body", "content", "story", "post", "nav", "menu", "footer", "sidebar",
           "share", "social", "related", "comments", "ad", "ads", "advert", "cookie", "promo",
           "byline", "date", "caption", "main", "x", "")

WS = re.compile(r"\s+")


@dataclass
class Doc:
    html: str
    visible: str

    @property
    def visible_normalized(self) -> str:
        return WS.sub(" ", self.visible).strip()


class _Out:
    """Accumulates the HTML source and the visible text side by side."""

    def __init__(self):
        self.html: list[str] = []
        self.visible: list[str] = []

    def both(self, html: str, visible: str) -> None:
        self.html.append(html)
        self.visible.append(visible)

    def src(self, html: str) -> None:
        self.html.append(html)


def _hidden_words(draw) -> str:
    n = draw(st.integers(1, 12))
    return " ".join(f"{HIDDEN}{draw(st.sampled_from(WORDS))}" for _ in range(n))


def _text(draw, out: _Out, raw_ok: bool = True) -> None:
    """A run of visible text: words, unicode, entities, punctuation, spaces."""
    n = draw(st.integers(1, 14))
    for _ in range(n):
        kind = draw(st.integers(0, 9))
        if kind <= 4:
            w = draw(st.sampled_from(WORDS))
            out.both(w, w)
        elif kind == 5:
            w = draw(st.sampled_from(UNICODE_WORDS))
            out.both(w, w)
        elif kind == 6:
            src, dec = draw(st.sampled_from(ENTITIES))
            out.both(src, dec)
        elif kind == 7:
            p = draw(st.sampled_from(PUNCT))
            out.both(p, p)
        elif kind == 8 and raw_ok:
            # arbitrary characters, escaped where HTML needs it
            s = draw(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn"),
                                           blacklist_characters="<&\x00\r\ufeff"), max_size=8))
            s = s.replace("z", "y")  # keep "zq" out of visible text
            out.both(s, s)
        sp = draw(st.sampled_from(SPACES))
        out.both(sp, sp)


def _attrs(draw, hidden: bool = False) -> str:
    parts = []
    if draw(st.booleans()):
        parts.append(f'class="{draw(st.sampled_from(CLASSES))} {draw(st.sampled_from(CLASSES))}"')
    if draw(st.integers(0, 4)) == 0:
        parts.append(f'id="{draw(st.sampled_from(CLASSES))}"')
    if draw(st.integers(0, 5)) == 0:
        parts.append(f'title="{_hidden_words(draw)}"')
    if draw(st.integers(0, 6)) == 0:
        # (one style attribute only: with two, the first wins, as in browsers)
        parts.append(f'data-x="{_hidden_words(draw)}"' + ("" if hidden else ' style="color: red"'))
    if hidden:
        parts.append(draw(st.sampled_from(('style="display:none"', "hidden", 'aria-hidden="true"',
                                           'style="visibility: hidden"', 'style="DISPLAY: None;"'))))
    return (" " + " ".join(parts)) if parts else ""


def _hidden_thing(draw, out: _Out, inline: bool) -> None:
    """Content no output may contain."""
    words = _hidden_words(draw)
    # (<noscript> is not here: clean() reads it when a page has almost no
    # other text, as JavaScript front-ends put their content there.)
    kinds = ["script", "style", "comment", "template", "svg", "math", "hidden-inline",
             "button", "textarea", "select"]
    if not inline:
        kinds += ["hidden-block", "iframe", "object"]
    kind = draw(st.sampled_from(kinds))
    if kind == "script":
        out.src(f"<script>var s = '{words}';</script>")
    elif kind == "style":
        out.src(f"<style>/* {words} */ .a {{ color: red }}</style>")
    elif kind == "comment":
        out.src(f"<!-- {words} -->")
    elif kind == "template":
        out.src(f"<template><p>{words}</p></template>")
    elif kind == "svg":
        out.src(f"<svg><text>{words}</text><title>{words}</title></svg>")
    elif kind == "math":
        out.src(f"<math><mi>{words}</mi></math>")
    elif kind == "hidden-inline":
        out.src(f"<span{_attrs(draw, hidden=True)}>{words}</span>")
    elif kind == "button":
        out.src(f"<button>{words}</button>")
    elif kind == "textarea":
        out.src(f"<textarea>{words}</textarea>")
    elif kind == "select":
        out.src(f"<select><option>{words}</option></select>")
    elif kind == "hidden-block":
        out.src(f"<div{_attrs(draw, hidden=True)}><p>{words}</p></div>")
    elif kind == "iframe":
        out.src(f"<iframe src='x'>{words}</iframe>")
    else:
        out.src(f"<object data='x'><p>{words}</p></object>")


def _phrasing(draw, out: _Out, depth: int, in_link: bool = False) -> None:
    """Inline content: text, inline elements, <br>, hidden things."""
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.integers(0, 9))
        if kind <= 4 or depth <= 0:
            _text(draw, out)
        elif kind <= 6:
            tag = draw(st.sampled_from([t for t in INLINE if not (in_link and t == "a")]))
            attrs = _attrs(draw)
            if tag == "a":
                attrs += ' href="/x"'
            out.src(f"<{tag}{attrs}>")
            _phrasing(draw, out, depth - 1, in_link or tag == "a")
            out.src(f"</{tag}>")
        elif kind == 7:
            out.both("<br>", " ")
        elif kind == 8:
            _hidden_thing(draw, out, inline=True)
        else:
            out.src(draw(st.sampled_from(("<img src='x.png' alt='" + HIDDEN + "alt'>", "<wbr>",
                                          "<input type=hidden value='" + HIDDEN + "v'>"))))


def _flow(draw, out: _Out, depth: int) -> None:
    """Block content: containers, paragraphs, lists, tables, text."""
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.integers(0, 11))
        if depth <= 0 or kind <= 3:
            tag = draw(st.sampled_from(PHRASING_BLOCKS))
            out.src(f"<{tag}{_attrs(draw)}>")
            _phrasing(draw, out, 2)
            out.src(f"</{tag}>")
        elif kind <= 6:
            tag = draw(st.sampled_from(BLOCK_CONTAINERS))
            out.src(f"<{tag}{_attrs(draw)}>")
            _flow(draw, out, depth - 1)
            out.src(f"</{tag}>")
        elif kind == 7:
            tag = draw(st.sampled_from(("ul", "ol")))
            out.src(f"<{tag}{_attrs(draw)}>")
            for _ in range(draw(st.integers(1, 5))):
                out.src("<li>")
                if draw(st.booleans()):
                    _phrasing(draw, out, 1)
                else:
                    _flow(draw, out, depth - 1)
                out.src("</li>")
            out.src(f"</{tag}>")
        elif kind == 8:
            out.src(f"<table{_attrs(draw)}><tbody>")
            for _ in range(draw(st.integers(1, 3))):
                out.src("<tr>")
                for _ in range(draw(st.integers(1, 3))):
                    cell = draw(st.sampled_from(("td", "th")))
                    out.src(f"<{cell}>")
                    _phrasing(draw, out, 1)
                    out.src(f"</{cell}>")
                out.src("</tr>")
            out.src("</tbody></table>")
        elif kind == 9:
            _phrasing(draw, out, 2)  # loose inline content in a container
        elif kind == 10:
            _hidden_thing(draw, out, inline=False)
        else:
            out.src(draw(st.sampled_from(("<hr>", "<br><br>", "<img src='x'>"))))
            if out.html[-1] == "<br><br>":
                out.visible.append("  ")


@st.composite
def documents(draw, max_depth: int = 4) -> Doc:
    """A whole page: doctype, head (title, metas, scripts), body."""
    out = _Out()
    out.src("<!DOCTYPE html><html><head>")
    if draw(st.booleans()):
        out.src('<meta charset="utf-8">')
    if draw(st.booleans()):
        title = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8)))
        out.src(f"<title>{title}</title>")
    if draw(st.booleans()):
        out.src(f"<script>var zq = '{_hidden_words(draw)}';</script>")
    if draw(st.booleans()):
        out.src(f"<style>body {{ }} /* {_hidden_words(draw)} */</style>")
    out.src(f"</head><body{_attrs(draw)}>")
    _flow(draw, out, draw(st.integers(0, max_depth)))
    out.src("</body></html>")
    return Doc("".join(out.html), "".join(out.visible))


def find_lines_in_order(lines: list[str], visible: str) -> str | None:
    """Check each line occurs in ``visible`` after the previous one; return the
    first line that does not (None when all do)."""
    pos = 0
    for line in lines:
        at = visible.find(line, pos)
        if at < 0:
            return line
        pos = at + len(line)
    return None
