"""Turn the raw bytes of an HTML page into text, whatever they are.

:func:`decode_html` never raises on any ``bytes``.  It picks an encoding in
this order:

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) -- authoritative;
2. the ``charset`` parameter of an HTTP ``Content-Type`` header, if given;
3. a ``<meta charset>`` / ``<meta http-equiv="Content-Type" content=...>``
   declaration (or an XML declaration) in the first 4 KB, scanned as ASCII;
4. strict UTF-8, when the bytes are (almost entirely) valid UTF-8;
5. a small, deterministic statistical guess among common legacy encodings
   (Windows-1252/1250/1251, ISO-8859-2, KOI8-R, Mac Roman, GB18030,
   Shift_JIS, EUC-JP, EUC-KR, Big5).

Labels are mapped the way the WHATWG Encoding standard maps them (``latin1``
and ``ascii`` mean Windows-1252, ``gb2312`` means GB18030, ...); unknown
labels are ignored.  A declaration is not trusted blindly: bytes declared as
UTF-8 that are not UTF-8 are re-guessed, and bytes declared as anything else
that are valid multi-byte UTF-8 are read as UTF-8.  The result never holds
NUL characters or lone surrogates.

:func:`to_text` is the entry point used by the pipeline: it accepts ``str``
(cleaned the same way) or bytes-like input, which it gunzips when it is gzip
and reads as no text at all when it is binary (an image, a PDF, ...).
"""
from __future__ import annotations

import codecs
import re
import unicodedata
import zlib
from functools import lru_cache

__all__ = ["decode_html", "detect_encoding", "lookup_label", "sniff_binary", "to_text"]

#: How much of the document the ``<meta>`` prescan looks at.
PRESCAN_BYTES = 4096
#: How much of an undeclared document the statistical guess looks at.
SNIFF_BYTES = 16384
#: At most this many non-ASCII bytes of it are scored.
SCORE_CHARS = 2000

# ---------------------------------------------------------------------------
# Labels -> Python codecs (WHATWG names on the left, for documentation).
# ---------------------------------------------------------------------------

#: WHATWG encoding name -> Python codec that implements it (closest match).
_CODEC = {
    "utf-8": "utf-8",
    "ibm866": "cp866",
    "iso-8859-2": "iso8859_2",
    "iso-8859-3": "iso8859_3",
    "iso-8859-4": "iso8859_4",
    "iso-8859-5": "iso8859_5",
    "iso-8859-6": "iso8859_6",
    "iso-8859-7": "iso8859_7",
    "iso-8859-8": "iso8859_8",
    "iso-8859-8-i": "iso8859_8",
    "iso-8859-10": "iso8859_10",
    "iso-8859-13": "iso8859_13",
    "iso-8859-14": "iso8859_14",
    "iso-8859-15": "iso8859_15",
    "iso-8859-16": "iso8859_16",
    "koi8-r": "koi8_r",
    "koi8-u": "koi8_u",
    "macintosh": "mac_roman",
    "windows-874": "cp874",
    "windows-1250": "cp1250",
    "windows-1251": "cp1251",
    "windows-1252": "cp1252",
    "windows-1253": "cp1253",
    "windows-1254": "cp1254",
    "windows-1255": "cp1255",
    "windows-1256": "cp1256",
    "windows-1257": "cp1257",
    "windows-1258": "cp1258",
    "x-mac-cyrillic": "mac_cyrillic",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "euc-jp": "euc_jp",
    "iso-2022-jp": "iso2022_jp",
    "shift_jis": "cp932",
    "euc-kr": "cp949",
    "utf-16be": "utf-16-be",
    "utf-16le": "utf-16-le",
    "utf-32be": "utf-32-be",  # not in WHATWG; only reachable through a BOM
    "utf-32le": "utf-32-le",
}

# Labels, grouped by the WHATWG encoding they denote.
_LABELS = {
    "utf-8": "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8",
    "ibm866": "866 cp866 csibm866 ibm866",
    "iso-8859-2": "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2",
    "iso-8859-3": "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3",
    "iso-8859-4": "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4",
    "iso-8859-5": "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988",
    "iso-8859-6": "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e "
    "iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987",
    "iso-8859-7": "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 "
    "iso_8859-7 iso_8859-7:1987 sun_eu_greek",
    "iso-8859-8": "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 "
    "iso_8859-8 iso_8859-8:1988 visual",
    "iso-8859-8-i": "csiso88598i iso-8859-8-i logical",
    "iso-8859-10": "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6",
    "iso-8859-13": "iso-8859-13 iso8859-13 iso885913",
    "iso-8859-14": "iso-8859-14 iso8859-14 iso885914",
    "iso-8859-15": "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9",
    "iso-8859-16": "iso-8859-16",
    "koi8-r": "cskoi8r koi koi8 koi8-r koi8_r",
    "koi8-u": "koi8-ru koi8-u",
    "macintosh": "csmacintosh mac macintosh x-mac-roman",
    "windows-874": "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874",
    "windows-1250": "cp1250 windows-1250 x-cp1250",
    "windows-1251": "cp1251 windows-1251 x-cp1251",
    "windows-1252": "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 "
    "iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252",
    "windows-1253": "cp1253 windows-1253 x-cp1253",
    "windows-1254": "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 "
    "l5 latin5 windows-1254 x-cp1254",
    "windows-1255": "cp1255 windows-1255 x-cp1255",
    "windows-1256": "cp1256 windows-1256 x-cp1256",
    "windows-1257": "cp1257 windows-1257 x-cp1257",
    "windows-1258": "cp1258 windows-1258 x-cp1258",
    "x-mac-cyrillic": "x-mac-cyrillic x-mac-ukrainian",
    "gbk": "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk",
    "gb18030": "gb18030",
    "big5": "big5 big5-hkscs cn-big5 csbig5 x-x-big5",
    "euc-jp": "cseucpkdfmtjapanese euc-jp x-euc-jp",
    "iso-2022-jp": "csiso2022jp iso-2022-jp",
    "shift_jis": "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis",
    "euc-kr": "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 "
    "ksc_5601 windows-949",
    "utf-16be": "unicodefffe utf-16be",
    "utf-16le": "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le",
}
# x-user-defined only means something to browsers; read it as Windows-1252.
_LABELS["windows-1252"] += " x-user-defined"

_LABEL_TO_NAME: dict[str, str] = {}
for _name, _labels in _LABELS.items():
    for _label in _labels.split():
        _LABEL_TO_NAME[_label] = _name
del _name, _labels, _label

_UTF16 = frozenset({"utf-16le", "utf-16be"})


def lookup_label(label: str | bytes | None) -> str | None:
    """Return the WHATWG encoding name for ``label``, or ``None`` if unknown.

    Matching is case-insensitive and ignores surrounding whitespace and
    quotes, as browsers do.  Labels whose WHATWG meaning is the
    "replacement" encoding (``iso-2022-kr``, ``hz-gb-2312``...) are treated as
    unknown, so the document is decoded by sniffing rather than discarded.
    """
    if label is None:
        return None
    if isinstance(label, (bytes, bytearray)):
        label = bytes(label).decode("latin-1")
    if not isinstance(label, str):
        return None
    key = label.strip(" \t\n\f\r\"'").lower()
    return _LABEL_TO_NAME.get(key)


# ---------------------------------------------------------------------------
# Decoding helpers
# ---------------------------------------------------------------------------

_ESCAPED = re.compile("[\udc80-\udcff]")
_UNSAFE = re.compile("[\x00\ud800-\udfff]")

#: Bytes Windows-1252 leaves undefined; WHATWG maps them to C1 controls.
_CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")


def _cp1252_char(byte: int) -> str:
    if byte in _CP1252_HOLES:
        return chr(byte)
    return bytes((byte,)).decode("cp1252")


#: Windows-1252 as WHATWG defines it, one character per byte value.
_CP1252_TABLE = "".join(_cp1252_char(b) if b >= 0x80 else chr(b) for b in range(256))


def _escaped_to_cp1252(match: re.Match) -> str:
    return _CP1252_TABLE[ord(match.group()) - 0xDC00]


def _decode(data: bytes, codec: str) -> tuple[str, int]:
    """Decode with ``codec``; return the text (errors as U+FFFD) and the error count."""
    if codec == "cp1252":
        # Total over all 256 byte values: never fails.
        return codecs.charmap_decode(data, "strict", _CP1252_TABLE)[0], 0
    try:
        return data.decode(codec), 0
    except UnicodeDecodeError:
        pass
    text, errors = _MARKS.subn("\ufffd", data.decode(codec, _MARK_ERRORS))
    return text, errors


# Decoding errors are first marked with a lone surrogate (which no decoder
# produces from valid input), then counted and replaced with U+FFFD.
# ``surrogateescape`` cannot be used: it refuses to escape bytes below 0x80.
_MARK_ERRORS = "boilerstrip.encoding.mark"
_MARKS = re.compile("\ud800")


def _mark_error(exc: UnicodeError):
    if isinstance(exc, UnicodeDecodeError):
        return "\ud800", exc.end
    raise exc


codecs.register_error(_MARK_ERRORS, _mark_error)


def _count_non_ascii(text: str) -> int:
    return len(text) - len(text.encode("ascii", "ignore"))


def _utf8_prefix_len(tail: bytes) -> int:
    """Length of an incomplete-but-valid UTF-8 sequence at the very end of ``tail``."""
    for back in range(1, min(4, len(tail)) + 1):
        lead = tail[-back]
        if 0x80 <= lead < 0xC0:
            continue  # continuation byte: keep looking for the lead
        need = 2 if 0xC2 <= lead < 0xE0 else 3 if 0xE0 <= lead < 0xF0 else 4 if 0xF0 <= lead < 0xF5 else 0
        return back if need > back else 0
    return 0


def _utf8(data: bytes, lenient: bool) -> str | None:
    """Decode as UTF-8 if the bytes are UTF-8; ``None`` otherwise.

    Strictly valid UTF-8 always passes; a sequence cut off at the very end
    (a truncated download) is dropped.  With ``lenient``, a document that is
    overwhelmingly valid multi-byte UTF-8 with a few stray bytes (a typical
    mix of UTF-8 with a Windows-1252 fragment) also passes, the stray bytes
    being read as Windows-1252.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    cut = _utf8_prefix_len(data[-4:])
    if cut:
        try:
            return data[:-cut].decode("utf-8")
        except UnicodeDecodeError:
            pass
    if not lenient or not _mostly_utf8(_sniff_sample(data)):
        return None
    text = data.decode("utf-8", "surrogateescape")
    if not _mostly_utf8(data, text):
        return None
    return _ESCAPED.sub(_escaped_to_cp1252, text)


def _mostly_utf8(data: bytes, text: str | None = None) -> bool:
    """Mostly valid multi-byte UTF-8 (at least 3 good non-ASCII characters per stray byte)?"""
    if text is None:
        text = data.decode("utf-8", "surrogateescape")
    stray = _count_stray(text)
    good = _count_non_ascii(text) - stray
    return stray == 0 or (good >= 3 and stray * 3 <= good)


def _count_stray(text: str) -> int:
    return len(text) - len(_ESCAPED.sub("", text))


def _non_ascii(data: bytes) -> bool:
    try:
        data.decode("ascii")
    except UnicodeDecodeError:
        return True
    return False


# ---------------------------------------------------------------------------
# Declarations
# ---------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32le"),
    (codecs.BOM_UTF32_BE, "utf-32be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16le"),
    (codecs.BOM_UTF16_BE, "utf-16be"),
)

_COMMENT = re.compile(rb"<!--.*?(?:-->|\Z)", re.S)
_META = re.compile(rb"<meta[\s/]([^>]*)", re.I)
_ATTR = re.compile(rb"""([^\s/>=]+)\s*(?:=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")
_CHARSET_PARAM = re.compile(rb"""charset\s*=\s*["']?\s*([^"';\s,]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']""", re.I)


def _charset_in(value: bytes) -> str | None:
    found = _CHARSET_PARAM.search(value)
    return lookup_label(found.group(1)) if found else None


def _meta_encoding(data: bytes) -> str | None:
    """Encoding declared by the first usable ``<meta>`` in the prescan window."""
    head = _COMMENT.sub(b"", data[:PRESCAN_BYTES])
    for meta in _META.finditer(head):
        attrs: dict[bytes, bytes] = {}
        for name, value in _ATTR.findall(meta.group(1)):
            name = name.lower()
            if name not in attrs:
                attrs[name] = value.strip(b"\"'")
        if b"charset" in attrs:
            name = lookup_label(attrs[b"charset"])
        elif attrs.get(b"http-equiv", b"").strip().lower() == b"content-type" and b"content" in attrs:
            name = _charset_in(attrs[b"content"])
        else:
            continue
        if name is None:
            continue
        # A UTF-16 label in an ASCII-readable document cannot be true.
        return "utf-8" if name in _UTF16 else name
    found = _XML_DECL.match(head)
    if found:
        name = lookup_label(found.group(1))
        if name is not None:
            return "utf-8" if name in _UTF16 else name
    return None


def _looks_utf16(data: bytes) -> str | None:
    """``utf-16le``/``utf-16be`` when NUL bytes sit in the pattern of BOM-less UTF-16."""
    sample = data[:PRESCAN_BYTES]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd * 10 >= pairs * 3 and even * 20 < pairs:
        return "utf-16le"
    if even * 10 >= pairs * 3 and odd * 20 < pairs:
        return "utf-16be"
    return None


# ---------------------------------------------------------------------------
# Statistical guess for undeclared, non-UTF-8 bytes
# ---------------------------------------------------------------------------

# Very frequent characters per language: real text hits them often, mojibake
# almost never.  (Hand-picked from general knowledge of each language.)
_COMMON_HANS = set("的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发"
                   "后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实")
_COMMON_HANT = set("的一是不了在人有我他這個們中來上大為和國地到以說時要就出會可也你對生能而子那得於著下自之年過發"
                   "後作裡用道行所然家種事成方多經麼去法學如都同現當沒動面起看定天分還進好小部其些主樣理心她本前開但因只從想實")
_COMMON_HANGUL = set("이다의는에을하고가지한서로기리들사수도있대자어아시나그인으정부를게해일전니만주보장적요상"
                     "우신국과내원소제라구여비연면세오")

_CANDIDATES = (
    # (WHATWG name, prior penalty): the prior breaks near-ties in favour of
    # the encodings most common among legacy web pages.
    ("windows-1252", 0.0),
    ("gbk", 0.01),
    ("shift_jis", 0.01),
    ("windows-1251", 0.02),
    ("euc-kr", 0.02),
    ("big5", 0.03),
    ("euc-jp", 0.03),
    ("windows-1250", 0.04),
    ("iso-8859-2", 0.05),
    ("koi8-r", 0.05),
    ("macintosh", 0.2),  # rare today: only on clear evidence
)

_CJK = {"gbk": _COMMON_HANS, "big5": _COMMON_HANT, "euc-kr": _COMMON_HANGUL, "shift_jis": None, "euc-jp": None}

_GOOD_PUNCT = set("\u00a0\u00b4\u00ab\u00bb\u00b7\u00b0\u00a9\u00ae\u00a7\u00b9\u00b2\u00b3\u00bd\u00bc\u00be\u20ac\u00a3\u00a5"
                  "\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2022\u2026\u2122\u2116\u00d7"
                  "\u3000\u3001\u3002\u300c\u300d\u300e\u300f\u3010\u3011\u30fb\uff01\uff08\uff09\uff0c\uff1a"
                  "\uff1b\uff1f")

_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=8192)
def _script(ch: str) -> str:
    if ch < "\x80":
        return "LATIN"
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "?"
    head = name.split(" ", 1)[0]
    if head in ("HIRAGANA", "KATAKANA", "CJK", "HANGUL"):
        return "CJK"
    return head


def _badness(text: str, name: str) -> float:
    """Average implausibility per non-ASCII character of ``text`` read as ``name``."""
    nonascii = [ch for ch in text if ch >= "\x80"]
    if not nonascii:
        return 0.0
    bad = 0.0
    for ch in nonascii:
        cat = unicodedata.category(ch)
        if ch == "\ufffd":
            bad += 5.0  # a decoding error
        elif cat[0] == "C":
            bad += 2.0  # control, private use, unassigned
        elif "\uff61" <= ch <= "\uff9f":
            bad += 0.5  # half-width katakana: rare outside old Japanese mail
        elif cat[0] in "SNP" and ch not in _GOOD_PUNCT:
            bad += 0.5
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        if not word.isalpha():  # \w also matches superscripts and the like
            word = "".join(ch for ch in word if ch.isalpha())
            if len(word) < 2:
                continue
        scripts = {_script(ch) for ch in word}
        wide = sum(1 for ch in word if ch >= "\x80")
        if len(scripts) > 1:
            bad += wide
        elif scripts == {"LATIN"}:
            run = 0
            for ch in word:
                run = run + 1 if ch >= "\x80" else 0
                if run >= 3:
                    bad += 1.0
        if scripts != {"CJK"}:
            # Upper case right after lower case, inside a word, is mojibake-ish.
            # Mostly capitals inside words is the signature of a case-swapped
            # code page (KOI8-R read as Windows-1251 and the like).
            caps_soup = not any(ch < "\x80" for ch in word)  # "CAFÉ" is fine
            for prev, ch in zip(word, word[1:]):
                if ch.isupper():
                    bad += 1.0 if prev.islower() else 0.3 if caps_soup else 0.0
    if name in _CJK:
        cjk = [ch for ch in nonascii if _script(ch) == "CJK"]
        if cjk:
            common = _CJK[name]
            if common is None:  # Japanese: kana is the tell-tale
                hits = sum(1 for ch in cjk if "\u3041" <= ch <= "\u30fa")
            else:
                hits = sum(1 for ch in cjk if ch in common)
            bad += len(cjk) * max(0.0, 0.6 - 2.0 * hits / len(cjk))
    return bad / len(nonascii)


_HIGH = re.compile(rb"[\x80-\xff]")


def _sniff_sample(data: bytes) -> bytes:
    """Up to SNIFF_BYTES of ``data`` starting just before its first non-ASCII byte."""
    first = _HIGH.search(data)
    start = 0
    if first is not None and first.start() > 0:
        start = max(0, data.rfind(b"<", 0, first.start()), data.rfind(b"\n", 0, first.start()))
    sample = data[start:start + SNIFF_BYTES]
    if start + SNIFF_BYTES < len(data):
        # Cut at a byte that is never inside a multi-byte character.
        cut = max(sample.rfind(b"<"), sample.rfind(b">"), sample.rfind(b"\n"))
        if cut > 0:
            sample = sample[:cut]
    return sample


def _guess(data: bytes) -> str:
    """Best legacy encoding for bytes that are neither declared nor UTF-8."""
    if not _non_ascii(data):
        return "windows-1252"
    sample = _sniff_sample(data)
    # Scoring costs per non-ASCII character: a few thousand are plenty.
    high = 0
    for m in _HIGH.finditer(sample):
        high += 1
        if high == SCORE_CHARS:
            sample = sample[:m.start()]
            break
    best_name, best_score = "windows-1252", float("inf")
    for name, prior in _CANDIDATES:
        text, errors = _decode(sample, _CODEC[name])
        score = _badness(text, name) + prior
        if score < best_score:
            best_name, best_score = name, score
    return best_name


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def _content_type_encoding(content_type) -> str | None:
    if content_type is None:
        return None
    if isinstance(content_type, str):
        content_type = content_type.encode("utf-8", "replace")
    elif isinstance(content_type, (bytes, bytearray)):
        content_type = bytes(content_type)
    else:
        raise TypeError(f"content_type must be str, bytes or None, not {type(content_type).__name__}")
    return _charset_in(content_type)


def _choose(data: bytes, content_type=None) -> tuple[str, str, str]:
    """Return ``(text, whatwg_name, source)`` for ``data``."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            text, _ = _decode(data[len(bom):], _CODEC[name])
            return text, name, "bom"

    declared = _content_type_encoding(content_type)
    source = "http"
    if declared in _UTF16 and _looks_utf16(data) is None:
        declared = None  # the bytes plainly are not UTF-16
    if declared is None:
        declared, source = _meta_encoding(data), "meta"

    if declared is not None:
        if declared == "utf-8":
            text = _utf8(data, lenient=True)
            if text is not None:
                return text, "utf-8", source
        elif declared in _UTF16:
            text, _ = _decode(data, _CODEC[declared])
            return text, declared, source
        else:
            text = _utf8(data, lenient=False)
            if text is not None and _non_ascii(data):
                return text, "utf-8", "utf-8 despite " + source
            text, errors = _decode(data, _CODEC[declared])
            wide = sum(1 for b in data[:SNIFF_BYTES] if b >= 0x80) if errors else 0
            if errors <= 2 or errors * 50 <= wide:
                return text, declared, source

    if b"\x1b" in data and not _non_ascii(data):
        text, errors = _decode(data, "iso2022_jp")
        if not errors and (b"\x1b$B" in data or b"\x1b$@" in data):
            return text, "iso-2022-jp", "sniffed"
    text = _utf8(data, lenient=True)
    if text is not None:
        return text, "utf-8", "sniffed"
    utf16 = _looks_utf16(data)
    if utf16 is not None:
        text, _ = _decode(data, _CODEC[utf16])
        return text, utf16, "sniffed"
    name = _guess(data)
    text, _ = _decode(data, _CODEC[name])
    return text, name, "sniffed"


def _sanitize(text: str) -> str:
    if "\x00" not in text:
        try:
            text.encode("utf-8")        # fails only on lone surrogates
            return text
        except UnicodeEncodeError:
            pass
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub("", text)


def _as_bytes(data) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"expected bytes, bytearray or memoryview, not {type(data).__name__}")


def detect_encoding(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return ``(encoding, source)`` that :func:`decode_html` would use.

    ``encoding`` is a WHATWG encoding name (``"utf-8"``, ``"windows-1252"``,
    ``"shift_jis"``...); ``source`` says why: ``"bom"``, ``"http"``, ``"meta"``,
    ``"utf-8 despite http"``/``"utf-8 despite meta"`` (a declaration overruled
    by valid multi-byte UTF-8) or ``"sniffed"``.
    """
    _, name, source = _choose(_as_bytes(data), content_type)
    return name, source


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """Decode the bytes of an HTML document to text; never raises on any bytes.

    ``content_type`` is the HTTP ``Content-Type`` header value, if known
    (e.g. ``"text/html; charset=Shift_JIS"``).  The result contains no NUL
    characters and no lone surrogates.
    """
    text, _, _ = _choose(_as_bytes(data), content_type)
    return _sanitize(text)


# ---------------------------------------------------------------------------
# Bytes that are not a document
# ---------------------------------------------------------------------------

#: Largest document :func:`to_text` inflates from gzip bytes (a bound against
#: decompression bombs; equal to ``clean``'s default ``max_bytes``).
MAX_INFLATED_BYTES = 32 * 1024 * 1024

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF87a", "gif"), (b"GIF89a", "gif"), (b"\xff\xd8\xff", "jpeg"),
    (b"%PDF-", "pdf"), (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"), (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"), (b"\x28\xb5\x2f\xfd", "zstd"), (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x7fELF", "elf"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"), (b"wOFF", "woff"),
    (b"wOF2", "woff2"), (b"OggS", "ogg"), (b"fLaC", "flac"), (b"ID3", "mp3"), (b"\x00asm", "wasm"),
    (b"SQLite format 3\x00", "sqlite"), (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"),
    (b"\x00\x00\x01\x00", "ico"), (b"\x1a\x45\xdf\xa3", "webm"),
)
#: Control bytes that never occur in text (tab, LF, FF, CR and ESC excluded).
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def sniff_binary(data: bytes) -> str | None:
    """Name of the binary format ``data`` is in (``"png"``, ``"pdf"``, ...,
    ``"binary"``), or ``None`` if it may be text.

    Known magic numbers decide first; otherwise bytes without a BOM or a
    UTF-16/32 pattern are binary when more than a tenth of their first 1 KB
    are control bytes.  (Gzip is not listed: :func:`to_text` inflates it.)
    """
    data = _as_bytes(data)
    head = data[:16]
    if head[4:8] == b"ftyp":
        return "mp4"
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return head[8:12].decode().strip().lower()
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if any(data.startswith(bom) for bom, _ in _BOMS) or _looks_utf16(data) is not None:
        return None
    sample = data[:1024]
    if not sample:
        return None
    control = len(sample) - len(sample.translate(None, _BINARY_BYTES))
    return "binary" if control * 10 > len(sample) else None


def inflate(data: bytes, *, strict: bool = False) -> bytes:
    """Gunzip ``data`` up to MAX_INFLATED_BYTES (past it, the output is cut);
    gzip members are concatenated.  By default it goes as far as it can
    (truncated data and trailing garbage are fine); with ``strict`` a corrupt
    first member raises ``gzip.BadGzipFile`` and a truncated one ``EOFError``."""
    out = []
    size = 0
    first = True
    while data[:2] == b"\x1f\x8b" and size < MAX_INFLATED_BYTES:
        inflater = zlib.decompressobj(wbits=31)
        try:
            chunk = inflater.decompress(data, MAX_INFLATED_BYTES - size)
        except zlib.error as exc:
            if strict and first:
                import gzip

                raise gzip.BadGzipFile(f"corrupt gzip data: {exc}") from None
            break
        out.append(chunk)
        size += len(chunk)
        if not inflater.eof:
            if strict and first and not inflater.unconsumed_tail:
                raise EOFError("truncated gzip file")
            break
        data = inflater.unused_data
        first = False
    return b"".join(out)


def to_text(html) -> str:
    """Return ``html`` as a clean ``str``: decode bytes, sanitise strings.

    ``str`` input loses NUL characters and lone surrogates.  Bytes-like input
    is gunzipped if it is gzip (scrapers often store bodies still compressed;
    at most :data:`MAX_INFLATED_BYTES` come out), read as ``""`` if it is an
    image, a PDF, an archive or other binary data (:func:`sniff_binary`), and
    otherwise decoded by :func:`decode_html`.  Anything else raises
    ``TypeError``.
    """
    if isinstance(html, str):
        return _sanitize(html)
    if isinstance(html, (bytes, bytearray, memoryview)):
        data = bytes(html)
        if data[:2] == b"\x1f\x8b":
            data = inflate(data)
        if sniff_binary(data) is not None:
            return ""
        return decode_html(data)
    raise TypeError(
        f"html must be str or bytes (an HTML document), not {type(html).__name__}"
    )
