"""Stage 2: cut the DOM into blocks.

A *block* is a maximal run of inline text between two block-level boundaries
(the start or end of a block-level element such as ``<p>``, ``<div>``, ``<li>``,
or a double ``<br>``), as in boilerpipe and jusText.  For every block we keep
what the later stages need: its text, how much of it is link text, the tag of
the block-level element that owns it, its depth, the class/id/role vocabulary of
that element and of all its ancestors (as bit masks over :data:`PATTERNS`), a
hash of the owner's class/id tokens, and the ids of its container elements, so
that we can tell which share of the page's text sits under the same container.

The walk is iterative (no recursion, so a page nested 50,000 levels deep is
fine) and touches each DOM node once.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

#: Subtrees never rendered as article text.
SKIP_TAGS = frozenset("""
script style noscript template iframe frame frameset object embed applet svg math
canvas video audio picture source track select option optgroup button input
textarea head title meta link base map area dialog menuitem datalist output
progress meter slot portal param
""".split())

#: Elements that start and end a block.
BLOCK_TAGS = frozenset("""
html body address article aside blockquote center dd details dir div dl dt
fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li
main menu nav ol p pre section summary table tbody thead tfoot td th tr ul
caption legend noframes search
""".split())

HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}

#: Tags recorded as "some ancestor is a ..." bits (independently of class names).
ANCESTOR_TAGS = ("nav", "header", "footer", "aside", "article", "main", "form", "li",
                 "table", "blockquote", "figure", "a", "section", "h1", "h2", "h3",
                 "ul", "ol", "p", "pre", "dl", "address", "time", "strong", "em", "span")
ANCESTOR_TAG_BIT = {t: 1 << i for i, t in enumerate(ANCESTOR_TAGS)}

#: Vocabulary matched (as substrings, lower-cased) against each element's
#: class, id, role and itemprop attributes.  One bit each; see features.py.
PATTERNS = (
    "article", "content", "story", "body", "post", "entry", "text", "main", "blog",
    "news", "detail", "prose", "nav", "menu", "footer", "header", "sidebar", "side",
    "widget", "comment", "share", "social", "related", "recommend", "promo",
    "newsletter", "subscri", "signup", "login", "regist", "donat", "support",
    "banner", "cookie", "consent", "modal", "popup", "breadcrumb", "tag", "meta",
    "byline", "author", "date", "caption", "credit", "copyright", "pagination",
    "more", "teaser", "card", "list", "trending", "popular", "sponsor",
    "notif", "paywall", "member", "follow", "search", "title", "summary", "media",
)
assert len(PATTERNS) <= 63
_PATTERN_RE = re.compile("|".join(re.escape(p) for p in PATTERNS))
_PATTERN_BIT = {p: 1 << i for i, p in enumerate(PATTERNS)}
#: "ad"/"ads" as a whole token only ("head", "load" must not match).
_AD_RE = re.compile(r"(?:^|[\s_\-])ads?(?:$|[\s_\-])|advert")
AD_BIT = 1 << 63

#: Buckets for the hashed class/id tokens of a block's owner element.
HASH_BUCKETS = 32
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")

#: A block's recorded depth is capped (deep nesting is itself the signal).
MAX_DEPTH = 255
#: Blocks kept per page; text after them is ignored, like input past
#: ``max_bytes``.  Each block costs ~2.3 KB of features, so without a cap a
#: 32 MB page of ``<td>c`` (6 million blocks) would need ~15 GB.  Real pages
#: have far fewer (the largest of the 5,193 shared-dataset pages has 6,219).
MAX_BLOCKS = 50_000

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")
_WS = re.compile(r"\s+")


#: Attribute strings longer than this are not memoised (a cache entry would
#: keep a hostile multi-megabyte class attribute alive across pages).
CACHE_MAX_LEN = 512


def attribute_mask(value: str) -> int:
    """Bit mask of :data:`PATTERNS` found in a lower-cased class/id/role string."""
    return _attribute_mask(value) if len(value) <= CACHE_MAX_LEN else _attribute_mask.__wrapped__(value)


def attribute_hash(value: str) -> int:
    """Bucket bit mask (over :data:`HASH_BUCKETS`) of the tokens of a class/id string."""
    return _attribute_hash(value) if len(value) <= CACHE_MAX_LEN else _attribute_hash.__wrapped__(value)


@lru_cache(maxsize=8192)
def _attribute_mask(value: str) -> int:
    mask = 0
    for m in _PATTERN_RE.finditer(value):
        mask |= _PATTERN_BIT[m.group(0)]
    if _AD_RE.search(value):
        mask |= AD_BIT
    return mask


@lru_cache(maxsize=8192)
def _attribute_hash(value: str) -> int:
    mask = 0
    for tok in _TOKEN_SPLIT.split(value):
        if tok:
            mask |= 1 << (zlib.crc32(tok.encode()) % HASH_BUCKETS)
    return mask


@dataclass
class Blocks:
    """The blocks of one page, as parallel columns (one entry per block)."""

    text: list[str] = field(default_factory=list)
    link_chars: list[int] = field(default_factory=list)
    tag: list[str] = field(default_factory=list)        # owner block element
    depth: list[int] = field(default_factory=list)      # DOM depth of the text
    block_depth: list[int] = field(default_factory=list)
    own_mask: list[int] = field(default_factory=list)   # PATTERNS of owner element
    anc_mask: list[int] = field(default_factory=list)   # PATTERNS of any ancestor
    tag_mask: list[int] = field(default_factory=list)   # ANCESTOR_TAGS bits
    hash_mask: list[int] = field(default_factory=list)  # hashed owner class/id tokens
    owner: list[int] = field(default_factory=list)      # element id of owner
    parent: list[int] = field(default_factory=list)     # element id of owner's block parent
    grandparent: list[int] = field(default_factory=list)
    list_id: list[int] = field(default_factory=list)    # nearest ul/ol/dl (-1: none)
    row_id: list[int] = field(default_factory=list)     # nearest tr (-1: none)
    table_id: list[int] = field(default_factory=list)   # nearest table (-1: none)
    #: text characters under each block-level element, by element id
    element_chars: list[int] = field(default_factory=list)
    element_tag: list[str] = field(default_factory=list)
    #: PATTERNS bit mask of each block-level element's own class/id/role, by element id
    element_mask: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.text)

    @property
    def total_chars(self) -> int:
        return sum(len(t) for t in self.text)


class _Frame:
    """An open element during the walk."""

    __slots__ = ("tag", "is_block", "elem_id", "cum_mask", "own_mask", "tag_mask",
                 "hash_mask", "start_chars", "br_run", "list_id", "row_id", "table_id")


def _attr_string(attrs) -> tuple[str, bool]:
    """Lower-cased class/id/role/itemprop string, and whether the element is hidden."""
    get = attrs.get
    cls = get("class")
    ident = get("id")
    if len(attrs) != (cls is not None) + (ident is not None) or (cls is None and ident is None):
        parts = [v for v in (cls, ident, get("role"), get("itemprop")) if v]
        if "hidden" in attrs:
            return "", True
        aria = get("aria-hidden")
        if aria and aria.strip().lower() == "true":
            return "", True
        style = get("style")
        if style and ("none" in style or "idden" in style or "NONE" in style.upper()) \
                and _HIDDEN_STYLE.search(style.lower()):
            return "", True
        return " ".join(parts).lower(), False
    if cls and ident:
        return (cls + " " + ident).lower(), False
    return (cls or ident or "").lower(), False


def segment(root) -> Blocks:
    """Cut the subtree under ``root`` (a selectolax node, usually ``<body>``) into blocks."""
    out = Blocks()
    if root is None:
        return out

    # per-block accumulators
    pieces: list[str] = []
    link_chars = 0
    text_anc = 0
    text_tags = 0
    text_depth = 0
    chars_total = 0  # text characters emitted so far (for container shares)

    stack: list[_Frame] = []
    block_stack: list[_Frame] = []   # block-level frames only
    in_link = 0
    element_chars = out.element_chars
    element_tag = out.element_tag
    element_mask = out.element_mask

    root_frame = _Frame()
    root_frame.tag = root.tag or "body"
    root_frame.is_block = True
    root_frame.elem_id = 0
    root_frame.cum_mask = 0
    root_frame.own_mask = 0
    root_frame.tag_mask = 0
    root_frame.hash_mask = 0
    root_frame.start_chars = 0
    root_frame.br_run = 0
    root_frame.list_id = root_frame.row_id = root_frame.table_id = -1
    element_chars.append(0)
    element_tag.append(root_frame.tag)
    element_mask.append(0)
    stack.append(root_frame)
    block_stack.append(root_frame)
    top = root_frame          # stack[-1]
    owner_fr = root_frame     # block_stack[-1]

    def flush():
        nonlocal pieces, link_chars, text_anc, text_tags, text_depth, chars_total
        text = " ".join("".join(pieces).split()) if len(out.text) < MAX_BLOCKS else ""
        if text:
            owner = block_stack[-1]
            nb = len(block_stack)
            parent = block_stack[-2] if nb > 1 else owner
            grand = block_stack[-3] if nb > 2 else parent
            out.text.append(text)
            out.link_chars.append(min(link_chars, len(text)))
            out.tag.append(owner.tag)
            out.depth.append(min(text_depth, MAX_DEPTH))
            out.block_depth.append(min(nb, MAX_DEPTH))
            out.own_mask.append(owner.own_mask)
            out.anc_mask.append(text_anc)
            out.tag_mask.append(text_tags)
            out.hash_mask.append(owner.hash_mask)
            out.owner.append(owner.elem_id)
            out.parent.append(parent.elem_id)
            out.grandparent.append(grand.elem_id)
            out.list_id.append(owner.list_id)
            out.row_id.append(owner.row_id)
            out.table_id.append(owner.table_id)
            chars_total += len(text)
        pieces = []
        link_chars = 0
        text_anc = 0
        text_tags = 0
        text_depth = 0

    node = root.child
    depth = 0
    while node is not None:
        tag = node.tag
        child = None
        if tag == "-text":
            text = node.text_content
            if text:
                stripped = text.strip()
                if stripped:
                    pieces.append(text)
                    text_anc |= top.cum_mask
                    text_tags |= top.tag_mask
                    if len(stack) > text_depth:
                        text_depth = len(stack)
                    if in_link:
                        link_chars += len(stripped)
                    owner_fr.br_run = 0
                elif pieces:
                    pieces.append(" ")
        elif tag and tag[0] != "-" and tag not in SKIP_TAGS:
            if tag == "br":
                owner_fr.br_run += 1
                if owner_fr.br_run >= 2:
                    if pieces:
                        flush()
                elif pieces:
                    pieces.append(" ")
            else:
                child = node.child
                is_block = tag in BLOCK_TAGS
                if child is not None or is_block:
                    attrs = node.attributes
                    if attrs:
                        astr, hidden = _attr_string(attrs)
                    else:
                        astr, hidden = "", False
                    if hidden:
                        child = None
                    else:
                        fr = _Frame()
                        fr.tag = tag
                        if astr:
                            own = attribute_mask(astr)
                            fr.hash_mask = attribute_hash(astr)
                        else:
                            own = 0
                            fr.hash_mask = 0
                        fr.own_mask = own
                        fr.cum_mask = top.cum_mask | own
                        fr.tag_mask = top.tag_mask | ANCESTOR_TAG_BIT.get(tag, 0)
                        fr.list_id = top.list_id
                        fr.row_id = top.row_id
                        fr.table_id = top.table_id
                        fr.br_run = 0
                        fr.is_block = is_block
                        if is_block:
                            if pieces:
                                flush()
                            fr.elem_id = len(element_chars)
                            element_chars.append(0)
                            element_tag.append(tag)
                            element_mask.append(own)
                            fr.start_chars = chars_total
                            if tag in _LIST_TAGS:
                                fr.list_id = fr.elem_id
                            elif tag == "tr":
                                fr.row_id = fr.elem_id
                            elif tag == "table":
                                fr.table_id = fr.elem_id
                            block_stack.append(fr)
                            owner_fr = fr
                            if child is None:
                                # an empty block element still separates text
                                block_stack.pop()
                                owner_fr = block_stack[-1]
                        else:
                            fr.elem_id = -1
                            if tag == "a":
                                in_link += 1
                        if child is not None:
                            stack.append(fr)
                            top = fr
                else:
                    child = None
            # leaf inline elements (img, wbr, ...) carry no text
        if child is not None:
            node = child
            depth += 1
            continue
        # move to the next node, closing finished elements on the way up
        while True:
            nxt = node.next
            if nxt is not None:
                node = nxt
                break
            node = node.parent
            depth -= 1
            if node is None or depth < 0:
                node = None
                break
            fr = stack.pop()
            top = stack[-1]
            if fr.is_block:
                if pieces:
                    flush()
                element_chars[fr.elem_id] = chars_total - fr.start_chars
                block_stack.pop()
                owner_fr = block_stack[-1]
            elif fr.tag == "a":
                in_link -= 1
    if pieces:
        flush()
    element_chars[0] = chars_total
    return out


_LIST_TAGS = frozenset(("ul", "ol", "dl", "menu"))
