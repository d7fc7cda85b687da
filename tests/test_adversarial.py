"""Hostile inputs: each case of tests/adversarial/corpus.py behaves as promised.

See docs/robustness.md for the guarantees these tests back.
"""
from __future__ import annotations

import faulthandler
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import boilerstrip
from boilerstrip import clean, load_model
from boilerstrip.api import DEFAULT_MAX_BYTES, OUTPUT_FORMATS

sys.path.insert(0, str(Path(__file__).parent / "adversarial"))
import corpus  # noqa: E402

SMALL = [c for c in corpus.CASES if not c.big]
BIG = [c for c in corpus.CASES if c.big]
REGRESSIONS = sorted((Path(__file__).parent / "adversarial" / "regressions").glob("*.bin"))


@pytest.fixture(scope="module")
def model():
    return load_model()


@pytest.fixture(autouse=True, scope="module")
def hang_guard():
    """A hang is a failure too: dump every thread's stack and exit if one case
    runs for 10 minutes (a guard, not a speed assertion)."""
    faulthandler.dump_traceback_later(600, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def assert_clean_string(out: str, fmt: str) -> None:
    assert isinstance(out, str), fmt
    out.encode("utf-8")  # no lone surrogates
    assert "\x00" not in out, fmt
    if fmt == "json":
        doc = json.loads(out)
        assert set(doc) >= {"title", "url", "threshold", "blocks"}


def block_texts(json_out: str) -> list[str]:
    return [b["text"] for b in json.loads(json_out)["blocks"]]


def check_expectations(case: corpus.Case, outs: dict[str, str]) -> None:
    for fmt, out in outs.items():
        assert_clean_string(out, fmt)
    texts = block_texts(outs["json"])
    joined = "\n".join(texts)
    if case.expect == "empty":
        assert texts == []
        for fmt in ("text", "markdown", "html"):
            if fmt in outs:
                assert outs[fmt] == "", fmt
    for piece in case.contains:
        assert piece in joined, f"{case.name}: {piece[:40]!r} not in the blocks"
    for piece in case.kept:
        assert piece in outs["text"], f"{case.name}: {piece[:40]!r} not kept"
    for piece in case.forbidden:
        for fmt, out in outs.items():
            assert piece not in out, f"{case.name}: hidden text {piece!r} leaked into {fmt}"
    # text output = the kept, non-headline blocks, in page order
    doc = json.loads(outs["json"])
    kept = [b["text"] for b in doc["blocks"] if b["kept"] and not b.get("headline")]
    if "text" in outs:
        assert outs["text"] == "\n".join(kept)


@pytest.mark.parametrize("case", SMALL, ids=lambda c: c.name)
def test_small_case(case, model):
    html = case.make()
    outs = {fmt: clean(html, output=fmt, model=model) for fmt in OUTPUT_FORMATS}
    check_expectations(case, outs)
    assert clean(html, output="json", model=model) == outs["json"]  # deterministic


@pytest.mark.parametrize("case", BIG, ids=lambda c: c.name)
def test_big_case(case, model):
    html = case.make()
    outs = {"json": clean(html, output="json", model=model)}  # one run: these are slow
    check_expectations(case, outs)


@pytest.mark.parametrize("case", [c for c in SMALL if isinstance(c.make(), str)], ids=lambda c: c.name)
def test_str_and_utf8_bytes_agree(case, model):
    html = case.make()
    try:
        data = html.encode("utf-8")
    except UnicodeEncodeError:
        pytest.skip("lone surrogates have no UTF-8 encoding")
    assert clean(data, output="json", model=model) == clean(html, output="json", model=model)


@pytest.mark.parametrize("path", REGRESSIONS, ids=lambda p: p.stem)
def test_fuzz_regression(path, model):
    """Inputs the fuzzer once broke: all formats, str and bytes, no exception."""
    data = path.read_bytes()
    for html in (data, data.decode("utf-8", "replace")):
        for fmt in OUTPUT_FORMATS:
            assert_clean_string(clean(html, output=fmt, model=model), fmt)


# --- arguments -------------------------------------------------------------


@pytest.mark.parametrize("bad", [None, 42, 1.5, ["<p>x</p>"], {"html": "<p>x</p>"}, object()])
def test_wrong_html_type_is_a_type_error(bad):
    with pytest.raises(TypeError, match="str or bytes"):
        clean(bad)


@pytest.mark.parametrize("kwargs,exc", [
    ({"output": "pdf"}, ValueError),
    ({"output": None}, ValueError),
    ({"output": "TEXT"}, ValueError),
    ({"threshold": 1.5}, ValueError),
    ({"threshold": -0.1}, ValueError),
    ({"threshold": float("nan")}, ValueError),
    ({"threshold": "0.5"}, TypeError),
    ({"threshold": True}, TypeError),
    ({"max_bytes": 0}, ValueError),
    ({"max_bytes": -5}, ValueError),
    ({"max_bytes": 1.5}, TypeError),
    ({"max_bytes": "10"}, TypeError),
    ({"max_bytes": True}, TypeError),
    ({"model": 42}, TypeError),
    ({"model": "/nonexistent/model.json"}, ValueError),
    ({"model": ""}, ValueError),  # the current directory
    ({"model": "/"}, ValueError),
    ({"url": 42}, TypeError),
    ({"url": b"http://x"}, TypeError),
])
def test_wrong_argument_values(kwargs, exc):
    with pytest.raises(exc):
        clean(corpus.article_page(), **kwargs)


def test_url_is_echoed_clean(model):
    out = clean(corpus.article_page(), url="http://x/\ud800a\x00b", output="json", model=model)
    out.encode("utf-8")
    assert json.loads(out)["url"] == "http://x/ab"


def test_threshold_extremes_are_valid(model):
    html = corpus.article_page()
    everything = block_texts(clean(html, output="json", model=model))
    assert clean(html, threshold=0.0, model=model).splitlines() == [
        t for t in everything if t != "Council approves budget"]
    assert clean(html, threshold=1.0, model=model) in ("", *everything)


# --- max_bytes ---------------------------------------------------------------


def test_max_bytes_default_is_documented():
    assert DEFAULT_MAX_BYTES == 32 * 1024 * 1024
    assert "max_bytes" in boilerstrip.clean.__doc__


def test_input_past_max_bytes_is_ignored(model):
    head = "<p>" + corpus.ARTICLE + "</p>"
    html = head + "<p>TAILMARKER " + corpus.ARTICLE2 + "</p>"
    limit = len(head) + 5
    texts = block_texts(clean(html, output="json", model=model, max_bytes=limit))
    assert any(corpus.ARTICLE[:50] in t for t in texts)
    assert not any("TAILMARKER" in t for t in texts)
    # bytes are counted as bytes, str as characters
    data = html.encode("utf-8")
    assert block_texts(clean(data, output="json", model=model, max_bytes=limit)) == texts
    # a large enough limit changes nothing
    assert clean(html, output="json", model=model, max_bytes=len(data)) == clean(html, output="json",
                                                                                  model=model)


def test_max_bytes_cut_inside_a_multibyte_character(model):
    html = ("<p>" + corpus.RU + "</p>").encode("utf-8")
    cut = len("<p>".encode()) + 9  # in the middle of the 5th Cyrillic letter
    texts = block_texts(clean(html, output="json", model=model, max_bytes=cut))
    assert texts == [corpus.RU[:4]]


def test_tiny_max_bytes(model):
    html = "<p>" + corpus.ARTICLE + "</p>"
    assert clean(html, max_bytes=3, model=model) == ""  # just "<p>"
    assert json.loads(clean(html.encode(), output="json", max_bytes=3, model=model))["blocks"] == []
    assert block_texts(clean(html, output="json", max_bytes=4, model=model)) == ["T"]


# --- markup caps (boilerstrip.limits) ----------------------------------------


def test_limit_nesting_leaves_normal_pages_alone():
    from boilerstrip.limits import limit_markup

    html = corpus.article_page() * 50
    assert limit_markup(html) is html
    lists = "<ul>" + "<li>item <b>x</b>" * 5000 + "</ul>" + "<p>para" * 5000 + "<table>" + (
        "<tr><td>a<td>b" * 3000) + "</table>" + "<svg>" + "<path d='M0'/>" * 3000 + "</svg>"
    assert limit_markup(lists) is lists


def test_limit_nesting_caps_depth_and_keeps_text():
    from selectolax.lexbor import LexborHTMLParser

    from boilerstrip.limits import MAX_NESTING, limit_markup

    html = "<div><p>start</p>" + "<div><span>" * 3000 + "<p>deep text</p>" + "</span></div>" * 3000 + \
        "<p>after</p></div>"
    capped = limit_markup(html)
    assert capped != html
    tree = LexborHTMLParser(capped)
    node, depth, best = tree.root, 0, 0
    stack = [(tree.root, 0)]
    while stack:
        node, depth = stack.pop()
        best = max(best, depth)
        child = node.child
        while child is not None:
            stack.append((child, depth + 1))
            child = child.next
    assert best <= MAX_NESTING + 8
    text = tree.body.text(separator="|")
    assert text.split("|") == ["start", "deep text", "after"]
    # the same text goes through clean's pipeline
    texts = block_texts(clean(html, output="json", threshold=0.0))
    assert texts == ["start", "deep text", "after"]


def test_limit_markup_cuts_attributes_but_keeps_the_ones_read():
    from boilerstrip.limits import MAX_ATTRIBUTES, limit_markup

    html = ("<p>" + corpus.ARTICLE + "</p>") * 20 + "<div " + " ".join(f"a{i}=1" for i in range(1000)) \
        + " class='story' hidden>" + "x" + "</div>"
    capped = limit_markup(html)
    tag = capped[capped.index("<div"):capped.index(">", capped.index("<div")) + 1]
    assert tag.count("=") == MAX_ATTRIBUTES + 1
    assert "class='story'" in tag and tag.endswith(" hidden>")


def test_limit_markup_caps_options_per_select():
    from boilerstrip.limits import MAX_OPTIONS, limit_markup

    html = "<select>" + "<option>o</option>" * (MAX_OPTIONS + 500) + "</select><p>after</p>"
    capped = limit_markup(html)
    assert capped.count("<option>") == capped.count("</option>") == MAX_OPTIONS
    assert capped.endswith("</select><p>after</p>")


def _lexbor_max_attributes(html):
    from selectolax.lexbor import LexborHTMLParser

    return max((len(n.attributes) for n in LexborHTMLParser(html).root.traverse() if n.attributes),
               default=0)


KNOWN_FALSE_ALARMS = pytest.mark.xfail(
    strict=True, reason="known issue (docs/robustness.md): the limiter's tokenizer ends a tag at a "
    "'>' or '<' inside a quoted value or at an unclosed quote; the quote-aware fix waits for a "
    "model rebuild")


# Quoted values that hold what looks like markup: a ">" or "<" inside them does
# not end or start a tag, as in the HTML tokenizer.  Each of these is a page
# of the shared datasets that the limiter rewrites although no element of it
# exceeds a cap (an SVG data URI, JavaScript in onload, JSON in data-props).
QUOTED_MARKUP = [
    '<img alt src="data:image/svg+xml,<svg><g d=&quot;' + " ".join(f"{i}.5 L" for i in range(600))
    + '&quot;></g></svg>">',
    "<body onload='" + " ".join(f"g{i}(1);" for i in range(600)) + " f(\"a>b\");'>",
    "<div data-props='{" + ", ".join(f'"k{i}": {i}' for i in range(600)) + ", \"x\": \"<b>\"}'>x</div>",
]


@KNOWN_FALSE_ALARMS
@pytest.mark.parametrize("tag", QUOTED_MARKUP)
def test_limit_markup_reads_quoted_values_as_the_parser_does(tag):
    from boilerstrip.limits import limit_markup

    html = "<html><body>" + ("<p>" + corpus.ARTICLE + "</p>") * 5 + tag + "<p>after</p></body></html>"
    assert _lexbor_max_attributes(html) < 20  # the parser sees a few attributes
    assert limit_markup(html) is html


def test_limit_markup_counts_attributes_after_a_quoted_lt():
    # the attributes after a "<" in a quoted value belong to the same tag
    # (lexbor's cost is quadratic in them)
    from boilerstrip.limits import MAX_ATTRIBUTES, limit_markup

    html = "<p>" + corpus.ARTICLE + "</p>" + '<a x="<" ' + " ".join(f"a{i}" for i in range(5000)) + ">t</a>"
    assert _lexbor_max_attributes(html) > 5000
    capped = limit_markup(html)
    assert capped != html
    assert _lexbor_max_attributes(capped) <= MAX_ATTRIBUTES + 1


@KNOWN_FALSE_ALARMS
def test_limit_markup_reads_an_unclosed_quote_to_the_end():
    # the value runs to the end of the input, as the parser reads it: one attribute
    from boilerstrip.limits import limit_markup

    html = "<p>" + corpus.ARTICLE + "</p>" + '<a href="x" title="' + " ".join(f"w{i}" for i in range(2000))
    assert _lexbor_max_attributes(html) < 20  # (lexbor drops a tag cut by the end)
    assert limit_markup(html) is html


#: Unique words: the parser drops repeated attribute names (the limiter counts them,
#: as they cost the parser all the same).
WORDS = " ".join(f"w{i}" for i in range(300))


@KNOWN_FALSE_ALARMS
@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b1", "x-y", "d"]),
                          st.sampled_from(["", '="1"', "='2'", "=v", '=">"', "='<'", '="a > b"',
                                           "='<g d=x y z>'", '= "q>"', "=a>b",
                                           '="' + WORDS + '>"', "='<" + WORDS + "'"])),
                min_size=0, max_size=40),
       st.integers(0, 700))
def test_limit_markup_cuts_attributes_only_where_the_parser_sees_too_many(attrs, padding):
    # no false alarms: when the limiter cuts a tag's attributes, lexbor's parse
    # of the original has an element with more than MAX_ATTRIBUTES attributes
    from boilerstrip.limits import MAX_ATTRIBUTES, limit_markup

    parts = [f"{name}{i}{value}" for i, (name, value) in enumerate(attrs)]
    parts += [f"p{i}" for i in range(padding)]
    html = "<p>" + corpus.ARTICLE + "</p><div " + " ".join(parts) + ">text</div><p>after</p>"
    if limit_markup(html) is not html:
        assert _lexbor_max_attributes(html) > MAX_ATTRIBUTES


@pytest.mark.xfail(strict=True, reason="known limit (docs/robustness.md): the pre-check's "
                   "candidate test is not quote-aware, and a quote-aware one costs 0.5 ms a page")
def test_limit_markup_counts_attributes_after_a_quoted_gt():
    from boilerstrip.limits import limit_markup

    html = "<p>" + corpus.ARTICLE + "</p>" + '<a x=">" ' + " ".join(f"a{i}" for i in range(5000)) + ">t</a>"
    assert _lexbor_max_attributes(html) > 5000
    assert limit_markup(html) != html
