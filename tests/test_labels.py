import numpy as np
import pytest

from boilerstrip import labels


def test_from_text_aligns_trigrams():
    blocks = ["The council approved the new flood wall on Tuesday night.",
              "Subscribe to our newsletter",
              "approved the plan",        # 3 tokens present? only if in order
              "Home"]
    gold = "Intro line.\nThe council approved the new flood wall on Tuesday night. More text here."
    y = labels.from_text(blocks, gold)
    assert y[0] == 1 and y[1] == 0 and y[3] == 0
    assert y[2] == 0   # words occur in the gold, but not in this order


def test_snippets_label_only_what_they_touch():
    blocks = ["A long paragraph about the flood wall and its costs for the town.",
              "Sign up for our newsletter today", "Unrelated block"]
    y = labels.from_snippets(blocks, ["flood wall and its costs"], ["Sign up for our newsletter"])
    assert y.tolist() == [1, 0, -1]


def test_explicit_block_labels_and_errors():
    blocks = ["a", "b", "b"]
    y = labels.from_block_labels(blocks, [{"index": 0, "label": 1}, {"text": "b", "label": 0}])
    assert y.tolist() == [1, 0, 0]
    with pytest.raises(ValueError):
        labels.from_block_labels(blocks, [{"index": 5, "label": 1}])
    with pytest.raises(ValueError):
        labels.from_block_labels(blocks, [{"index": 0, "label": 3}])


def test_derive_precedence():
    blocks = ["The council approved the new flood wall.", "Share this story with friends"]
    y = labels.derive(blocks, text="The council approved the new flood wall.",
                      block_labels=[{"index": 0, "label": 0}])
    assert y.tolist() == [0, 0]
    assert labels.derive(blocks).tolist() == [-1, -1]


def _blocks(html):
    from boilerstrip.api import parse_and_segment
    return parse_and_segment(html)[2]


THREAD_PAGE = """<html><body class="comments-open"><div id="story">
<p>The council approved the new flood wall on Tuesday night after a long debate.</p>
<p>Work starts in spring and should be finished before the autumn storms.</p></div>
<div class="subscribe"><p>Sign up for our newsletter to get the morning briefing.</p></div>
<div id="comments"><h3>3 responses</h3><ol class="commentlist">
<li class="comment"><p>Finally! We have waited ten years for this wall.</p></li>
<li class="comment"><p>Who pays for it? Not a word about the taxes here.</p></li>
<li class="comment"><p>My cellar flooded twice last winter, so I am glad.</p></li>
</ol></div><div class="footer"><p>Contact us</p></div></body></html>"""


def test_spread_comments_labels_the_whole_thread_and_nothing_else():
    b = _blocks(THREAD_PAGE)
    text = list(b.text)
    y = labels.derive(text, with_=["flood wall on Tuesday"],
                      without=["Who pays for it?"])
    before = y.copy()
    out = labels.spread_comments(b, y, ["Who pays for it?"])
    by = dict(zip(text, out.tolist()))
    assert by["Finally! We have waited ten years for this wall."] == 0
    assert by["My cellar flooded twice last winter, so I am glad."] == 0
    assert by["3 responses"] == 0
    # outside the comment section nothing changes: the page body is marked
    # "comments-open" but holds the article, so the climb stops below it
    assert by[text[0]] == 1
    assert by["Work starts in spring and should be finished before the autumn storms."] == -1
    assert by["Sign up for our newsletter to get the morning briefing."] == -1
    assert by["Contact us"] == -1
    assert np.array_equal(y, before)                      # input left alone


def test_spread_comments_never_overrides_content_or_needs_a_match():
    b = _blocks(THREAD_PAGE)
    text = list(b.text)
    i = text.index("Finally! We have waited ten years for this wall.")
    y = np.full(len(text), -1, dtype=np.int8)
    y[i] = 1                                   # gold says this one is content
    out = labels.spread_comments(b, y, ["Who pays for it?"])
    assert out[i] == 1
    # the thread holds a content block, so it is not a comment section
    assert out[text.index("My cellar flooded twice last winter, so I am glad.")] == -1
    # a snippet that matches nothing changes nothing
    assert labels.spread_comments(b, y, ["no such words anywhere"]).tolist() == y.tolist()
