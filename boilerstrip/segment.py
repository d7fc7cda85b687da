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
from functools import cached_property, lru_cache

import numpy as np
from selectolax.lexbor import LexborHTMLParser

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


def _alternation(words) -> str:
    """A regex for ``"|".join(words)`` that runs faster: alternatives that share a
    first character are merged into one branch (recursively, a trie), keeping
    their relative order, so at every position the same word wins as in the
    flat alternation (the first in ``words`` that matches there)."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[:1], []).append(word[1:])
    branches = []
    for first, rests in groups.items():
        if len(rests) == 1:
            branches.append(re.escape(first + rests[0]))
        else:
            branches.append(re.escape(first) + "(?:" + _alternation(rests) + ")")
    return "|".join(branches)


_PATTERN_RE = re.compile(_alternation(PATTERNS))
#: PATTERNS entry -> its bit.
PATTERN_BIT = {p: 1 << i for i, p in enumerate(PATTERNS)}
#: "ad"/"ads" as a whole token only ("head", "load" must not match).
_AD_RE = re.compile(r"(?:^|[\s_\-])ads?(?:$|[\s_\-])|advert")
AD_BIT = 1 << 63

#: Buckets for the hashed class/id tokens of a block's owner element.
HASH_BUCKETS = 32
_TOKEN_RE = re.compile(r"[a-z0-9]+")

#: A block's recorded depth is capped (deep nesting is itself the signal).
MAX_DEPTH = 255
#: Blocks kept per page; text after them is ignored, like input past
#: ``max_bytes``.  Each block costs ~2.8 KB of features, so without a cap a
#: 32 MB page of ``<td>c`` (6 million blocks) would need ~17 GB.  Real pages
#: have far fewer (the largest of the 5,193 shared-dataset pages has 6,219).
MAX_BLOCKS = 50_000
#: Block-level ancestors climbed when relating a block to another element (the
#: headline's, the best container); nesting beyond this counts as the page root.
MAX_CLIMB = 48

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")


#: Attribute strings longer than this are not memoised (a cache entry would
#: keep a hostile multi-megabyte class attribute alive across pages).
CACHE_MAX_LEN = 512
#: Class/id tokens memoised (up to this many, of up to _TOKEN_MAX_LEN characters).
TOKEN_CACHE_SIZE = 16384
_TOKEN_MAX_LEN = 64
_TOKEN_BITS: dict[str, tuple[int, int]] = {}


def attribute_mask(value: str) -> int:
    """Bit mask of :data:`PATTERNS` found in a lower-cased class/id/role string."""
    return attribute_masks(value)[0]


def attribute_masks(value: str) -> tuple[int, int]:
    """``(PATTERNS mask, bucket mask over HASH_BUCKETS of the tokens)`` of a
    lower-cased class/id/role string."""
    return _attribute_masks(value) if len(value) <= CACHE_MAX_LEN else _attribute_masks.__wrapped__(value)


def _token_bits(token: str) -> tuple[int, int]:
    """PATTERNS mask and hash bucket bit of one ``[a-z0-9]+`` token."""
    mask = 0
    for word in _PATTERN_RE.findall(token):
        mask |= PATTERN_BIT[word]
    bits = (mask, 1 << (zlib.crc32(token.encode()) % HASH_BUCKETS))
    if len(token) <= _TOKEN_MAX_LEN:
        if len(_TOKEN_BITS) >= TOKEN_CACHE_SIZE:
            _TOKEN_BITS.clear()
        _TOKEN_BITS[token] = bits
    return bits


@lru_cache(maxsize=8192)
def _attribute_masks(value: str) -> tuple[int, int]:
    # PATTERNS are lower-case letters, so no match crosses a token boundary:
    # the string's matches are its tokens' matches (and tokens repeat across
    # strings far more than whole strings do, so they are memoised too).
    # The "ad" test looks at the separators, so it runs on the whole string.
    mask = hashed = 0
    known = _TOKEN_BITS.get
    for token in _TOKEN_RE.findall(value):
        bits = known(token) or _token_bits(token)
        mask |= bits[0]
        hashed |= bits[1]
    if "ad" in value and _AD_RE.search(value):
        mask |= AD_BIT
    return mask, hashed


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
    #: id of each block-level element's nearest block-level ancestor (the root: 0)
    element_parent: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.text)

    @property
    def total_chars(self) -> int:
        return sum(len(t) for t in self.text)

    @cached_property
    def ancestor_levels(self) -> np.ndarray:
        """``(levels, n)`` array: row ``k`` holds the element id of each block's
        ``k``-th block-level ancestor (row 0: its owner), up to the root (id 0) or
        :data:`MAX_CLIMB` levels.  Computed once per page (features and the
        context stage both climb it); a Blocks is not modified after it is built."""
        parent = np.asarray(self.element_parent, dtype=np.int64)
        cur = np.asarray(self.owner, dtype=np.int64)
        rows = [cur]
        for _ in range(MAX_CLIMB):
            if not cur.any():
                break
            cur = parent[cur]
            rows.append(cur)
        return np.vstack(rows)

    @cached_property
    def ancestor_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """``(elements, blocks)``: one pair per block-level element and block
        under it (the root once per block), from :attr:`ancestor_levels`; what
        the decoder's per-subtree sums add up."""
        levels = self.ancestor_levels
        counted = np.ones(levels.shape, dtype=bool)
        counted[1:] = levels[:-1] != 0
        rows, cols = np.nonzero(counted)
        return levels[rows, cols], cols

    @cached_property
    def element_sizes(self) -> np.ndarray:
        """:attr:`element_chars` as a ``float64`` array, by element id (the
        features, the context stage and the decision all read it)."""
        return np.asarray(self.element_chars, dtype=np.float64)

    @cached_property
    def element_masks(self) -> np.ndarray:
        """:attr:`element_mask` as a ``uint64`` array, by element id."""
        return np.asarray(self.element_mask, dtype=np.uint64)

    def element_words(self, words) -> np.ndarray:
        """``(elements, len(words))`` booleans: which of the :data:`PATTERNS`
        ``words`` each block-level element's own class/id/role carries."""
        shifts = np.array([PATTERN_BIT[w].bit_length() - 1 for w in words], dtype=np.uint64)
        return ((self.element_masks[:, None] >> shifts) & np.uint64(1)).astype(bool)

    def common_ancestor(self, elem: int) -> np.ndarray:
        """For each block, the innermost block-level element that holds both the
        block and element ``elem`` (0, the root, when none is found within
        :data:`MAX_CLIMB` levels)."""
        levels = self.ancestor_levels
        chain = np.zeros(len(self.element_parent), dtype=bool)
        e = elem
        for _ in range(MAX_CLIMB + 1):
            chain[e] = True
            if e == 0:
                break
            e = self.element_parent[e]
        hit = chain[levels]
        first = np.argmax(hit, axis=0)
        cols = np.arange(levels.shape[1])
        return np.where(hit[first, cols], levels[first, cols], 0)


def _emit(rows: list, pieces: list[str], link_chars: int, depth: int, anc: int, tags: int,
          owner: tuple) -> int:
    """Close the current block: append its row (unless past MAX_BLOCKS or blank),
    empty ``pieces``, and return the block's length in characters."""
    text = " ".join("".join(pieces).split()) if len(rows) < MAX_BLOCKS else ""
    pieces.clear()
    if text:
        rows.append((text, link_chars, depth, anc, tags, owner))
    return len(text)


def _attr_string(attrs) -> tuple[str, bool]:
    """Lower-cased class/id/role/itemprop string, and whether the element is hidden."""
    get = attrs.get
    cls = get("class")
    ident = get("id")
    # the common cases first: only a class, only an id, or both (with values)
    if cls is not None:
        if ident is None:
            if len(attrs) == 1:
                return cls.lower(), False
        elif len(attrs) == 2:
            return (cls + " " + ident if cls and ident else cls or ident).lower(), False
    elif ident is not None and len(attrs) == 1:
        return ident.lower(), False
    # any other attribute: it may hide the element or add a role
    if "hidden" in attrs:
        return "", True
    aria = get("aria-hidden")
    if aria and aria.strip().lower() == "true":
        return "", True
    style = get("style")
    if style and ("none" in style or "idden" in style or "NONE" in style.upper()) \
            and _HIDDEN_STYLE.search(style.lower()):
        return "", True
    role = get("role")
    prop = get("itemprop")
    if role or prop:
        return " ".join([v for v in (cls, ident, role, prop) if v]).lower(), False
    if cls:
        return (cls + " " + ident if ident else cls).lower(), False
    return (ident or "").lower(), False


def _text_tag_id() -> int:
    """Lexbor's tag id of text nodes, the nodes whose ``.tag`` is ``"-text"``
    (selectolax derives that name from this id; an int is cheaper to read)."""
    node = LexborHTMLParser("<p>x</p>").body.child.child
    assert node.tag == "-text"
    return node.tag_id


_TEXT_ID = _text_tag_id()


def segment(root) -> Blocks:
    """Cut the subtree under ``root`` (a selectolax node, usually ``<body>``) into blocks.

    The walk keeps what it tracks in local variables: the masks of the
    innermost open element (``cum``: PATTERNS of it and its ancestors;
    ``tmask``: ANCESTOR_TAGS bits), the list/row/table ids, and ``owner``, the
    columns a block takes from its block-level element (a tuple made once per
    element).  Each element the walk enters pushes its node on ``parents`` (so
    going up needs no ``.parent``) and on ``stack`` what to restore when it
    closes: ``None`` for an inline element that changes nothing, ``(cum,
    tmask, is_link)`` for other inline elements, a longer tuple for a block
    element.  Blocks are collected as rows and turned into columns at the end.
    """
    if root is None:
        return Blocks()

    rows: list[tuple] = []           # (text, link_chars, depth, anc_mask, tag_mask, owner)
    pieces: list[str] = []           # text of the current block
    add_piece = pieces.append
    link_chars = 0
    text_anc = 0
    text_tags = 0
    text_depth = 0
    chars_total = 0  # text characters emitted so far (for container shares)
    in_link = 0
    br_run = 0       # consecutive <br> in the current block element

    root_tag = root.tag or "body"
    element_chars = [0]
    element_tag = [root_tag]
    element_mask = [0]
    element_parent = [0]
    # (tag, block_depth, own_mask, hash_mask, owner id, parent id, grandparent id,
    #  list_id, row_id, table_id); the root is its own parent and grandparent
    owner = (root_tag, 1, 0, 0, 0, 0, 0, -1, -1, -1)
    n_blocks = 1     # open block elements, the root included
    cum = tmask = 0
    list_id = row_id = table_id = -1
    stack: list = []
    push = stack.append
    pop = stack.pop
    block_tags = BLOCK_TAGS
    skip_tags = SKIP_TAGS
    tag_bit = ANCESTOR_TAG_BIT.get
    masks_of = _attribute_masks   # attribute_masks without its wrapper's call
    cache_max_len = CACHE_MAX_LEN
    text_id = _TEXT_ID

    node = root.child
    parents: list = []   # the open elements' nodes; len(stack) == len(parents)
    while node is not None:
        child = None
        if node.tag_id == text_id:
            text = node.text_content
            if text:
                stripped = text.strip()
                if stripped:
                    add_piece(text)
                    text_anc |= cum
                    text_tags |= tmask
                    if len(parents) >= text_depth:
                        text_depth = len(parents) + 1
                    if in_link:
                        link_chars += len(stripped)
                    br_run = 0
                elif pieces:
                    add_piece(" ")
        elif (tag := node.tag) and tag[0] != "-" and tag not in skip_tags:
            if tag == "br":
                br_run += 1
                if br_run >= 2:
                    if pieces:
                        chars_total += _emit(rows, pieces, link_chars, text_depth, text_anc, text_tags, owner)
                        link_chars = text_anc = text_tags = text_depth = 0
                elif pieces:
                    add_piece(" ")
            elif tag in block_tags:
                child = node.child
                attrs = node.attributes
                astr, hidden = _attr_string(attrs) if attrs else ("", False)
                if hidden:
                    child = None
                else:
                    if pieces:
                        chars_total += _emit(rows, pieces, link_chars, text_depth, text_anc, text_tags, owner)
                        link_chars = text_anc = text_tags = text_depth = 0
                    elem_id = len(element_chars)
                    element_chars.append(0)
                    element_tag.append(tag)
                    element_mask.append(0)
                    element_parent.append(owner[4])
                    # an empty block element still separates text, but owns none
                    if child is not None:
                        push((cum, tmask, list_id, row_id, table_id, owner, br_run, elem_id, chars_total))
                        if astr:
                            own, hsh = masks_of(astr) if len(astr) <= cache_max_len else attribute_masks(astr)
                            cum |= own
                            element_mask[elem_id] = own
                        else:
                            own = hsh = 0
                        tmask |= tag_bit(tag, 0)
                        if tag in _LIST_TAGS:
                            list_id = elem_id
                        elif tag == "tr":
                            row_id = elem_id
                        elif tag == "table":
                            table_id = elem_id
                        n_blocks += 1
                        owner = (tag, n_blocks if n_blocks < MAX_DEPTH else MAX_DEPTH, own, hsh,
                                 elem_id, owner[4], owner[5], list_id, row_id, table_id)
                        br_run = 0
            else:
                child = node.child
                if child is not None:
                    attrs = node.attributes
                    if attrs:
                        astr, hidden = _attr_string(attrs)
                        if hidden:
                            child = None
                        if not astr:
                            own = 0
                        else:
                            own = (masks_of(astr) if len(astr) <= cache_max_len else attribute_masks(astr))[0]
                    else:
                        own = 0
                    if child is not None:
                        bit = tag_bit(tag, 0)
                        if tag == "a":
                            in_link += 1
                            push((cum, tmask, True))
                            cum |= own
                            tmask |= bit
                        elif own or bit:
                            push((cum, tmask, False))
                            cum |= own
                            tmask |= bit
                        else:
                            push(None)
            # leaf inline elements (img, wbr, ...) carry no text
        if child is not None:
            parents.append(node)
            node = child
            continue
        # move to the next node, closing finished elements on the way up
        while True:
            nxt = node.next
            if nxt is not None:
                node = nxt
                break
            if not parents:
                node = None
                break
            node = parents.pop()
            fr = pop()
            if fr is None:
                continue
            if len(fr) == 3:
                cum, tmask, link = fr
                if link:
                    in_link -= 1
                continue
            # a block element closes
            if pieces:
                chars_total += _emit(rows, pieces, link_chars, text_depth, text_anc, text_tags, owner)
                link_chars = text_anc = text_tags = text_depth = 0
            cum, tmask, list_id, row_id, table_id, owner, br_run, elem_id, start = fr
            element_chars[elem_id] = chars_total - start
            n_blocks -= 1
    if pieces:
        chars_total += _emit(rows, pieces, link_chars, text_depth, text_anc, text_tags, owner)
    element_chars[0] = chars_total
    out = Blocks(element_chars=element_chars, element_tag=element_tag, element_mask=element_mask,
                 element_parent=element_parent)
    if rows:
        texts, links, depths, ancs, tag_masks, owners = zip(*rows)
        out.text = list(texts)
        out.link_chars = [min(n, len(t)) for n, t in zip(links, texts)]
        out.depth = [min(d, MAX_DEPTH) for d in depths]
        out.anc_mask = list(ancs)
        out.tag_mask = list(tag_masks)
        (out.tag, out.block_depth, out.own_mask, out.hash_mask, out.owner, out.parent,
         out.grandparent, out.list_id, out.row_id, out.table_id) = map(list, zip(*owners))
    return out


_LIST_TAGS = frozenset(("ul", "ol", "dl", "menu"))
