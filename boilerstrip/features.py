"""Stage 3: describe every block by a row of numbers.

Feature families (see docs/design.md for the why):

* **shape** -- characters, words, word length, text density (words per
  80-column wrapped line, as in boilerpipe), link density, sentence count,
  terminal punctuation, digit / upper-case / punctuation ratios;
* **phrasing** -- who the text addresses (second person, first person
  plural; also against the page's own rate), who speaks (first person
  singular: readers' comments), calls to action (anywhere and at clause
  start), thanks, comment-thread words
  (reply, permalink, posted, ago), copyright and date patterns, stopword
  density in the page's language;
* **structure** -- owner tag, DOM depth, class/id/role vocabulary of the
  owner element, of its two nearest containers and of any ancestor, how
  many levels up the nearest carrier of some of those words sits, hashed
  owner class/id tokens, ancestor tags, the share of the page's text under
  the block's containers, and how often the block's containers repeat on
  the page (one template per comment or teaser);
* **position and neighbours** -- relative position, the text before the
  block, the key shape values of the two blocks before and after, and
  statistics over the siblings that share the block's parent container.

Everything is computed once per page with NumPy: the page's blocks are
joined into one string; its code points are classified with one table
lookup (digits, punctuation, sentence ends, ...) and summed per block with
``reduceat``; one regular expression splits it into tokens, each looked up
once in the lexicon, and token counts are binned to blocks with
``bincount``.
"""
from __future__ import annotations

import re
from itertools import repeat

import numpy as np

from . import text as T
from .segment import ANCESTOR_TAGS, AD_BIT, BLOCK_TAGS, HASH_BUCKETS, PATTERNS, Blocks

#: Owner tags that get their own indicator column.
TAG_COLUMNS = ("p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
               "blockquote", "pre", "dd", "dt", "figcaption", "section", "article",
               "span", "header", "footer", "nav", "aside", "form", "body", "caption",
               "address", "summary", "tr", "ul")
HEADING_LEVEL = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
#: Width of a wrapped line for text density (boilerpipe uses 80 columns).
WRAP_COLUMNS = 80
#: Neighbour offsets whose core features are copied into a block's row.
NEIGHBOUR_OFFSETS = (-2, -1, 1, 2)
#: Value used for a neighbour outside the page.
MISSING = -1.0
#: Joins block texts into one page string (never occurs inside a block).
SEPARATOR = "\n\n"
#: Tags a headline may have (``api.find_headline`` also looks at other blocks).
HEADLINE_TAGS = frozenset(("h1", "h2", "h3"))
#: A heading is the headline when it shares this much with the page title ...
HEADLINE_OVERLAP = 0.5
#: ... and lies in this first share of the page's blocks (the window of the
#: headline features; the output's headline is looked for in the whole page,
#: see ``api.find_headline``).
HEADLINE_SEARCH = 0.6

#: Character classes, one bit each in :data:`_CLASS_TABLE`.
_DIGIT, _PUNCT, _WORD, _UPPER, _SPACE, _SEP, _END, _CLOSE, _DATE_SEP = (1 << i for i in range(9))
_PUNCTUATION = ("!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~"
                "¡§«»¿‐‑‒–—―‘’‚“”„†‡•…‰′″‹›€£¥©®°±·×÷")


def _class_table() -> np.ndarray:
    """code point -> class bits, for every code point below the table's last entry,
    which stands for all higher ones (letters of other scripts: word characters)."""
    size = max(map(ord, _PUNCTUATION)) + 2
    cp = np.arange(size)
    table = np.zeros(size, dtype=np.uint16)
    is_punct = np.isin(cp, [ord(c) for c in _PUNCTUATION])
    is_digit = (cp >= 48) & (cp <= 57)
    low = cp | 32
    is_alpha = ((low >= 97) & (low <= 122)) | ((cp >= 0xC0) & (cp != 0xD7) & (cp != 0xF7)
                                               & ~is_punct)
    is_upper = ((cp >= 65) & (cp <= 90)) | ((cp >= 0xC0) & (cp <= 0xDE) & (cp != 0xD7)) \
        | ((cp >= 0x410) & (cp <= 0x42F))
    for bit, mask in ((_DIGIT, is_digit), (_PUNCT, is_punct),
                      (_WORD, is_alpha | is_digit | (cp == 95)), (_UPPER, is_upper),
                      (_SPACE, (cp == 32) | (cp == 10))):
        table[mask] |= bit
    for bit, chars in ((_SEP, "|•·»›/"), (_END, ".!?…"), (_CLOSE, "\"')]”’"),
                       (_DATE_SEP, "./:-")):
        table[[ord(c) for c in chars]] |= bit
    table[-1] = _WORD   # any higher code point
    return table


_CLASS_TABLE = _class_table()

#: Words, block breaks (NUL) and clause breaks, in one pass.
_TOKEN_OR_BREAK = re.compile(r"\w+|[\x00.!?:;|•»›]")
_BREAK = -1
_LEX = dict(T.LEXICON)
_LEX["\x00"] = _BREAK
_CLAUSE = -2
for _c in ".!?:;|•»›":
    _LEX[_c] = _CLAUSE
#: Substrings that betray a web or mail address.
_URL_MARKS = ("://", "www.", ".com", ".org", "@")
_TERMINAL = set(".!?…\"'”’)")

CORE = ("log_words", "link_density", "text_density", "stopword_density",
        "ends_terminal", "heading_level", "cta_rate")

SHAPE = ("log_chars", "log_words", "avg_word_len", "link_density", "text_density",
         "stopword_density", "stopword_density_any", "second_person_rate",
         "first_plural_rate", "cta_rate", "cta_start", "thanks", "copyright", "dates",
         "sentences", "words_per_sentence", "ends_terminal", "digit_ratio",
         "upper_ratio", "punct_ratio", "separators", "questions", "exclamations",
         "urls", "depth", "block_depth", "heading_level", "position",
         "text_before", "owner_share", "parent_share", "grandparent_share",
         "rel_words", "title_overlap", "log_page_words", "log_blocks",
         "siblings", "sibling_link_density", "sibling_words", "in_list", "in_table",
         "first_singular_rate", "comment_words", "parent_repeat", "grandparent_repeat",
         "second_person_excess", "first_plural_excess", "cta_excess",
         "has_headline", "headline_offset", "headline_share")
#: Class/id words whose *nearest* carrier tells more than "somewhere above":
#: ``reach_<word>`` counts the block-level levels from the block's own element
#: (0) up to the nearest element that carries the word.  A ``comment`` class
#: two levels up marks a reader's comment; one on a page-wide wrapper is far from every block.
REACH_PATTERNS = ("comment", "nav", "menu", "footer", "header", "sidebar", "side", "widget",
                  "related", "article", "content", "post", "entry", "author")
#: Reach when no element within this many levels carries the word.
MAX_REACH = 12
SHAPE = SHAPE + tuple(f"reach_{p}" for p in REACH_PATTERNS)


def feature_names() -> list[str]:
    names = list(SHAPE)
    names += [f"tag_{t}" for t in TAG_COLUMNS]
    names += [f"own_{p}" for p in PATTERNS] + ["own_ad"]
    names += [f"anc_{p}" for p in PATTERNS] + ["anc_ad"]
    names += [f"near_{p}" for p in PATTERNS] + ["near_ad"]
    names += [f"under_{t}" for t in ANCESTOR_TAGS]
    names += [f"hash_{i}" for i in range(HASH_BUCKETS)]
    names += [f"{c}@{o:+d}" for o in NEIGHBOUR_OFFSETS for c in CORE]
    return names


FEATURE_NAMES = tuple(feature_names())


_TAG_COLUMN = {t: i for i, t in enumerate(TAG_COLUMNS)}
#: Columns of an unpacked 64-bit mask that hold PATTERNS bits, then the ad bit.
_PATTERN_COLS = list(range(len(PATTERNS))) + [AD_BIT.bit_length() - 1]
#: Block-level tag -> small code (0: other), for the repeated-container key.
_TAG_CODE = {t: i + 1 for i, t in enumerate(sorted(BLOCK_TAGS))}


def _bits(masks: list[int], n_bits: int) -> np.ndarray:
    """Unpack Python-int bit masks (< 2**64) into an (n, n_bits) 0/1 float array."""
    arr = np.array(masks, dtype=np.uint64).view(np.uint8).reshape(-1, 8)
    bits = np.unpackbits(arr, axis=1, bitorder="little")
    return bits[:, :n_bits].astype(np.float64)


def headline_index(tags: list[str], overlap: np.ndarray, has_title: bool,
                   search: float = HEADLINE_SEARCH, others=None,
                   others_overlap: float = 1.0) -> int | None:
    """Index of the headline block: the h1-h3 in the first ``search`` share of
    the page that matches the title best (``overlap``: the ``title_overlap``
    column); else, if ``others`` is given, the block that matches it best
    above ``others_overlap`` among those ``others(indices)`` (booleans) accepts
    -- asked only about blocks above that overlap, and only when no heading
    matched (so none of them is an h1-h3 when ``others_overlap`` is at least
    :data:`HEADLINE_OVERLAP`); else the first ``<h1>`` there."""
    n = len(tags)
    limit = min(n, max(1, int(n * search)))
    best, best_i = HEADLINE_OVERLAP, None
    if has_title:
        for i in range(limit):
            if tags[i] in HEADLINE_TAGS and overlap[i] > best:
                best, best_i = overlap[i], i
        if best_i is not None:
            return best_i
        if others is not None:
            cand = np.flatnonzero(overlap[:limit] > others_overlap)
            if cand.size:
                cand = cand[np.asarray(others(cand), dtype=bool)]
            if cand.size:
                return int(cand[np.argmax(overlap[cand])])
    for i in range(limit):
        if tags[i] == "h1":
            return i
    return None


def compute(blocks: Blocks, title: str | None = None) -> np.ndarray:
    """The feature matrix of a page: one row per block, columns :data:`FEATURE_NAMES`."""
    n = len(blocks)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)))
    texts = blocks.text
    doc = SEPARATOR.join(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    starts = np.zeros(n, dtype=np.int64)
    starts[1:] = np.cumsum(lengths + len(SEPARATOR))[:-1]

    # character classes over the code points of the whole page: one table lookup
    cp = np.frombuffer(doc.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    cls = _CLASS_TABLE[np.minimum(cp, len(_CLASS_TABLE) - 1)]
    is_space = (cls & _SPACE) != 0
    is_sep = (cls & _SEP) != 0
    is_sep[1:] &= is_space[:-1]
    is_sep[:-1] &= is_space[1:]
    seg = starts  # reduceat boundaries (each block's span includes its separator)

    def per_block(mask):
        return np.add.reduceat(mask.astype(np.float64), seg) if len(mask) else np.zeros(n)

    is_digit = (cls & _DIGIT) != 0
    word_chars = per_block((cls & _WORD) != 0)
    digits = per_block(is_digit)
    upper = per_block((cls & _UPPER) != 0)
    punct = per_block((cls & _PUNCT) != 0)
    separators = per_block(is_sep)
    chars = lengths.astype(np.float64)
    safe_chars = np.maximum(chars, 1.0)

    # one pass over the tokens: each is looked up once in the lexicon.  Blocks
    # are joined with NUL (removed from input by encoding.py) and NUL is a
    # token of its own, so a running count of NULs gives each token's block.
    toks = _TOKEN_OR_BREAK.findall("\x00".join(texts).lower())
    nt = len(toks)
    # map() with dict.get runs the lookups in C (a list comprehension does not)
    bits = np.fromiter(map(_LEX.get, toks, repeat(0, nt)), dtype=np.int64, count=nt)
    is_break = bits == _BREAK
    is_mark = bits < 0                       # block break or clause break
    tok_block = np.minimum(np.cumsum(is_break), n - 1)
    words = np.bincount(tok_block[~is_mark], minlength=n).astype(np.float64)
    after_break = np.ones(nt, dtype=bool)    # token follows a break (or starts the page)
    after_break[1:] = is_mark[:-1]
    bits[is_mark] = 0
    safe_words = np.maximum(words, 1.0)

    def lex_count(bit):
        sel = (bits & bit) != 0
        return np.bincount(tok_block[sel], minlength=n).astype(np.float64)

    lang_hits = [int(np.count_nonzero(bits & (1 << i))) for i in range(T.N_LANGS)]
    lang_bit = 1 << int(np.argmax(lang_hits)) if lang_hits else 1
    stop = lex_count(lang_bit)
    stop_any = lex_count((1 << T.N_LANGS) - 1)
    second = lex_count(T.SECOND_BIT)
    first_pl = lex_count(T.FIRST_PLURAL_BIT)
    cta = lex_count(T.CTA_BIT)
    thanks = lex_count(T.THANKS_BIT)
    first_sg = lex_count(T.FIRST_SINGULAR_BIT)
    comment_words = lex_count(T.COMMENT_BIT)
    copyright_ = lex_count(T.COPYRIGHT_BIT) + per_block(cp == 0xA9)
    # numeric dates and times (12.03.2024, 2024-03-12, 3/12, 10:15): a digit, a
    # separator, a digit -- counted on the code points, no regex pass
    num_date = np.zeros(len(cp), dtype=bool)
    num_date[:-2] = is_digit[:-2] & ((cls[1:-1] & _DATE_SEP) != 0) & is_digit[2:]
    dates = lex_count(T.MONTH_BIT) + per_block(num_date)
    # calls to action at the start of a block or right after a clause break;
    # a match is binned by its last character, which lies inside the block
    cta_start = np.bincount(tok_block[((bits & T.CTA_BIT) != 0) & after_break],
                            minlength=n).astype(np.float64)
    # sentence ends: . ! ? or an ellipsis, maybe closed by a quote or bracket,
    # then a space or the end of the block
    space_after = np.ones(len(cp), dtype=bool)
    space_after[:-1] = is_space[1:]
    closed = np.zeros(len(cp), dtype=bool)
    closed[:-1] = ((cls[1:] & _CLOSE) != 0) & space_after[1:]
    sentences = per_block(((cls & _END) != 0) & (space_after | closed))
    questions = per_block(cp == 63)
    exclaims = per_block(cp == 33)
    # most pages show a URL mark in one or two forms, or none: count per block
    # only the marks the page has
    urls = np.zeros(n)
    for mark in _URL_MARKS:
        if mark in doc:
            urls += np.fromiter(map(str.count, texts, repeat(mark, n)), dtype=np.float64, count=n)

    link_chars = np.asarray(blocks.link_chars, dtype=np.float64)
    link_density = np.minimum(link_chars / safe_chars, 1.0)
    lines = np.maximum(np.ceil(chars / WRAP_COLUMNS), 1.0)
    text_density = words / lines
    ends_terminal = np.fromiter((t[-1] in _TERMINAL for t in texts), dtype=np.float64, count=n)
    tags = blocks.tag
    heading = np.fromiter(map(HEADING_LEVEL.get, tags, repeat(0, n)), dtype=np.float64, count=n)

    total_chars = max(float(chars.sum()), 1.0)
    elem_chars = blocks.element_sizes
    parent = np.asarray(blocks.parent)
    owner_share = elem_chars[np.asarray(blocks.owner)] / total_chars
    parent_share = elem_chars[parent] / total_chars
    grand_share = elem_chars[np.asarray(blocks.grandparent)] / total_chars
    text_before = (np.cumsum(chars) - chars) / total_chars
    position = np.arange(n) / max(n - 1, 1)
    log_words = np.log1p(words)
    page_words = float(words.sum())
    page_safe = max(page_words, 1.0)

    # siblings: blocks with the same parent container (element ids index the bins)
    sib_n = np.bincount(parent)
    sib_words = np.bincount(parent, weights=words)
    sib_links = np.bincount(parent, weights=link_chars)
    sib_chars = np.bincount(parent, weights=chars)

    # repeated containers: how many distinct elements with the same tag and
    # class/id vocabulary as the block's parent (grandparent) hold text --
    # comment threads, teaser lists and link lists repeat one template
    elem_mask = blocks.element_masks
    etag_codes = np.fromiter(map(_TAG_CODE.get, blocks.element_tag, repeat(0)), dtype=np.uint64,
                             count=len(blocks.element_tag))
    elem_key = elem_mask ^ (etag_codes * np.uint64(0x9E3779B97F4A7C15))
    grand = np.asarray(blocks.grandparent)

    def repeat_count(ids):
        used = np.unique(ids)
        keys, counts = np.unique(elem_key[used], return_counts=True)
        return np.log1p(counts[np.searchsorted(keys, elem_key[ids])].astype(np.float64))

    parent_repeat = repeat_count(parent)
    grand_repeat = repeat_count(grand)
    near_masks = (np.asarray(blocks.own_mask, dtype=np.uint64) | elem_mask[parent]
                  | elem_mask[grand])

    # overlap with the page title (finds the headline): share of the block's
    # words that are title words, and share of the title the block covers
    overlap = np.zeros(n)
    if title:
        tset = set(T.WORD_RE.findall(title.lower()))
        if tset and len(toks):
            in_title = np.fromiter(map(tset.__contains__, toks), dtype=bool, count=nt)
            hits = np.bincount(tok_block[in_title], minlength=n).astype(np.float64)
            overlap = np.minimum(np.minimum(hits / len(tset), hits / safe_words), 1.0)
            overlap[words > 40] = 0.0

    # the headline anchors the article: where a block lies from it, and how
    # much of the page sits in the smallest container holding both (a menu or
    # a sidebar meets the headline only at the page's outer wrapper)
    headline = headline_index(tags, overlap, bool(title))
    if headline is None:
        has_headline = np.zeros(n)
        headline_offset = np.zeros(n)
        headline_share = np.ones(n)
    else:
        has_headline = np.ones(n)
        headline_offset = (np.arange(n) - headline) / n
        lca = blocks.common_ancestor(blocks.owner[headline])
        headline_share = np.minimum(elem_chars[lca] / total_chars, 1.0)

    # the nearest element carrying each REACH_PATTERNS word, in levels up:
    # walk the levels from the farthest in, so the nearest carrier writes last
    elem_words = blocks.element_words(REACH_PATTERNS)
    levels = blocks.ancestor_levels[:MAX_REACH]
    reach_cols = np.full((n, len(REACH_PATTERNS)), float(MAX_REACH))
    for r in range(len(levels) - 1, -1, -1):
        reach_cols[elem_words[levels[r]]] = r
    reach = {f"reach_{w}": reach_cols[:, k] for k, w in enumerate(REACH_PATTERNS)}

    stopword_density = stop / safe_words
    cta_rate = cta / safe_words
    shape = {
        "log_chars": np.log1p(chars),
        "log_words": log_words,
        "avg_word_len": word_chars / safe_words,
        "link_density": link_density,
        "text_density": text_density,
        "stopword_density": stopword_density,
        "stopword_density_any": stop_any / safe_words,
        "second_person_rate": second / safe_words,
        "first_plural_rate": first_pl / safe_words,
        "cta_rate": cta_rate,
        "cta_start": np.minimum(cta_start, 10),
        "thanks": np.minimum(thanks, 10),
        "copyright": np.minimum(copyright_, 10),
        "dates": np.minimum(dates, 10),
        "sentences": np.minimum(sentences, 100),
        "words_per_sentence": words / np.maximum(sentences, 1.0),
        "ends_terminal": ends_terminal,
        "digit_ratio": digits / safe_chars,
        "upper_ratio": upper / safe_chars,
        "punct_ratio": punct / safe_chars,
        "separators": np.minimum(separators, 20),
        "questions": np.minimum(questions, 10),
        "exclamations": np.minimum(exclaims, 10),
        "urls": np.minimum(urls, 10),
        "depth": np.asarray(blocks.depth, dtype=np.float64),
        "block_depth": np.asarray(blocks.block_depth, dtype=np.float64),
        "heading_level": heading,
        "position": position,
        "text_before": text_before,
        "owner_share": owner_share,
        "parent_share": parent_share,
        "grandparent_share": grand_share,
        "rel_words": words / max(float(words.max()), 1.0),
        "title_overlap": overlap,
        "log_page_words": np.full(n, np.log1p(page_words)),
        "log_blocks": np.full(n, np.log1p(n)),
        "siblings": np.log1p(sib_n[parent].astype(np.float64)),
        "sibling_link_density": sib_links[parent] / np.maximum(sib_chars[parent], 1.0),
        "sibling_words": np.log1p(sib_words[parent]),
        "in_list": (np.asarray(blocks.list_id) >= 0).astype(np.float64),
        "in_table": (np.asarray(blocks.table_id) >= 0).astype(np.float64),
        "first_singular_rate": first_sg / safe_words,
        # phrasing against the page's own voice: a blog written as "we" is not an
        # appeal in every paragraph; an appeal stands out from its page
        "second_person_excess": second / safe_words - second.sum() / page_safe,
        "first_plural_excess": first_pl / safe_words - first_pl.sum() / page_safe,
        "cta_excess": cta_rate - cta.sum() / page_safe,
        "comment_words": np.minimum(comment_words, 10),
        "parent_repeat": parent_repeat,
        "grandparent_repeat": grand_repeat,
        "has_headline": has_headline,
        "headline_offset": headline_offset,
        "headline_share": headline_share,
        **reach,
    }
    # the matrix is filled family by family, feature-major; the blocks x features
    # view of it is returned as it is (Fortran order: no copy of the whole matrix)
    core = {"log_words": log_words, "link_density": link_density,
            "text_density": text_density, "stopword_density": stopword_density,
            "ends_terminal": ends_terminal, "heading_level": heading, "cta_rate": cta_rate}
    Xt = np.zeros((len(FEATURE_NAMES), n))
    k = 0
    for name in SHAPE:
        Xt[k] = shape[name]
        k += 1
    tag_j = np.fromiter(map(_TAG_COLUMN.get, tags, repeat(-1, n)), dtype=np.int64, count=n)
    has_tag = tag_j >= 0
    Xt[k + tag_j[has_tag], np.nonzero(has_tag)[0]] = 1.0
    k += len(TAG_COLUMNS)
    for masks in (blocks.own_mask, blocks.anc_mask, near_masks):
        Xt[k:k + len(_PATTERN_COLS)] = _bits(masks, 64)[:, _PATTERN_COLS].T
        k += len(_PATTERN_COLS)
    for masks, width in ((blocks.tag_mask, len(ANCESTOR_TAGS)), (blocks.hash_mask, HASH_BUCKETS)):
        Xt[k:k + width] = _bits(masks, width).T
        k += width
    for o in NEIGHBOUR_OFFSETS:
        for c in CORE:
            Xt[k] = MISSING
            if o > 0:
                Xt[k, :-o] = core[c][o:]
            else:
                Xt[k, -o:] = core[c][:o]
            k += 1
    assert k == len(FEATURE_NAMES)
    return Xt.T


# --- the feature probe ------------------------------------------------------------
#
# A model is only right for the features it was trained on.  Their names are
# checked when a model is used, but a feature can change under the same name
# (a word added to a lexicon, a threshold moved), and a model trained before
# would then load and score quietly wrong.  So a model also stores a digest of
# the feature matrix of this small page, which exercises every feature family
# (headline, prose, a fundraising appeal, dates, a comment thread, lists, a
# table, links, class names, another language, a hidden box), and the digest
# is recomputed and compared before the model is used (model.check_features).

PROBE_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Harbour bridge reopens after repairs | The Probe Gazette</title></head><body>
<header class="site-header"><nav class="main-nav"><ul><li><a href="/">Home</a></li>
<li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<div class="breadcrumb"><a href="/">Home</a> &gt; <a href="/news">News</a></div>
<main><article class="post entry-content"><h1>Harbour bridge reopens after repairs</h1>
<p class="byline">By Ada Lovegood, 12 March 2024, 10:15</p>
<p>The harbour bridge opened to traffic again on Tuesday, eight months after a barge
struck one of its piers. Engineers said the repairs cost 4.2 million pounds.</p>
<p>"We were lucky nobody was hurt," said the harbour master, who watched the first
cars cross at dawn. Traders on both banks welcomed the news!</p>
<div class="support-box"><p>Before you go: our reporting is funded by readers like you.
Please donate today and become a member. Sign up for our newsletter.</p></div>
<h2>What happens next?</h2><ul><li>Night closures end on 1 April.</li>
<li>A second inspection is due in 2025.</li></ul>
<table><tr><th>Year</th><th>Crossings</th></tr><tr><td>2022</td><td>1,204,113</td></tr></table>
<p lang="de">Die Brücke ist wieder offen, und der Verkehr fließt in beide Richtungen.</p>
<figure><figcaption class="caption">Photo credit: Probe Gazette</figcaption></figure>
</article><aside class="sidebar widget"><h3>Most read</h3><ol>
<li><a href="/a">Council votes on ferry fares</a></li><li><a href="/b">Storm warning issued</a></li>
</ol></aside><section id="comments" class="comments-area"><h3>2 comments</h3>
<div class="comment"><p class="comment-author">mike_r says:</p><p>Thanks for the update,
about time too. Reply</p></div><div class="comment"><p>I drove across it this morning
and it felt fine. Reply</p></div></section></main>
<div class="cookie-banner" style="display:none"><p>We use cookies.</p></div>
<div class="share"><a href="https://x.example/share">Share on X</a> | <a href="mailto:?">Email</a></div>
<footer id="footer"><p>&copy; 2024 The Probe Gazette. All rights reserved.</p></footer>
</body></html>"""


_PROBE: tuple[float, ...] | None = None   # the digest, computed once per process


def probe_digest() -> list[float]:
    """The digest of :data:`PROBE_HTML`'s feature matrix that a model stores: per
    column, the sum of the values and their sum weighted by block position (so
    that values moving between blocks show too), rounded to 9 significant digits."""
    global _PROBE
    if _PROBE is None:
        _PROBE = _compute_probe()
    return list(_PROBE)


def _compute_probe() -> tuple[float, ...]:
    from .parse import page_title, parse
    from .segment import segment

    tree = parse(PROBE_HTML)
    X = compute(segment(tree.body), page_title(tree))
    weights = np.arange(1, len(X) + 1, dtype=np.float64)
    cols = np.concatenate([X.sum(axis=0), weights @ X])
    return tuple(float(f"{v:.9g}") for v in cols)
