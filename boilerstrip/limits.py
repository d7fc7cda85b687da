"""Defuse markup that makes the HTML parser super-linear, before parsing.

Lexbor, like any HTML5 tree builder, has a few code paths whose cost grows
with the square of some count, which hostile (or merely absurd) pages can
make huge:

* **depth** -- most block-level start tags walk the stack of open elements
  ("is there a ``<p>`` in button scope?"), so ``"<div>" * 50_000`` takes
  seconds and a few megabytes of it take hours;
* **attributes** -- each new attribute of a tag is compared with the ones
  before it, so one tag with 100,000 attributes takes a minute;
* **options** -- ``<option>`` elements of one ``<select>`` cost in proportion
  to the options before them.

:func:`limit_markup` follows the tags with a cheap tokenizer and rewrites
only what exceeds a cap: past :data:`MAX_NESTING` open elements it drops
further start tags (block-level ones become ``<p>``, so text blocks stay
apart) together with their end tags, as browsers do (Blink caps the tree at
512 levels); past :data:`MAX_ATTRIBUTES` attributes it keeps the first ones
plus those the pipeline reads (class, id, style, hidden, ...); past
:data:`MAX_OPTIONS` options in a ``<select>`` it drops the option tags (the
pipeline never shows form controls anyway); and a document with more than
:data:`MAX_TAGS` ``<`` characters (tags, or ``<`` in text and scripts) is cut
before the first ``<`` past that count (a bound on the parser's memory).
Documents within the caps come back unchanged, as the same object.  Of the
5,193 pages of the shared datasets, 6 are rewritten: a ``<select>`` of 1,908
options, and five false alarms, where a ``>`` or ``<`` inside a quoted value
(JavaScript in ``onload``, JSON in ``data-props``, an SVG data URI in an
``<img src>``) or an unclosed quote ends the tokenizer's tag early, while a
browser reads on, and so the value's words count as attributes.  The same
early end lets a tag whose first quoted value holds a ``>`` carry thousands
of attributes past the pre-check unscanned.  Both are known issues;
docs/robustness.md says why the quote-aware reading waits.

The tokenizer approximates HTML's (it knows comments, raw-text elements,
void and self-closing elements and the usual implied end tags); it only has
to be about right about depth, and it errs on the side of under-counting.
Every pattern of the tokenizer matches to the end of its token or of the
input, so that scan is linear.  The cheap pre-check's lookaheads may overlap;
it runs only on pages with at most :data:`SCAN_TAGS` ``<``, which bounds it.
"""
from __future__ import annotations

import re
from itertools import islice

__all__ = ["MAX_ATTRIBUTES", "MAX_NESTING", "MAX_OPTIONS", "MAX_TAGS", "limit_markup"]

#: Open elements allowed before start tags are dropped (Blink uses 512).
MAX_NESTING = 512
#: Attributes kept on one tag (plus the ones the pipeline reads).
MAX_ATTRIBUTES = 256
#: ``<option>`` tags kept in one ``<select>``/``<datalist>``.
MAX_OPTIONS = 1000
#: The document is cut before its ``MAX_TAGS + 1``-th ``<``: every element
#: costs the parser ~200 bytes, so 32 MB of ``<td>`` would take 1.3 GB in the
#: tree alone.  (Real pages have at most tens of thousands of tags; and
#: segment.MAX_BLOCKS ignores the text after 50,000 blocks anyway.)
MAX_TAGS = 500_000
#: Documents this short cannot reach a cost worth the scan.
SMALL_DOCUMENT = 4096
#: Pages with fewer tags than this are not scanned for depth: even fully
#: nested, lexbor builds them in a fraction of a second (99% of real pages
#: have fewer than 7,500 tags).
SCAN_TAGS = 8192
#: The pre-check's candidates: ``<option`` (group 1) and any ``<`` followed by
#: 2 * MAX_ATTRIBUTES characters without a ``>`` (a tag shorter than that
#: cannot hold MAX_ATTRIBUTES attributes).  A lookahead, so that no ``<`` is
#: skipped; only run on pages with at most SCAN_TAGS ``<``, so the lookaheads
#: cost at most SCAN_TAGS * 512 character steps even when they overlap.
_CANDIDATE = re.compile(r"<(?=(option|OPTION)|[^>]{%d})" % (2 * MAX_ATTRIBUTES))
_LONG_CANDIDATE = re.compile(r"<(?=[^>]{%d})" % (2 * MAX_ATTRIBUTES))

_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"                                         # comment (maybe unclosed)
    r"|<(script|style|textarea|title|xmp|iframe|noembed|noframes|noscript)\b[^>]*(?:>|\Z)"
    r".*?(?:</\1\s*>|\Z)"                                        # raw text element
    r"|<(plaintext)\b"                                           # the rest is text
    r"|<(/?)([A-Za-z][^\s/>]*)([^>]*)(?:>|\Z)"                   # start or end tag
    r"|<[!?/][^>]*(?:>|\Z)",                                     # doctype, bogus comment
    re.S | re.I)
_ATTRIBUTE = re.compile(r"""[^\s"'>/=][^\s"'>/=]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?""")
#: Attribute strings shorter than this cannot hold MAX_ATTRIBUTES attributes.
_SHORT_ATTRIBUTES = 2 * MAX_ATTRIBUTES


def _many_attributes(html: str, start: int, end: int) -> bool:
    """Whether the tag at ``html[start:end]`` holds more than MAX_ATTRIBUTES
    attributes besides its name.  Counts ``_ATTRIBUTE`` matches (the first is
    the tag's name) and stops at the cap, so a stray ``<`` before megabytes of
    text costs MAX_ATTRIBUTES + 2 matches, not millions.  (Not one regex with
    possessive or atomic groups: those need Python 3.11.)"""
    return sum(1 for _ in islice(_ATTRIBUTE.finditer(html, start, end), MAX_ATTRIBUTES + 2)) \
        > MAX_ATTRIBUTES + 1


_VOID = frozenset("area base br col embed hr img input keygen link meta param source track wbr "
                  "basefont bgsound frame image isindex menuitem".split())
#: A start tag of one of these closes an open element of the same name near
#: the top of the stack (``<li>a<li>b``, ``<p>a<p>b``, table rows and cells).
_SELF_CLOSING_SIBLINGS = frozenset("p li dt dd option optgroup tr td th thead tbody tfoot rp rt".split())
#: Elements that stop the search for an open sibling to close (a ``<li>``
#: inside a nested ``<ul>`` does not close the outer item).
_CONTAINERS = frozenset("ul ol menu dl table tbody thead tfoot tr select datalist div section "
                        "article blockquote".split())
#: Start tags that, past the cap, still separate blocks of text (as ``<p>``).
_BLOCKISH = frozenset("""address article aside blockquote center dd details dialog dir div dl dt
fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup li main menu nav ol p pre
section summary table tbody td tfoot th thead tr ul""".split())
_FOREIGN = frozenset(("svg", "math"))
_SELECTS = frozenset(("select", "datalist"))
#: Attributes always kept when a tag's attribute list is cut.
_READ_ATTRIBUTES = frozenset("""class id role itemprop style hidden aria-hidden href src content
property name charset http-equiv type dir lang""".split())


def _close_sibling(stack: list[str], name: str) -> None:
    """Pop an open ``name`` near the top of the stack, as its implied end tag would."""
    for i in range(len(stack) - 1, max(len(stack) - 4, -1), -1):
        top = stack[i]
        if top == name:
            del stack[i:]
            return
        if top in _CONTAINERS:
            return


def _cut_attributes(tag: str, attrs: str) -> str | None:
    """The start tag rebuilt with at most MAX_ATTRIBUTES attributes, or None if within."""
    found = _ATTRIBUTE.findall(attrs)
    if len(found) <= MAX_ATTRIBUTES:
        return None
    kept = found[:MAX_ATTRIBUTES]
    for attr in found[MAX_ATTRIBUTES:]:
        name = attr.split("=", 1)[0].strip().lower()
        if name in _READ_ATTRIBUTES:
            kept.append(attr)
    slash = "/" if attrs.rstrip().endswith("/") else ""
    return f"<{tag} {' '.join(kept)}{slash}>"


def _nth_lt(html: str, n: int) -> int:
    """Index of the ``n``-th ``<`` (0-based) of ``html``, which has more than ``n``."""
    pos = -1
    for _ in range(n + 1):
        pos = html.find("<", pos + 1)
    return pos


def _needs_scan(html: str, tags: int) -> bool:
    """Cheap test whether any cap could be exceeded (``tags``: the count of ``<``).

    One regular-expression pass finds the few candidates (``<option`` and
    ``<`` followed by 512 characters without ``>``); a candidate is a long tag
    if the next ``<`` or ``>`` is more than 512 characters away, and only the
    attributes of long tags are counted.
    """
    if tags > SCAN_TAGS:
        return True
    options = 0
    find = html.find
    for m in (_CANDIDATE if tags > MAX_OPTIONS else _LONG_CANDIDATE).finditer(html):
        start = m.start()
        if m.lastindex:  # <option
            options += 1
            if options > MAX_OPTIONS:
                return True
        end = find(">", start + 1)
        if end < 0:
            end = len(html)
        if end - start <= _SHORT_ATTRIBUTES:
            continue
        lt = find("<", start + 1, end)
        if lt >= 0:
            end = lt
        # count in place and stop at the cap: a stray "<" before megabytes of
        # text makes one "tag" of millions of "attributes"
        if end - start > _SHORT_ATTRIBUTES and _many_attributes(html, start, end):
            return True
    return False


def limit_markup(html: str) -> str:
    """Return ``html`` cut at MAX_TAGS ``<`` and with nesting, attributes and
    options capped (see module doc).

    The input is returned unchanged (the same object) when within every cap.
    """
    if len(html) <= SMALL_DOCUMENT:
        return html
    tags = html.count("<")
    if tags > MAX_TAGS:
        html = html[:_nth_lt(html, MAX_TAGS)]
    elif not _needs_scan(html, tags):
        return html
    stack: list[str] = []
    dropped: dict[str, int] = {}
    edits: list[tuple[int, int, str]] = []
    foreign = 0
    selects = 0
    options = 0
    for m in _TOKEN.finditer(html):
        name = m.group(4)
        if name is None:
            if m.group(2):  # <plaintext>: no more tags
                break
            continue
        name = name.lower()
        if m.group(3):  # end tag
            if dropped.get(name):
                dropped[name] -= 1
                edits.append((m.start(), m.end(), ""))
            elif name in stack:
                while stack:
                    top = stack.pop()
                    if top in _FOREIGN:
                        foreign -= 1
                    elif top in _SELECTS:
                        selects -= 1
                    if top == name:
                        break
            continue
        attrs = m.group(5)
        if selects and name == "option":
            options += 1
            if options > MAX_OPTIONS:
                dropped[name] = dropped.get(name, 0) + 1
                edits.append((m.start(), m.end(), ""))
                continue
        if name in _VOID or (foreign and attrs.rstrip().endswith("/")):
            if len(attrs) > _SHORT_ATTRIBUTES:
                cut = _cut_attributes(m.group(4), attrs)
                if cut is not None:
                    edits.append((m.start(), m.end(), cut))
            continue
        if name in _SELF_CLOSING_SIBLINGS:
            _close_sibling(stack, name)
        if len(stack) >= MAX_NESTING:
            dropped[name] = dropped.get(name, 0) + 1
            edits.append((m.start(), m.end(), "<p>" if name in _BLOCKISH else ""))
            continue
        if len(attrs) > _SHORT_ATTRIBUTES:
            cut = _cut_attributes(m.group(4), attrs)
            if cut is not None:
                edits.append((m.start(), m.end(), cut))
        stack.append(name)
        if name in _FOREIGN:
            foreign += 1
        elif name in _SELECTS:
            selects += 1
            options = 0
    if not edits:
        return html
    out = []
    pos = 0
    for start, end, repl in edits:
        out.append(html[pos:start])
        out.append(repl)
        pos = end
    out.append(html[pos:])
    return "".join(out)
