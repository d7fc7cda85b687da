import json

from boilerstrip import render
from boilerstrip.parse import parse
from boilerstrip.segment import segment

HTML = ("<h2>Sub *head*</h2><p>First &lt;para&gt;</p><ul><li>one</li><li>two</li></ul>"
        "<ol><li>alpha</li></ol><blockquote><p>quoted</p></blockquote>"
        "<table><tr><th>k</th><th>v</th></tr><tr><td>a|b</td><td>1</td></tr></table>"
        "<pre>code  here</pre><p># not a heading</p>")


def blocks():
    return segment(parse(HTML).body)


def test_text_is_one_block_per_line():
    b = blocks()
    assert render.to_text(b, [1, 2]) == "First <para>\none"


def test_markdown_structures_and_escaping():
    b = blocks()
    md = render.to_markdown(b, list(range(len(b))), "Title")
    assert md.startswith("# Title\n\n## Sub *head*")
    assert "- one\n- two" in md and "1. alpha" in md
    assert "> quoted" in md
    assert "| k | v |\n|---|---|\n| a\\|b | 1 |" in md
    assert "```\ncode here\n```" in md
    assert "\\# not a heading" in md


def test_html_escapes_and_groups():
    b = blocks()
    h = render.to_html(b, list(range(len(b))), "T & U")
    assert h.startswith("<article>\n<h1>T &amp; U</h1>")
    assert "<p>First &lt;para&gt;</p>" in h
    assert "<ul><li>one</li><li>two</li></ul>" in h and "<ol><li>alpha</li></ol>" in h
    assert "<table><tr><td>k</td><td>v</td></tr><tr><td>a|b</td><td>1</td></tr></table>" in h
    assert h.endswith("</article>")


def test_json_lists_every_block():
    b = blocks()
    kept = [i % 2 == 0 for i in range(len(b))]
    d = json.loads(render.to_json(b, [0.5] * len(b), kept, "T", "u", 0.4, 0))
    assert [x["kept"] for x in d["blocks"]] == kept
    assert d["blocks"][0]["headline"] and not d["blocks"][1]["headline"]
    assert d["threshold"] == 0.4 and d["url"] == "u"
