import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from boilerstrip import decode, features
from boilerstrip.parse import parse
from boilerstrip.segment import segment


def test_best_run_finds_max_sum_span():
    assert decode.best_run(np.array([-1.0, 2, 3, -1, 4, -10, 5])) == (1, 5)
    assert decode.best_run(np.array([-1.0, -2])) == (0, 0)


def test_window_mean_is_word_weighted():
    p = np.array([1.0, 0.0, 1.0])
    w = np.array([1.0, 2.0, 1.0])
    m = decode._window_mean(p, w, 3)
    assert np.isclose(m[1], 0.5)
    assert np.isclose(m[0], 1 / 3)


def test_context_features_shape_and_run_membership():
    html = "".join(f"<p>{'word ' * 30}</p>" for _ in range(6))
    b = segment(parse(html).body)
    X = features.compute(b)
    p = np.array([0.1, 0.9, 0.8, 0.95, 0.2, 0.1])
    C = decode.context_features(X, p, b)
    assert C.shape == (6, len(decode.CONTEXT_NAMES))
    in_run = C[:, decode.CONTEXT_NAMES.index("in_run")]
    assert in_run.tolist() == [0, 1, 1, 1, 0, 0]
    assert C[0, decode.CONTEXT_NAMES.index("p@+1")] == 0.9
    assert C[0, decode.CONTEXT_NAMES.index("p@-1")] == -1


def test_decide_threshold():
    assert decode.decide(np.array([0.2, 0.5, 0.7]), 0.5).tolist() == [False, True, True]


def test_decide_drops_a_mostly_dropped_small_box_whole():
    html = ("<div class='body'>" + "".join(f"<p>{'article words ' * 40}</p>" for _ in range(6))
            + "<div class='box'><p>" + "appeal words " * 20 + "</p><p>" + "more appeal " * 20
            + "</p><p>" + "last appeal " * 5 + "</p></div></div>")
    b = segment(parse(html).body)
    p = np.array([0.99] * 6 + [0.7, 0.1, 0.05])
    assert decode.decide(p, 0.5).tolist() == [True] * 7 + [False, False]
    assert decode.decide(p, 0.5, b).tolist() == [True] * 6 + [False] * 3
    # however sure a block of it is (the example page's first appeal paragraph
    # scores 0.815 with the bundled model, up to 0.974 with retrained ones) ...
    assert decode.decide(np.array([0.99] * 6 + [0.97, 0.1, 0.05]), 0.5, b).tolist() == [True] * 6 + [False] * 3
    # ... but a box that is mostly kept is left alone
    assert decode.decide(np.array([0.99] * 6 + [0.7, 0.8, 0.05]), 0.5, b)[6:8].all()


def test_bundled_context_stage_only_rises_with_first_stage_scores():
    # trained with context_monotonic: a higher first-stage score of the block,
    # its neighbours, windows or containers never lowers its final score (the
    # model before it did so in 174 of these 364 cases)
    from pathlib import Path

    from boilerstrip import api
    from boilerstrip.model import load_model

    m = load_model()
    html = (Path(__file__).resolve().parent.parent / "examples" / "news-with-appeal.html").read_text()
    a = api.analyse(html, m)
    C = decode.context_features(a.X, a.block_scores, a.blocks)
    grid = np.linspace(0, 1, 21)
    for row in C:
        for name in decode.SCORE_FEATURES:
            rows = np.repeat(row[None, :], len(grid), axis=0)
            rows[:, decode.CONTEXT_NAMES.index(name)] = grid
            assert np.all(np.diff(m.context.predict_proba(rows)) >= -1e-12), name


def test_best_box_is_the_subtree_with_the_largest_gain():
    html = ("<div id=menu><p>a</p><p>b</p></div>"
            "<div id=story><section><p>c</p><p>d</p></section><p>e</p></div>")
    b = segment(parse(html).body)
    gain = np.array([-1.0, -1.0, 2.0, 2.0, 1.0])
    box = decode.best_box(b, gain)
    assert box == b.parent[4]                      # div#story: 5 beats its section's 4
    gain = np.array([-1.0, -1.0, 2.0, 2.0, -3.0])
    assert decode.best_box(b, gain) == b.parent[2]   # the section
    X = features.compute(b)
    C = decode.context_features(X, np.array([0.1, 0.1, 0.9, 0.9, 0.8]), b)
    assert C[:, decode.CONTEXT_NAMES.index("in_best_box")].tolist() == [0, 0, 1, 1, 1]


def _words(b):
    return np.array([t.count(" ") + 1.0 for t in b.text])


def test_region_drops_a_box_far_from_the_article():
    # an old blog: the post in a column of date headers and comments, an
    # "about me" box in a sidebar beside that column
    html = ("<div id=content><div id=main><div id=posts><div class=date-outer>"
            "<h2>Monday, 12 March</h2><div class=post-outer><div class=post>"
            "<h3>The post title</h3><div class=post-body>"
            + "".join(f"<p>{'article words ' * 30}</p>" for _ in range(6))
            + "</div></div></div></div><div class=comments>"
            + "".join(f"<p>{'comment words ' * 10}</p>" for _ in range(3))
            + "</div></div></div><div id=sidebar><div id=about><p>" + "about me " * 20
            + "</p></div></div></div>")
    b = segment(parse(html).body)
    assert len(b) == 12 and b.text[-1].startswith("about me")
    p = np.array([0.1, 0.7] + [0.95] * 6 + [0.1] * 3 + [0.8])
    region = decode.region(p, b, _words(b))
    assert region.tolist() == [True] * 11 + [False]     # the column holding the post
    assert decode.decide(p, 0.5, b).tolist() == [False] + [True] * 7 + [False] * 4
    assert decode.decide(p, 0.5)[-1]                     # without blocks: no region
    # a lower threshold lets a block outside the region back in, at twice the threshold
    assert decode.decide(p, 0.4, b)[-1] and not decode.decide(p, 0.41, b)[-1]
    assert decode.decide(p, 0.0, b).all()


def test_region_climbs_no_further_than_the_headline_container():
    # a blog post (headline and body in one container) in a column beside a
    # sidebar whose "about this blog" box scores as content: three levels up
    # from the body lies the whole page, the headline's container holds the post
    html = ("<div id=site><div id=page><div id=cols><div class=post><h1>Week ahead</h1>"
            "<div class=body>" + "".join(f"<p>{'article words ' * 30}</p>" for _ in range(4))
            + "</div></div><div id=side><div class=about><p>" + "this blog is written by " * 10
            + "</p></div><p>" + "archive of older posts " * 10 + "</p></div></div></div>"
            "<div id=footer><p>" + "footer words " * 5 + "</p></div></div>")
    b = segment(parse(html).body)
    assert len(b) == 8 and b.text[5].startswith("this blog")
    p = np.array([0.3] + [0.95] * 4 + [0.7, 0.1, 0.1])
    assert decode.region(p, b, _words(b)).tolist() == [True] * 7 + [False]
    assert decode.region(p, b, _words(b), headline=0).tolist() == [True] * 5 + [False] * 3
    assert decode.decide(p, 0.5, b).tolist() == [False] + [True] * 5 + [False] * 2
    assert decode.decide(p, 0.5, b, headline=0, lede_anchor=False).tolist() == (
        [False] + [True] * 4 + [False] * 3)
    # a headline the climb does not meet (the footer's) changes nothing
    assert decode.region(p, b, _words(b), headline=7).tolist() == [True] * 7 + [False]


def test_region_widens_until_it_holds_most_of_the_kept_words(monkeypatch):
    # a forum thread: each post's text nested deep in its own container, the
    # posts separated by long low-scoring author lines; the best box is one post
    post = ("<article class=post><div class=body><div class=message><div class=meta><p>"
            + "member since date posts " * 10 + "</p></div><div class=wrap><div class=inner>"
            "<div class=text><p>{}</p></div></div></div></div></div></article>")
    html = ("<div id=nav><p>Forum home</p></div><div id=thread>"
            + "".join(post.format(f"post {k} " + "reply words " * 15) for k in range(6))
            + "</div><div id=footer><p>" + "footer words " * 10 + "</p></div>")
    b = segment(parse(html).body)
    assert len(b) == 14
    is_post = np.array([t.startswith("post ") for t in b.text])
    p = np.where(is_post, 0.9, 0.1)
    p[-1] = 0.7                                    # the footer scores as content
    kept = decode.decide(p, 0.5, b)
    assert kept.tolist() == is_post.tolist()      # every post, not the footer
    monkeypatch.setattr(decode, "REGION_KEPT_SHARE", 0.0)
    assert decode.decide(p, 0.5, b).sum() == 1     # three levels alone: one post


def test_region_keeps_blocks_nested_deeper_than_the_ancestor_table():
    # two halves of an article, one 60 block-level elements deep: the region
    # climbs above both, further up than the deep half's table of ancestors reaches
    from boilerstrip.segment import MAX_CLIMB

    deep = 60
    assert deep > MAX_CLIMB
    html = ("<div id=page><div id=story><div><p>" + "shallow words " * 50 + "</p></div>"
            + "<div>" * deep + "<p>" + "deep words " * 60 + "</p>" + "</div>" * deep
            + "</div><div id=footer><p>" + "footer words " * 5 + "</p></div></div>")
    b = segment(parse(html).body)
    assert [t.split()[0] for t in b.text] == ["shallow", "deep", "footer"]
    assert b.ancestor_levels.shape[0] == MAX_CLIMB + 1 and b.ancestor_levels[-1, 1] != 0
    p = np.array([0.9, 0.9, 0.1])
    assert decode.region(p, b, _words(b))[:2].all()
    assert decode.decide(p, 0.5, b).tolist() == [True, True, False]


def test_subtree_sums_count_each_block_once_per_ancestor():
    html = "<div id=a><div id=b><p>x</p><p>y</p></div><p>z</p></div><p>w</p>"
    b = segment(parse(html).body)
    sums = decode.subtree_sums(b, np.array([1.0, 2.0, 4.0, 8.0]))
    assert sums[0] == 15                           # the root: every block once
    assert sums[b.parent[0]] == 3                  # div#b
    assert sums[b.parent[2]] == 7                  # div#a
    assert sums[b.owner[3]] == 8


_NESTED_PAGE = segment(parse(
    "<div id=a><div><div><div><p>one two</p><p>three</p></div><p>four five six</p></div>"
    "<ul><li>x</li><li>y z</li></ul></div></div><div id=b><p>seven eight</p>"
    "<div><p>nine</p><div><p>ten eleven twelve</p></div></div></div><footer><p>end</p></footer>").body)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=len(_NESTED_PAGE), max_size=len(_NESTED_PAGE)),
       st.floats(0, 1), st.floats(0, 1), st.sampled_from([None, 0, 2, 5]),
       st.lists(st.booleans(), min_size=len(_NESTED_PAGE), max_size=len(_NESTED_PAGE)),
       st.booleans())
def test_a_lower_threshold_never_keeps_less(scores, t1, t2, headline, dateline, anchor):
    # the region, the box rule and the lede depend on the scores, not on the threshold
    lo, hi = min(t1, t2), max(t1, t2)
    p = np.array(scores)
    d = np.array(dateline)
    assert not (decode.decide(p, hi, _NESTED_PAGE, headline, d, anchor)
                & ~decode.decide(p, lo, _NESTED_PAGE, headline, d, anchor)).any()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=len(_NESTED_PAGE), max_size=len(_NESTED_PAGE)),
       st.floats(0, 1), st.integers(0, len(_NESTED_PAGE) - 1))
def test_the_headline_only_narrows_the_region(scores, threshold, headline):
    # the climb stops at the headline's container or goes on as without one:
    # the region, and so what is kept apart from the lede, can only shrink
    p = np.array(scores)
    words = np.array([t.count(" ") + 1.0 for t in _NESTED_PAGE.text])
    narrow = decode.region(p, _NESTED_PAGE, words, headline)
    assert not (narrow & ~decode.region(p, _NESTED_PAGE, words)).any()
    assert not (decode.decide(p, threshold, _NESTED_PAGE, headline, lede_anchor=False)
                & ~decode.decide(p, threshold, _NESTED_PAGE)).any()


# a blog page: a two-line post under its title, then its comment form; a
# sidebar whose "about us" box reads like an article
_BLOG = segment(parse(
    "<div id=wrap><div id=main><div class=post><h2>Our trip to the coast</h2>"
    "<div class=meta><p>Posted 12 March</p></div><div class=entry><p>"
    + "short post words " * 8 + "</p><p>" + "second line words " * 5 + "</p></div>"
    "<h3>Leave a comment</h3><p>Name (required)</p></div></div>"
    "<div id=side><h2>About us</h2><p>" + "we are two sisters who travel " * 8
    + "</p></div></div>").body)


def test_the_lede_under_a_title_headline_is_kept():
    b = _BLOG
    assert [t.split()[0] for t in b.text] == ["Our", "Posted", "short", "second", "Leave",
                                              "Name", "About", "we"]
    p = np.array([0.4, 0.2, 0.45, 0.4, 0.05, 0.05, 0.3, 0.95])
    assert decode.decide(p, 0.5, b).tolist() == [False] * 7 + [True]
    # with the headline: its two blocks after it, in its container, from 0.5 ** 1.75 = 0.30 up
    kept = decode.decide(p, 0.5, b, headline=0)
    assert kept.tolist() == [False, False, True, False, False, False, False, True]
    assert decode.lede(b, 0) == [1, 2]
    # on a page where no block is sure, the bar is 0.5 ** 3.3 = 0.10
    unsure = decode.decide(np.where(p == 0.95, 0.85, p), 0.5, b, headline=0)
    assert unsure[[1, 2]].all() and not unsure[3]
    assert not decode.decide(p, 1.0, b, headline=0).any()       # the bar meets 1 at 1
    assert decode.decide(p, 0.0, b, headline=0).all()


def test_the_lede_is_left_to_the_model_where_it_found_the_article():
    # the story under the headline scores high: a block between them that the
    # model dropped (an appeal, a sign-in notice) stays dropped, but a dateline
    # there still gets the lede's bar
    b = _BLOG
    p = np.array([0.4, 0.35, 0.45, 0.9, 0.05, 0.05, 0.3, 0.95])
    assert decode.article_found(p, b, 0)
    assert not decode.article_found(np.where(p == 0.9, 0.45, p), b, 0)
    kept = decode.decide(p, 0.5, b, headline=0)
    assert kept.tolist() == [False, False, False, True, False, False, False, True]
    dateline = np.array([False, True] + [False] * 6)
    kept = decode.decide(p, 0.5, b, headline=0, dateline=dateline)
    assert kept.tolist() == [False, True, False, True, False, False, False, True]


def test_the_lede_stops_at_a_heading_and_outside_the_headline_container():
    b = _BLOG
    assert decode.lede(b, 3) == []          # next block is a heading
    assert decode.lede(b, 6) == [7]         # the sidebar's heading: its box only
    assert decode.lede(b, 7) == []          # the last block
    # a block under neither the headline's parent nor grandparent ends the lede
    html = ("<div id=a><div id=b><h2>Title</h2><p>lede</p></div></div>"
            "<div id=c><div id=d><p>elsewhere</p></div></div>")
    b2 = segment(parse(html).body)
    assert decode.lede(b2, 0) == [1]


def test_link_text_does_not_widen_the_region():
    # an old blog: the post nested in a column of boxes (date line, comments,
    # related links, a footer note), and beside the column a sidebar of archive
    # links that scores as content; the links are most of the page's likely words
    links = "".join(f"<a href=/{k}>month {k} archive</a> " for k in range(60))
    html = ("<div id=cols><div id=d><div id=c><div id=b><div id=a><div class=entry><p>"
            + "post words " * 40 + "</p><p>" + "more post words " * 20 + "</p></div>"
            "<p>" + "posted by a writer " * 8 + "</p></div><p>" + "comments are closed " * 8
            + "</p></div><p>" + "related story one " * 8 + "</p></div><p>" + "footer note " * 12
            + "</p></div>"
            "<div id=side><div class=archive>" + links + "</div></div></div>")
    b = segment(parse(html).body)
    assert len(b) == 7 and b.link_chars[6] > 0.9 * len(b.text[6])   # spaces between links
    p = np.array([0.95, 0.9, 0.1, 0.1, 0.1, 0.1, 0.65])
    assert decode.decide(p, 0.5, b).tolist() == [True, True] + [False] * 5
    # counted as likely words, the links would lift the region over the sidebar
    b.link_chars[6] = 0
    assert decode.decide(p, 0.5, b).tolist() == [True, True] + [False] * 4 + [True]
