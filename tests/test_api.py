"""End-to-end behaviour of boilerstrip.clean on a page of our own writing."""
import json
import re

import pytest

import boilerstrip
from boilerstrip import clean

ARTICLE = [
    "Residents of Millbrook voted on Tuesday night to rebuild the concrete flood wall",
    "The old wall, built in 1962, cracked in two places",
    "We cannot ask families to live with that fear every spring",
    "Engineers from the state transportation department estimate",
    "Not everyone at the meeting was convinced.",
    "The council said a second phase could cover that stretch",
]
BOILERPLATE = [
    "receive browser notifications", "Politics", "Subscribe", "Log in",
    "Before you keep reading", "please consider making a donation", "Donate now",
    "Join the conversation", "Thanks for registering", "refresh the page",
    "Most read", "New bakery opens", "morning newsletter", "All rights reserved",
    "Privacy policy", "Fake article text",
]


def test_fixture_keeps_article_in_order_and_drops_boilerplate(fixture_html):
    out = clean(fixture_html)
    positions = [out.find(s) for s in ARTICLE]
    assert all(p >= 0 for p in positions), out
    assert positions == sorted(positions)
    for s in BOILERPLATE:
        assert s not in out, f"boilerplate kept: {s!r}\n{out}"
    assert "River town votes to rebuild its flood wall" not in out   # no headline in text


def test_bytes_and_str_agree(fixture_html):
    assert clean(fixture_html.encode("utf-8")) == clean(fixture_html)


def test_output_formats(fixture_html):
    md = clean(fixture_html, output="markdown")
    assert md.startswith("# River town votes to rebuild its flood wall")
    assert ARTICLE[0] in md
    html = clean(fixture_html, output="html")
    assert html.startswith("<article>") and "<h1>River town" in html and "<p>Residents" in html
    data = json.loads(clean(fixture_html, output="json", url="https://example.org/a"))
    assert data["title"] == "River town votes to rebuild its flood wall"
    assert data["url"] == "https://example.org/a"
    kept = [b for b in data["blocks"] if b["kept"]]
    dropped = [b for b in data["blocks"] if not b["kept"]]
    assert kept and dropped
    assert all(0 <= b["score"] <= 1 and b["tag"] for b in data["blocks"])
    assert any(b["headline"] for b in data["blocks"])


def _blog_page() -> str:
    """A blog whose site name is the <h1> and whose menu and archive come
    before the post: its title heading lies past the first 60% of the blocks."""
    menu = "".join(f"<li><a href='/c{i}'>Category {i}</a></li>" for i in range(30))
    return ("<html><head><title>Ferry timetable changes | Harbour Notes</title></head><body>"
            f"<header><h1>Harbour Notes</h1></header><ul class='menu'>{menu}</ul>"
            "<div class='post'><h2>Ferry timetable changes</h2>"
            "<p>The harbour ferry will leave twenty minutes earlier on weekdays from "
            "next month, the operator said on Monday, to meet the first train.</p>"
            "<p>Weekend sailings stay as they are, and the late boat on Fridays keeps "
            "its eleven o'clock departure through the summer season.</p></div></body></html>")


def test_headline_is_found_past_a_long_menu():
    html = _blog_page()
    md = clean(html, output="markdown")
    assert md.startswith("# Ferry timetable changes\n"), md
    text = clean(html)
    assert "The harbour ferry will leave" in text
    assert "Ferry timetable changes" not in text
    data = json.loads(clean(html, output="json"))
    heads = [b["text"] for b in data["blocks"] if b["headline"]]
    assert heads == ["Ferry timetable changes"]


def test_headline_in_a_block_that_is_no_heading():
    story = ("<p>The harbour ferry will leave twenty minutes earlier on weekdays from next "
             "month, the operator said on Monday, to meet the first train into the city.</p>"
             "<p>Weekend sailings stay as they are, and the late boat on Fridays keeps its "
             "eleven o'clock departure through the summer season.</p>")
    page = ("<html><head><title>Ferry timetable changes</title></head><body>"
            "<table><tr><td class='nav'><a href='/'>Home</a></td></tr>"
            "<tr><td><b>Ferry timetable changes</b></td></tr>"
            f"<tr><td>{story}</td></tr></table></body></html>")
    assert clean(page, output="markdown").startswith("# Ferry timetable changes\n")
    data = json.loads(clean(page, output="json"))
    assert [b["text"] for b in data["blocks"] if b["headline"]] == ["Ferry timetable changes"]
    # the headline stays out of the text even when every block is kept
    everything = clean(page, threshold=0.0)
    assert "Home" in everything and "Ferry timetable changes" not in everything
    # a link that repeats the title is no headline, nor is a longer block that
    # merely holds the title's words: then the <title> is printed
    for block in ("<p><a href='/ferry'>Ferry timetable changes</a></p>",
                  "<p>Ferry timetable changes are coming, and riders should check the new "
                  "times before they travel next week.</p>"):
        other = page.replace("<b>Ferry timetable changes</b>", block)
        data = json.loads(clean(other, output="json"))
        assert not any(b["headline"] for b in data["blocks"]), block


def test_threshold_is_the_one_knob(fixture_html):
    loose = clean(fixture_html, threshold=0.0).splitlines()
    strict = clean(fixture_html, threshold=1.0)
    default = clean(fixture_html).splitlines()
    assert strict == ""
    assert set(default) <= set(loose) and len(loose) > len(default)


def test_markdown_structures():
    html = ("<html><head><title>Guide</title></head><body><article><h1>Guide</h1>"
            + "<p>" + "This is a long explanatory paragraph of the guide. " * 6 + "</p>"
            + "<h2>Steps to follow</h2><ol><li>First do the long first step of the guide.</li>"
            "<li>Then do the long second step of the guide.</li></ol>"
            "<blockquote><p>" + "A quoted sentence that goes on for quite a while. " * 3
            + "</p></blockquote>"
            "<p>" + "Another long paragraph that closes the guide for the reader. " * 5 + "</p>"
            "</article></body></html>")
    md = clean(html, output="markdown", threshold=0.0)
    assert "## Steps to follow" in md
    assert "1. First do" in md and "2. Then do" in md
    assert re.search(r"^> A quoted sentence", md, re.M)


@pytest.mark.parametrize("bad", [None, 42, 3.5, ["<p>x</p>"], {"html": 1}])
def test_wrong_types_raise_type_error(bad):
    with pytest.raises(TypeError, match="str or bytes"):
        clean(bad)


def test_wrong_values_raise_value_error(fixture_html):
    with pytest.raises(ValueError, match="output"):
        clean(fixture_html, output="pdf")
    with pytest.raises(ValueError, match="threshold"):
        clean(fixture_html, threshold=2)
    with pytest.raises(TypeError):
        clean(fixture_html, threshold="high")


@pytest.mark.parametrize("empty", ["", "   \n ", b"", "<html></html>", "<!-- x -->",
                                   b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"])
def test_empty_or_non_html_returns_empty(empty):
    assert clean(empty) == ""
    assert json.loads(clean(empty, output="json"))["blocks"] == []
    assert json.loads(clean(empty, output="json"))["confidence"] == 0.0


def test_json_confidence_is_the_best_block_alone_score(fixture_html):
    from boilerstrip.api import UNSURE_BELOW, analyse, page_confidence
    from boilerstrip.model import load_model

    data = json.loads(clean(fixture_html, output="json"))
    a = analyse(fixture_html, load_model())
    assert data["confidence"] == round(float(a.block_scores.max()), 4) == round(
        page_confidence(a.block_scores), 4)
    assert data["confidence"] >= UNSURE_BELOW          # a plain news story
    menu_only = ("<ul><li><a href=/>Home</a></li><li><a href=/n>News</a></li>"
                 "<li><a href=/s>Sport</a></li></ul>"
                 "<footer>Copyright 2024 Example Media. All rights reserved.</footer>")
    assert 0.0 < json.loads(clean(menu_only, output="json"))["confidence"] < UNSURE_BELOW


def test_version_and_exports():
    assert boilerstrip.__version__
    assert callable(boilerstrip.load_model)


def test_the_lede_anchor_is_a_heading_that_matches_the_title():
    from boilerstrip import api, features
    from boilerstrip.parse import page_title, parse
    from boilerstrip.segment import segment

    html = ("<html><head><title>Our trip to the coast | Blog</title></head><body>"
            "<h1>The Sisters Blog</h1><h2>Our trip to the coast</h2><p>Two lines.</p>"
            "<div>Our trip to the coast</div></body></html>")
    tree = parse(html)
    b = segment(tree.body)
    X = features.compute(b, page_title(tree))
    assert api.find_headline(X, b.tag) == 1
    assert api.lede_anchor(X, b.tag, 1) == 1
    assert api.lede_anchor(X, b.tag, 0) is None      # an h1 that does not match
    assert api.lede_anchor(X, b.tag, 3) is None      # not a heading
    assert api.lede_anchor(X, b.tag, None) is None
    X2 = features.compute(b, "Our trip to the coast, and what we ate there | The Sisters Blog")
    assert api.lede_anchor(X2, b.tag, 1) is None     # covers too little of the title


def test_outputs_show_the_title_the_browser_shows():
    # stray output before <html> moves the <title> into the body: the JSON
    # and the markdown still show it (parse.document_title)
    page = ("Notice: undefined index in header.php\n<html><head>"
            "<title>Corner bakery wins county prize</title></head><body>"
            + "".join(f"<p>{'The bakery on the corner won the rye loaf prize again. ' * 4}</p>"
                      for _ in range(3)) + "</body></html>")
    doc = json.loads(boilerstrip.clean(page, output="json"))
    assert doc["title"] == "Corner bakery wins county prize"
    assert boilerstrip.clean(page, output="markdown").startswith("# Corner bakery wins county prize\n")
