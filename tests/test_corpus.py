"""Corpus validation (boilerstrip/corpus.py): every problem reported per page, no crash."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boilerstrip import corpus as bc
from boilerstrip.api import parse_and_segment
from boilerstrip.datasets import EVALUATION_SETS, TRAINABLE_SETS, load_corpus
from boilerstrip.segment import BLOCK_TAGS

from conftest import require_dataset

EXAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "example"

ARTICLE = ("<html><head><title>Harbour wall repaired</title></head><body>"
           "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
           "<div class='story'><h1>Harbour wall repaired</h1>"
           "<p>Workers finished repairing the old harbour wall on Friday after a winter of storms "
           "had knocked a hole the size of a bus in its seaward side.</p>"
           "<p>The council says the repair cost less than expected because local quarry stone "
           "could be used instead of concrete blocks shipped from the mainland.</p></div>"
           "<div class='promo'><p>Subscribe to our newsletter for weekly harbour news.</p></div>"
           "<footer><p>Copyright Harbour News</p></footer></body></html>")
GOLD = ("Workers finished repairing the old harbour wall on Friday after a winter of storms "
        "had knocked a hole the size of a bus in its seaward side.\nThe council says the repair "
        "cost less than expected because local quarry stone could be used instead of concrete "
        "blocks shipped from the mainland.")


def write_corpus(folder: Path, lines: list, files: dict) -> Path:
    (folder / "pages").mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / "pages" / name).write_bytes(data.encode() if isinstance(data, str) else data)
    with (folder / "gold.jsonl").open("w", encoding="utf-8") as fh:
        for line in lines:
            fh.write((line if isinstance(line, str) else json.dumps(line)) + "\n")
    return folder


def rec(pid, html, **kw):
    return {"id": pid, "html": f"pages/{html}", **kw}


def codes_by_page(report) -> dict:
    out: dict = {}
    for i in report.issues:
        out.setdefault(i.page if i.page is not None else f"line{i.line}", set()).add(i.code)
    return out


def test_example_corpus_is_clean():
    report = bc.validate_corpus(EXAMPLE)
    assert report.records == 6
    assert report.issues == [], report.format()
    assert [p.id for p in report.usable_pages()] == [p.id for p in load_corpus(EXAMPLE)]


def test_page_from_record_matches_load_corpus():
    ours = bc.read_records(EXAMPLE).pages
    theirs = load_corpus(EXAMPLE)
    assert len(ours) == len(theirs) == 6
    for a, b in zip(ours, theirs):
        a.extra.pop("_line")
        assert a == b


def test_every_problem_is_reported_on_its_own_page(tmp_path):
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    lines = [
        rec("good", "good.html", text=GOLD),
        "{not json",
        "[1, 2, 3]",
        {"html": "pages/good.html", "text": GOLD},                 # no id
        {"id": "nohtml", "text": GOLD},
        rec("badtype", "good.html", text=42),
        rec("good", "good.html", text=GOLD),                       # duplicate id
        {"id": "escape", "html": "../outside.html", "text": GOLD},
        rec("missing", "missing.html", text=GOLD),
        rec("brokengz", "broken.html.gz", text=GOLD),
        rec("binary", "image.html", text=GOLD),
        rec("empty", "empty.html", text=GOLD),
        rec("noblocks", "noblocks.html", text=GOLD),
        rec("wronggold", "good2.html", text="Completely different words about a cricket "
                                            "match that never happened at all"),
        rec("snips", "good3.html", **{"with": ["this sentence is not on the page at all"]}),
        rec("badlabels", "good4.html", labels=[
            {"index": 99, "label": 1}, {"index": 0, "label": 2}, {"selector": "p[[", "label": 0},
            {"selector": "table.nothing", "label": 0}, {"text": "no such block", "label": 1},
            {"label": 1}, "junk"]),
        rec("nogold", "good5.html"),
        rec("partial", "good6.html", text=GOLD + "\n" + " ".join(
            f"extra sentence number {i} that the page does not contain" for i in range(30))),
        rec("drift", "good7.html", labels=[{"index": 0, "label": 0, "text": "Old menu text"}]),
    ]
    files = {"good.html": ARTICLE, "broken.html.gz": b"\x1f\x8b\x08\x00garbage",
             "image.html": png, "empty.html": "", "noblocks.html": "<html><body></body></html>",
             **{f"good{i}.html": ARTICLE for i in range(2, 8)}}
    folder = write_corpus(tmp_path / "c", lines, files)
    (tmp_path / "outside.html").write_text(ARTICLE)
    report = bc.validate_corpus(folder)
    got = codes_by_page(report)
    assert got["line2"] == {"invalid-json"}
    assert got["line3"] == {"invalid-record"}
    assert got["line4"] == {"invalid-record"}
    assert got["nohtml"] == {"invalid-record"}
    assert got["badtype"] == {"invalid-record"}
    assert got["good"] == {"duplicate-id"}
    assert got["escape"] == {"bad-path"}
    assert got["missing"] == {"missing-file"}
    assert got["brokengz"] == {"unreadable"}
    assert got["binary"] == {"undecodable"}
    assert got["empty"] == {"empty-page"}
    assert got["noblocks"] == {"no-blocks"}
    assert got["wronggold"] == {"gold-unmatched"}
    assert got["snips"] == {"snippets-unmatched"}
    assert got["nogold"] == {"no-gold"}
    assert got["partial"] == {"gold-partial"}
    assert got["drift"] == {"labels-drift"}
    bad = [i.message for i in report.issues if i.page == "badlabels"]
    assert len(bad) == 7, bad
    assert any("out of range" in m for m in bad)
    assert any("0 (boilerplate) or 1 (content)" in m for m in bad)
    assert any("invalid CSS selector" in m for m in bad)
    assert any("selects no block" in m for m in bad)
    assert any("no block has the text" in m for m in bad)
    assert any("needs 'index', 'selector' or 'text'" in m for m in bad)
    assert any("must be an object" in m for m in bad)
    # warnings keep a page usable, errors do not; both records of a duplicate id go
    assert sorted(p.id for p in report.usable_pages()) == ["drift", "nogold", "partial"]
    assert not report.ok
    # the text report names each page once per problem
    text = report.format()
    assert "page missing" in text and "line 2: error: invalid JSON" in text


def test_missing_gold_file_is_one_error(tmp_path):
    report = bc.validate_corpus(tmp_path)
    assert [i.code for i in report.issues] == ["no-gold-file"]
    assert report.usable_pages() == []


def test_undecodable_gold_line(tmp_path):
    folder = write_corpus(tmp_path / "c", [rec("a", "a.html", text=GOLD)], {"a.html": ARTICLE})
    with (folder / "gold.jsonl").open("ab") as fh:
        fh.write(b'{"id": "b\xff", "html": "pages/a.html"}\n')
    report = bc.validate_corpus(folder)
    assert [(i.code, i.line) for i in report.issues] == [("invalid-json", 2)]
    assert [p.id for p in report.usable_pages()] == ["a"]


def test_command_line(tmp_path, capsys):
    assert bc.main([str(EXAMPLE)]) == 0
    assert "0 errors" in capsys.readouterr().out
    folder = write_corpus(tmp_path / "c", [rec("a", "a.html", text=GOLD),
                                           rec("b", "nope.html", text=GOLD)], {"a.html": ARTICLE})
    assert bc.main([str(folder)]) == 1
    out = capsys.readouterr().out
    assert "page b (line 2): error: page file pages/nope.html not found" in out
    assert bc.main([str(folder), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc[0]["errors"] == 1 and doc[0]["issues"][0]["page"] == "b"


# --- CSS selector labels ---------------------------------------------------------

def blocks_of(html):
    tree, root, blocks = parse_and_segment(html)
    return tree, root, blocks


def test_selector_labels_cover_blocks_inside_the_element():
    tree, root, blocks = blocks_of(ARTICLE)
    entries, problems = bc.resolve_labels(
        [{"selector": "div.story", "label": 1}, {"selector": "h1", "label": 0},
         {"selector": "nav, footer, .promo", "label": 0}], tree, root, blocks)
    assert problems == []
    from boilerstrip.labels import from_block_labels

    y = from_block_labels(blocks.text, entries).tolist()
    want = {"Home News": 0, "Harbour wall repaired": 0, "Copyright Harbour News": 0,
            "Subscribe to our newsletter for weekly harbour news.": 0}
    for t, lab in zip(blocks.text, y):
        assert lab == want.get(t, 1), (t, lab)


def test_selector_on_an_inline_element_selects_no_block():
    tree, root, blocks = blocks_of("<body><p>Some text with <span class='x'>inline</span> "
                                   "words in a paragraph.</p></body>")
    _, problems = bc.resolve_labels([{"selector": "span.x", "label": 0}], tree, root, blocks)
    assert len(problems) == 1 and "selects no block" in problems[0]


def test_selector_labels_reach_training_labels():
    from boilerstrip.train import prepare_page

    page = next(p for p in load_corpus(EXAMPLE) if p.id == "chess-final")
    pd = prepare_page(page, "example")
    by_text = dict(zip(pd.blocks.text, pd.y.tolist()))
    assert by_text["She will represent the county at the national championships in the spring."] == 1
    assert by_text["Northfield Post"] == 0
    assert by_text["© Northfield Post. Part of the Northfield Media group."] == 0
    assert by_text[next(t for t in pd.blocks.text if t.startswith("Sign up for our weekly"))] == 0
    assert by_text["Teenager wins county chess final in six-hour game"] == -1  # not labeled


def test_bad_selector_makes_the_page_fail_preparation():
    from boilerstrip.datasets import Page
    from boilerstrip.train import prepare_page

    page = Page("x", Path("x.html"), labels=[{"selector": "div[", "label": 1}])
    with pytest.raises(ValueError, match="invalid CSS selector"):
        prepare_page(page, "c", ARTICLE.encode())


def test_comment_snippets_label_their_whole_thread_for_training():
    """A record's ``comments`` snippets (trafilatura's evaluation set has them)
    make the comment section they sit in boilerplate, not only the quoted blocks."""
    from boilerstrip.datasets import Page
    from boilerstrip.train import prepare_page

    html = ("<html><body><article><p>The harbour wall was repaired over the winter "
            "at a cost of two million pounds.</p></article><section id='comments'>"
            + "".join(f"<div class='comment'><p>Reader {k} writes that the wall looks "
                      f"better than ever, point {k}.</p></div>" for k in range(4))
            + "</section><footer><p>Contact the newsroom</p></footer></body></html>")
    page = Page("x", Path("x.html"), with_snippets=["harbour wall was repaired"],
                extra={"comments": ["Reader 2 writes that the wall looks better"]})
    by_text = dict(zip(*(lambda pd: (pd.blocks.text, pd.y.tolist()))(
        prepare_page(page, "c", html.encode()))))
    assert by_text["The harbour wall was repaired over the winter at a cost of two "
                   "million pounds."] == 1
    for k in range(4):
        assert by_text[f"Reader {k} writes that the wall looks better than ever, point {k}."] == 0
    assert by_text["Contact the newsroom"] == -1      # outside the thread: still unknown
    # without the field, only snippets label blocks
    plain = prepare_page(Page("x", Path("x.html"), with_snippets=["harbour wall was repaired"]),
                         "c", html.encode())
    assert (plain.y == 0).sum() == 0


# --- the block-to-element mapping mirrors segment() --------------------------------

TAGS = sorted(BLOCK_TAGS - {"html", "body"})[:20] + [
    "span", "a", "b", "em", "br", "script", "style", "noscript", "template", "svg", "img",
    "button", "select"]
ATTRS = ["", " class='content'", " hidden", " style='display:none'", " aria-hidden='true'",
         " id='nav'"]
WORDS = st.sampled_from(["alpha", "beta", "gamma", "delta", "news", "  ", "\n", "&amp;", "x"])


@st.composite
def html_trees(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 4 else 0))):
        if draw(st.booleans()):
            parts.append(" ".join(draw(st.lists(WORDS, min_size=1, max_size=4))))
        else:
            tag = draw(st.sampled_from(TAGS))
            attr = draw(st.sampled_from(ATTRS))
            inner = draw(html_trees(depth=depth + 1))
            parts.append(f"<{tag}{attr}>{inner}</{tag}>")
    return "".join(parts)


def _subsequence(needle: list, hay: list) -> bool:
    it = iter(hay)
    return all(tok in it for tok in needle)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html_trees())
def test_owner_nodes_agree_with_segment(body):
    tree, root, blocks = parse_and_segment(f"<html><body>{body}</body></html>")
    owners = bc.owner_nodes(root, blocks)   # raises if the walk and segment() disagree
    assert len(owners) == len(blocks)
    for text, node in zip(blocks.text, owners):
        # the block's characters occur, in order, in its owner's text (which may
        # hold more: other blocks, hidden or skipped text)
        owner_chars = re.sub(r"\s+", "", node.text(deep=True))
        assert _subsequence(list(re.sub(r"\s+", "", text)), list(owner_chars))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400), st.text(max_size=80))
def test_check_page_never_raises(raw, gold):
    from boilerstrip.datasets import Page

    page = Page("p", Path("p.html"), text=gold, with_snippets=[gold],
                labels=[{"selector": gold or "p", "label": 1}, {"index": 0, "label": 0}])
    issues = bc.check_page(page, raw)
    assert all(i.severity in ("error", "warning") for i in issues)
    assert all(i.page == "p" for i in issues)


# --- the shared datasets ------------------------------------------------------------

@pytest.mark.parametrize("name", TRAINABLE_SETS + EVALUATION_SETS)
def test_shared_dataset_records_are_valid(name):
    require_dataset(name)
    report = bc.read_records(name)
    assert report.errors == [], report.format()
    assert len(report.usable_pages()) == report.records


def test_shared_gold_files_match_the_manifest():
    """corpus/manifests.json pins the sha256 of every dataset's gold.jsonl."""
    import hashlib

    manifest = json.loads((EXAMPLE.parent / "manifests.json").read_text())
    assert set(manifest["datasets"]) == set(TRAINABLE_SETS + EVALUATION_SETS)
    for name, entry in manifest["datasets"].items():
        assert entry["trainable"] == (name in TRAINABLE_SETS)
        assert entry["source"] and entry["licence"] and entry["fetch"]
        path = require_dataset(name) / "gold.jsonl"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["gold_sha256"], name
        assert entry["pages"] == len(load_corpus(name))
        folder = path.parent
        listing = "".join(
            f"{hashlib.sha256(f.read_bytes()).hexdigest()}  {f.relative_to(folder).as_posix()}\n"
            for f in sorted((folder / "pages").rglob("*"),
                            key=lambda f: f.relative_to(folder).as_posix().encode())
            if f.is_file())
        assert hashlib.sha256(listing.encode()).hexdigest() == entry["pages_sha256"], name
