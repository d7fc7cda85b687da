"""The adversarial corpus: hostile inputs for ``boilerstrip.clean``, each with
the behaviour we promise for it.

Every case is generated here (nothing is downloaded), so the corpus is small
in the repository and exactly reproducible.  ``python tests/adversarial/corpus.py
--write DIR`` dumps the inputs to files (e.g. as seeds for the fuzzer);
``python tests/adversarial/corpus.py --list`` prints the cases.

Expectations (checked by ``tests/test_adversarial.py``), on top of the
invariants every case must satisfy (no exception, ``str`` result that is valid
UTF-8 with no NUL or lone surrogate, valid JSON for ``output="json"``, the same
result twice in a row):

``empty``
    ``""`` for text/markdown/html and a JSON document with no blocks.
``blocks``
    every string in ``contains`` is found in the text of the page's blocks
    (JSON output, kept or not): the page was decoded and segmented correctly.
    Whether the model *keeps* a block is a quality question, not a
    robustness one, so it is only asserted through ``kept``.
``kept``
    strings that must appear in the text output itself.
``forbidden``
    strings that must never appear in any output format (text from scripts,
    styles, comments, templates, hidden elements, ...).
``any``
    only the invariants.
"""
from __future__ import annotations

import codecs
import gzip
import sys
import zlib
from dataclasses import dataclass, field
from typing import Callable

# A paragraph long enough to look like article text to any extractor.
ARTICLE = ("The city council approved the new budget on Tuesday after a debate that lasted "
           "well into the night, with members arguing over funding for schools, roads and "
           "the public library. The mayor said the compromise protects essential services.")
ARTICLE2 = ("Residents who attended the meeting described the atmosphere as tense but civil, "
            "and several said they would return next month when the council votes on the "
            "proposed changes to the city's transport plan and parking rules.")

# Fake article text hidden where no extractor should look: one marker per place.
def fake(marker: str) -> str:
    return (f"{marker} This sentence reads like a real news paragraph about the council budget "
            f"and the public library, but it lives somewhere that is never displayed {marker}.")


RU = "Правительство объявило о новых мерах поддержки экономики, эксперты считают их недостаточными."
JA = "政府は水曜日、経済を支援するための新しい措置を発表した。専門家はこれでは不十分だと考えている。"
ZH = "政府周三宣布了支持经济的新措施。专家们认为这还不够，需要更多的改革来推动发展。"
PL = "Rząd ogłosił w środę nowe przepisy dotyczące ochrony środowiska. Żadna partia nie poparła ustawy."
FR = "Le gouvernement français a annoncé une réforme très controversée, à la surprise générale."
AR = "أعلنت الحكومة يوم الأربعاء عن إجراءات جديدة لدعم الاقتصاد، ويرى الخبراء أنها غير كافية."
HE = "הממשלה הודיעה ביום רביעי על צעדים חדשים לתמיכה בכלכלה, והמומחים סבורים שאין בהם די."
EMOJI = "Fans cheered 🎉🎉 as the team won 👩‍👩‍👧‍👦 families 🇫🇷 flags 👍🏽 thumbs and 🧑‍🚀 astronauts."
COMBINING = "Cafe\u0301 na\u0308ive Zalgo t\u0336\u0321e\u0334\u0322x\u0335t a\u030a\u0327 and Hangul \u1100\u1161\u11a8."


def page(body: str, head: str = "", title: str = "Council approves budget") -> str:
    return (f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head>"
            f"<body>{body}</body></html>")


def article_page(extra: str = "", head: str = "") -> str:
    """A plain news page: nav, headline, two paragraphs, footer, plus ``extra``."""
    return page(
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav>"
        "<article><h1>Council approves budget</h1>"
        f"<p>{ARTICLE}</p>{extra}<p>{ARTICLE2}</p></article>"
        "<footer><p>Copyright 2024 Example News. All rights reserved.</p></footer>", head)


def meta(label: str) -> str:
    return f'<meta charset="{label}">'


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[], "str | bytes"]
    expect: str = "any"                       # empty | blocks | any
    contains: tuple[str, ...] = ()            # in the blocks' text (JSON output)
    kept: tuple[str, ...] = ()                # in the text output
    forbidden: tuple[str, ...] = ()           # in no output format
    big: bool = False                         # megabytes: run once, text output only
    note: str = ""
    kwargs: dict = field(default_factory=dict)


def _png() -> bytes:
    raw = b"\x00" + b"\xff\x00\x00" * 16
    body = zlib.compress(raw * 16)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (len(data).to_bytes(4, "big") + kind + data
                + zlib.crc32(kind + data).to_bytes(4, "big"))
    ihdr = (16).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00"
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def _pdf() -> bytes:
    stream = zlib.compress(b"BT /F1 12 Tf 72 712 Td (Hello PDF) Tj ET")
    return (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\nstream\n"
            + stream + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def _deep(tag: str, depth: int, inner: str) -> str:
    return f"<{tag}>" * depth + inner + f"</{tag}>" * depth


def _cases() -> list[Case]:
    C = Case
    cases = [
        # --- nothing to extract ------------------------------------------------
        C("empty-str", lambda: "", "empty"),
        C("empty-bytes", lambda: b"", "empty"),
        C("whitespace", lambda: " \t\r\n\f\u00a0\u2003\u3000 \n", "empty"),
        C("whitespace-bytes", lambda: b"  \r\n\t  ", "empty"),
        C("empty-document", lambda: "<!DOCTYPE html><html><head></head><body></body></html>", "empty"),
        C("only-comment", lambda: "<!-- " + fake("CMTONLY") + " -->", "empty", forbidden=("CMTONLY",)),
        C("only-script", lambda: "<script>" + fake("SCRONLY") + "</script>", "empty",
          forbidden=("SCRONLY",)),
        C("only-head", lambda: "<html><head><title>Just a title</title><meta name=x content=y></head></html>",
          "empty"),
        C("only-nuls", lambda: b"\x00" * 1000, "empty"),
        C("only-tags", lambda: "<div><span><p></p></span></div>" * 100 + "<br>" * 100 + "<img src=x>" * 50,
          "empty"),

        # --- not HTML at all -----------------------------------------------------
        C("plain-text", lambda: ARTICLE + "\n\n" + ARTICLE2, "blocks", contains=(ARTICLE[:60],)),
        C("png-bytes", _png, "empty", note="binary formats read as no text"),
        C("pdf-bytes", _pdf, "empty"),
        C("jpeg-bytes", lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8, "empty"),
        C("zip-bytes", lambda: b"PK\x03\x04" + b"\x14\x00" * 20 + article_page().encode(), "empty"),
        C("gzip-bytes", lambda: gzip.compress(article_page().encode(), mtime=0), "blocks",
          contains=(ARTICLE,), note="gzip bodies are inflated"),
        C("gzip-truncated", lambda: gzip.compress(article_page().encode(), mtime=0)[:-200], "blocks",
          contains=(ARTICLE[:60],)),
        C("gzip-bomb", lambda: gzip.compress(b"\x00" * (8 << 20), mtime=0) * 6, "empty",
          note="48 MB of NULs, inflated up to 32 MB only, then binary"),
        C("gzip-garbage", lambda: b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4, "empty"),
        C("random-bytes", lambda: bytes((i * 7919 + 13) % 256 for i in range(20000))),
        C("json-not-html", lambda: '{"title": "x", "articleBody": "' + ARTICLE + '"}', "any"),

        # --- broken characters ---------------------------------------------------
        C("nul-bytes-in-text", lambda: article_page("<p>Null\x00bytes\x00inside a paragraph.</p>").encode(),
          "blocks", contains=("Nullbytesinside a paragraph.",)),
        C("nul-chars-in-str", lambda: article_page("<p>Null\x00chars\x00inside a paragraph.</p>"),
          "blocks", contains=("Nullcharsinside a paragraph.",)),
        C("lone-surrogates", lambda: article_page("<p>Broken \ud800 surrogates \udfff here.</p>"),
          "blocks", contains=("Broken surrogates here.",)),
        C("surrogate-entities", lambda: article_page("<p>Entity &#xD800; and &#55296; and &#x110000; end.</p>"),
          "blocks", contains=("Entity",)),
        C("control-chars", lambda: article_page("<p>Ctl \x01\x02\x07\x08\x0b\x0e\x1b\x7f\x80\x9f chars.</p>"),
          "blocks", contains=("Ctl",)),
        C("noncharacters", lambda: article_page("<p>Non \ufffe\uffff\U0010ffff chars and \u2028line\u2029sep.</p>"),
          "blocks", contains=("Non",)),
        C("utf8-invalid-bytes", lambda: article_page("<p>BADBYTES</p>").encode().replace(
            b"BADBYTES", b"bad \xc3\x28 \xa0\xa1 \xe2\x28\xa1 \xf0\x28\x8c\xbc \xf8\xa1\xa1\xa1\xa1 end"),
          "blocks", contains=(ARTICLE[:60],)),
        C("utf8-overlong-and-surrogate-bytes", lambda: article_page("<p>X</p>").encode().replace(
            b"<p>X</p>", b"<p>over \xc0\xaf \xe0\x80\xaf sur \xed\xa0\x80\xed\xbf\xbf end</p>"),
          "blocks", contains=(ARTICLE[:60],)),
        C("truncated-utf8", lambda: article_page("<p>" + RU + "</p>").encode()[:-35], "blocks",
          contains=(ARTICLE[:60],)),

        # --- encodings -----------------------------------------------------------
        C("utf8-bom-latin1-meta", lambda: codecs.BOM_UTF8 + article_page(
            "<p>" + RU + " " + FR + "</p>", meta("iso-8859-1")).encode(), "blocks", contains=(RU, FR)),
        C("utf16le-bom", lambda: codecs.BOM_UTF16_LE + article_page("<p>" + JA + "</p>").encode("utf-16-le"),
          "blocks", contains=(JA, ARTICLE)),
        C("utf16be-bom", lambda: codecs.BOM_UTF16_BE + article_page("<p>" + RU + "</p>").encode("utf-16-be"),
          "blocks", contains=(RU,)),
        C("utf32-bom", lambda: codecs.BOM_UTF32_LE + article_page("<p>" + ZH + "</p>").encode("utf-32-le"),
          "blocks", contains=(ZH,)),
        C("shift-jis-meta", lambda: article_page("<p>" + JA + "</p>", meta("Shift_JIS")).encode("cp932"),
          "blocks", contains=(JA,)),
        C("gb18030-meta", lambda: article_page("<p>" + ZH + "</p>", meta("gb2312")).encode("gb18030"),
          "blocks", contains=(ZH,)),
        C("windows-1251-meta", lambda: article_page(
            "<p>" + RU + "</p>", '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        ).encode("cp1251"), "blocks", contains=(RU,)),
        C("iso-8859-2-meta", lambda: article_page("<p>" + PL + "</p>", meta("ISO-8859-2")).encode("iso8859_2"),
          "blocks", contains=(PL,)),
        C("declared-utf8-is-cp1251", lambda: article_page("<p>" + RU + "</p>", meta("utf-8")).encode("cp1251"),
          "blocks", contains=(RU,)),
        C("declared-latin1-is-utf8", lambda: article_page(
            "<p>" + FR + " " + RU + "</p>", meta("iso-8859-1")).encode("utf-8"), "blocks", contains=(FR, RU)),
        C("declared-sjis-is-gb18030", lambda: article_page(
            "<p>" + ZH + ZH + "</p>", meta("shift_jis")).encode("gb18030"), "blocks", contains=(ZH,)),
        C("declared-utf16-in-ascii", lambda: article_page("<p>" + FR + "</p>", meta("utf-16")).encode("utf-8"),
          "blocks", contains=(FR,)),
        C("undeclared-sjis", lambda: article_page("<p>" + JA + "</p>").encode("cp932"), "blocks",
          contains=(JA,)),
        C("undeclared-cp1251", lambda: article_page("<p>" + RU + "</p>").encode("cp1251"), "blocks",
          contains=(RU,)),
        C("undeclared-cp1252", lambda: article_page("<p>" + FR + "</p>").encode("cp1252"), "blocks",
          contains=(FR,)),
        C("bogus-charset", lambda: article_page("<p>" + FR + "</p>", meta("x-no-such-thing")).encode("utf-8"),
          "blocks", contains=(FR,)),

        # --- broken markup -------------------------------------------------------
        C("unclosed-tags", lambda: ("<html><body><div><p>" + ARTICLE + "<p>" + ARTICLE2
                                    + "<div><span><b><i>dangling"), "blocks", contains=(ARTICLE, ARTICLE2)),
        C("stray-end-tags", lambda: "</p></div></body></html></p>" + article_page() + "</div></div></span>",
          "blocks", contains=(ARTICLE,)),
        C("truncated-in-tag", lambda: article_page()[:-40] + '<div class="x', "blocks", contains=(ARTICLE,)),
        C("truncated-in-attribute", lambda: "<p>" + ARTICLE + '</p><a href="' + "x" * 1000, "blocks",
          contains=(ARTICLE,)),
        C("unclosed-comment", lambda: "<p>" + ARTICLE + "</p><!-- " + fake("UNCLOSEDCMT") + "<p>more",
          "blocks", contains=(ARTICLE,), forbidden=("UNCLOSEDCMT",)),
        C("unclosed-script", lambda: "<p>" + ARTICLE + "</p><script>var a = '" + fake("UNCLOSEDSCR"),
          "blocks", contains=(ARTICLE,), forbidden=("UNCLOSEDSCR",)),
        C("unclosed-style", lambda: "<p>" + ARTICLE + "</p><style>p{}" + fake("UNCLOSEDSTY"),
          "blocks", contains=(ARTICLE,), forbidden=("UNCLOSEDSTY",)),
        C("weird-tokens", lambda: ("<<p>>" + ARTICLE + "<p <p>x</p/><p/><//p><a =b>"
                                   "<o:p>office</o:p><my-element>custom text</my-element><image>"
                                   "<isindex><p>" + ARTICLE2 + "<a href=\"'>swallowed</a>"),
          "blocks", contains=(ARTICLE2,)),
        C("misnested", lambda: "<b><p>one <i>two</b> three</i> four</p>" + article_page(), "blocks",
          contains=(ARTICLE,)),
        C("entities", lambda: article_page("<p>&amp;lt; &lt;b&gt; &AMP; &copy&nbsp;&eacute;&#233;&#xe9;"
                                           "&#0;&#x7f;&notanentity; &am</p>"), "blocks",
          contains=("&lt; <b> & ©", "ééé")),
        C("head-content-in-body", lambda: "<head><p>" + ARTICLE + "</p></head><body><p>" + ARTICLE2,
          "blocks", contains=(ARTICLE, ARTICLE2)),
        C("two-bodies", lambda: "<body><p>" + ARTICLE + "</p></body><body class=x><p>" + ARTICLE2 + "</p>",
          "blocks", contains=(ARTICLE, ARTICLE2)),
        C("plaintext-element", lambda: "<p>" + ARTICLE + "</p><plaintext><p>not a tag</p>", "blocks",
          contains=(ARTICLE,)),

        # --- text no extractor may return ----------------------------------------
        C("fake-text-in-script", lambda: article_page(
            "<script>var s = \"" + fake("SCRIPTTEXT") + "\";</script>"
            "<script type='application/ld+json'>{\"articleBody\": \"" + fake("JSONLDTEXT") + "\"}</script>"
            "<script type='text/template'><p>" + fake("TPLSCRIPT") + "</p></script>"),
          "blocks", contains=(ARTICLE,), forbidden=("SCRIPTTEXT", "JSONLDTEXT", "TPLSCRIPT")),
        C("fake-text-in-style", lambda: article_page(
            "<style>/* " + fake("STYLETEXT") + " */ p { color: red }</style>"),
          "blocks", contains=(ARTICLE,), forbidden=("STYLETEXT",)),
        C("fake-text-in-comments", lambda: article_page(
            "<!-- " + fake("COMMENTTEXT") + " --><!--[if IE]><p>" + fake("CONDCOMMENT") + "</p><![endif]-->"
            "<!---->" + "<!--- -- ->" + fake("DASHCMT") + "-->"),
          "blocks", contains=(ARTICLE,), forbidden=("COMMENTTEXT", "CONDCOMMENT", "DASHCMT")),
        C("fake-text-in-cdata", lambda: article_page("<p>before</p><![CDATA[" + fake("CDATATEXT") + "]]>"
                                                     "<svg><![CDATA[" + fake("SVGCDATA") + "]]></svg>"),
          "blocks", contains=(ARTICLE,), forbidden=("CDATATEXT", "SVGCDATA")),
        C("hidden-boilerplate", lambda: article_page(
            "<div style='display:none'>" + fake("DISPLAYNONE") + "</div>"
            "<div style='DISPLAY : NONE ; color:red'><p>" + fake("DISPLAYNONE2") + "</p></div>"
            "<p hidden>" + fake("HIDDENATTR") + "</p>"
            "<div aria-hidden='true'><p>" + fake("ARIAHIDDEN") + "</p></div>"
            "<span style='visibility:hidden'>" + fake("VISHIDDEN") + "</span>"),
          "blocks", contains=(ARTICLE, ARTICLE2),
          forbidden=("DISPLAYNONE", "DISPLAYNONE2", "HIDDENATTR", "ARIAHIDDEN", "VISHIDDEN")),
        C("template-noscript", lambda: article_page(
            "<template><p>" + fake("TEMPLATETEXT") + "</p></template>"
            "<noscript><p>" + fake("NOSCRIPTTEXT") + "</p></noscript>"),
          "blocks", contains=(ARTICLE, ARTICLE2), forbidden=("TEMPLATETEXT", "NOSCRIPTTEXT")),
        C("noscript-only-content", lambda: page("<div id='app'></div><noscript><p>" + ARTICLE
                                                + "</p></noscript><script>render()</script>"),
          "blocks", contains=(ARTICLE,), note="a page with no other text is read from <noscript>"),
        C("form-controls", lambda: article_page(
            "<textarea>" + fake("TEXTAREATEXT") + "</textarea><select><option>" + fake("OPTIONTEXT")
            + "</option></select><button>" + fake("BUTTONTEXT") + "</button>"),
          "blocks", contains=(ARTICLE,), forbidden=("TEXTAREATEXT", "OPTIONTEXT", "BUTTONTEXT")),
        C("frames", lambda: ("<html><head><title>Frames</title></head><frameset cols='50%,50%'>"
                             "<frame src='a.html'><frame src='b.html'><noframes><p>" + ARTICLE
                             + "</p></noframes></frameset></html>")),
        C("iframe", lambda: article_page("<iframe src='x'><p>" + fake("IFRAMETEXT") + "</p></iframe>"
                                         "<iframe srcdoc='<p>" + fake("SRCDOCTEXT") + "</p>'></iframe>"),
          "blocks", contains=(ARTICLE,), forbidden=("IFRAMETEXT", "SRCDOCTEXT")),
        C("svg-mathml", lambda: article_page(
            "<svg width='10' height='10'><title>" + fake("SVGTITLE") + "</title><text>" + fake("SVGTEXT")
            + "</text><foreignObject><p>" + fake("SVGFOREIGN") + "</p></foreignObject></svg>"
            "<math><mi>x</mi><mo>=</mo><mn>" + fake("MATHTEXT") + "</mn></math>"),
          "blocks", contains=(ARTICLE, ARTICLE2), forbidden=("SVGTITLE", "SVGTEXT", "SVGFOREIGN", "MATHTEXT")),
        C("object-embed", lambda: article_page("<object data='x'><p>" + fake("OBJECTTEXT") + "</p></object>"
                                               "<embed src='y'>"), "blocks", contains=(ARTICLE,),
          forbidden=("OBJECTTEXT",)),

        # --- scripts and unusual characters -----------------------------------
        C("rtl", lambda: article_page("<p dir='rtl' lang='ar'>" + AR + "</p><p dir='rtl'>" + HE
                                      + "</p><p>\u202eEVIL\u202c mixed \u200f</p>"),
          "blocks", contains=(AR, HE)),
        C("emoji", lambda: article_page("<p>" + EMOJI + "</p>"), "blocks", contains=(EMOJI,)),
        C("emoji-bytes", lambda: article_page("<p>" + EMOJI + "</p>").encode("utf-8"), "blocks",
          contains=(EMOJI,)),
        C("combining", lambda: article_page("<p>" + COMBINING + "</p><p>" + "e" + "\u0301" * 5000 + "</p>"),
          "blocks", contains=(COMBINING,)),
        C("cjk-no-spaces", lambda: article_page("<p>" + ZH * 50 + "</p>"), "blocks", contains=(ZH,)),

        # --- attributes ----------------------------------------------------------
        C("huge-attribute", lambda: article_page("<div class='" + "article-body " * 200_000 + "'>"
                                                 "<p>Inside the huge div.</p></div>"),
          "blocks", contains=(ARTICLE, "Inside the huge div.")),
        C("many-attributes", lambda: article_page(
            "<p " + " ".join(f"data-a{i}='{i}'" for i in range(20_000)) + ">Many attributes.</p>"
            "<div " + "x " * 5_000 + "style='display:none'>" + fake("LATEHIDDEN") + "</div>"),
          "blocks", contains=("Many attributes.",), forbidden=("LATEHIDDEN",)),
        C("huge-title", lambda: page("<p>" + ARTICLE + "</p>", title="Budget " * 100_000,
                                     head="<meta property='og:title' content='" + "x" * 500_000 + "'>"),
          "blocks", contains=(ARTICLE,)),
        C("huge-style-hidden", lambda: article_page(
            "<div style='" + "color: red; " * 50_000 + "display:none'>" + fake("LONGSTYLE") + "</div>"),
          "blocks", contains=(ARTICLE,), forbidden=("LONGSTYLE",)),

        # --- size and shape (megabytes) ------------------------------------------
        C("deep-divs-50000", lambda: _deep("div", 50_000, "<p>" + ARTICLE + "</p>"), "blocks",
          contains=(ARTICLE,), big=True),
        C("deep-spans-50000", lambda: "<p>" + _deep("span", 50_000, ARTICLE) + "</p>", "blocks",
          contains=(ARTICLE,), big=True),
        C("deep-unclosed-50000", lambda: "<div>" * 50_000 + "<p>" + ARTICLE, "blocks",
          contains=(ARTICLE,), big=True),
        C("deep-lists-20000", lambda: _deep("ul", 1, "<li><ul>" * 20_000 + "<li>" + ARTICLE), "blocks",
          contains=(ARTICLE,), big=True),
        C("deep-tables-2000", lambda: "<table><tr><td>" * 2_000 + ARTICLE, "blocks",
          contains=(ARTICLE,), big=True),
        C("siblings-100000", lambda: page("".join(f"<p>Paragraph number {i} of the long page.</p>"
                                                  for i in range(100_000))),
          "blocks", contains=("Paragraph number 0 of", "Paragraph number 49999 of"),
          forbidden=("Paragraph number 50000 of",), big=True,
          note="blocks past segment.MAX_BLOCKS (50,000) are ignored"),
        C("tiny-blocks-4mb", lambda: page("<table><tr>" + "<td>c" * 800_000 + "</table>"), "blocks",
          contains=("c",), big=True, note="800,000 one-letter cells: memory stays bounded"),
        C("br-soup-100000", lambda: page("<div>" + "line of text<br><br>" * 100_000 + "</div>"),
          "blocks", contains=("line of text",), big=True),
        C("text-node-5mb", lambda: page("<p>" + ("lorem ipsum dolor sit amet " * 200_000) + "</p>"),
          "blocks", contains=("lorem ipsum dolor",), big=True),
        C("text-node-5mb-one-word", lambda: page("<p>" + "x" * 5_000_000 + "</p>"), "blocks",
          contains=("xxxxxxxxxx",), big=True),
        C("text-node-5mb-cta", lambda: page("<p>" + "Please share and subscribe. " * 180_000 + "</p>"),
          "blocks", contains=("Please share and subscribe.",), big=True),
        C("one-line-5mb-no-tags", lambda: "word " * 1_000_000, "blocks", contains=("word word",), big=True),
        C("many-links-100000", lambda: page("<div>" + "".join(f"<a href='/{i}'>link {i}</a> "
                                                              for i in range(100_000)) + "</div>"),
          "blocks", contains=("link 0 link 1",), big=True),
        C("attributes-200000", lambda: page("<p " + " ".join(f"a{i}" for i in range(200_000))
                                            + ">" + ARTICLE + "</p>"), "blocks", contains=(ARTICLE,), big=True),
        C("select-100000-options", lambda: article_page(
            "<select>" + "".join(f"<option>{fake('OPTION')}</option>" for _ in range(100_000)) + "</select>"),
          "blocks", contains=(ARTICLE, ARTICLE2), forbidden=("OPTION",), big=True),
        C("deep-dl-dd-50000", lambda: "<dl><dd>" * 50_000 + ARTICLE, "blocks", contains=(ARTICLE,), big=True),
        C("deep-table-foster-50000", lambda: "<table>" + "<div>x" * 50_000 + ARTICLE, "blocks",
          contains=(ARTICLE,), big=True),
        C("table-300x300", lambda: page("<table>" + ("<tr>" + "<td>cell</td>" * 300 + "</tr>") * 300
                                        + "</table>"), "blocks", contains=("cell",), big=True),
    ]
    return cases


CASES: list[Case] = _cases()
BY_NAME = {c.name: c for c in CASES}
assert len(BY_NAME) == len(CASES), "duplicate case names"


def as_bytes(value: "str | bytes") -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def main(argv: list[str]) -> int:
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", metavar="DIR", help="write every case's input to DIR/<name>.html")
    parser.add_argument("--list", action="store_true", help="list the cases and their expectations")
    parser.add_argument("--small", action="store_true", help="skip the megabyte-sized cases")
    args = parser.parse_args(argv)
    for case in CASES:
        if args.small and case.big:
            continue
        if args.list:
            print(f"{case.name:34} {case.expect:7} contains={len(case.contains)} "
                  f"forbidden={len(case.forbidden)}{' big' if case.big else ''}")
        if args.write:
            out = Path(args.write)
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{case.name}.html").write_bytes(as_bytes(case.make()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
