import numpy as np

from boilerstrip import features
from boilerstrip.parse import parse
from boilerstrip.segment import segment


def matrix(html, title=None):
    b = segment(parse(html).body)
    return b, features.compute(b, title)


def col(name):
    return features.FEATURE_NAMES.index(name)


def test_shape_matches_names_and_is_finite():
    b, X = matrix("<p>Hello world.</p><div><a href='#'>Home</a></div>")
    assert X.shape == (2, len(features.FEATURE_NAMES))
    assert np.isfinite(X).all()


def test_empty_page_gives_empty_matrix():
    b, X = matrix("")
    assert X.shape == (0, len(features.FEATURE_NAMES))


def test_link_density_and_words():
    b, X = matrix("<p>one two three four</p><p><a href='#'>all link</a></p>")
    assert X[0, col("link_density")] == 0
    assert X[1, col("link_density")] == 1
    assert np.isclose(np.expm1(X[0, col("log_words")]), 4)


def test_phrasing_features_see_who_is_addressed():
    b, X = matrix("<p>Support our journalism. Donate now and help us.</p>"
                  "<p>The council approved the plan on Tuesday after a long debate.</p>"
                  "<p>Thanks for registering. Please refresh the page to sign in to your account.</p>")
    assert X[0, col("first_plural_rate")] > 0 and X[1, col("first_plural_rate")] == 0
    assert X[0, col("cta_start")] >= 2          # "Support", "Donate" open clauses
    assert X[2, col("second_person_rate")] > 0 and X[2, col("thanks")] == 1
    assert X[1, col("cta_rate")] == 0
    assert X[1, col("stopword_density")] > 0.2


def test_dates_copyright_and_title_overlap():
    b, X = matrix("<h1>Flood wall rebuilt</h1><p>© 2024 Courier. All rights reserved.</p>"
                  "<p>Published March 3, 2024 at 10:15</p>", title="Flood wall rebuilt | Courier")
    assert X[1, col("copyright")] >= 1
    assert X[2, col("dates")] >= 2
    assert X[0, col("title_overlap")] > 0.5 and X[1, col("title_overlap")] < X[0, col("title_overlap")]


def test_neighbour_columns_shift():
    b, X = matrix("<p>a</p><p>b b</p><p>c c c</p>")
    assert X[1, col("log_words@-1")] == X[0, col("log_words")]
    assert X[1, col("log_words@+1")] == X[2, col("log_words")]
    assert X[0, col("log_words@-1")] == features.MISSING


def test_language_aware_stopwords():
    de = "<p>Der Rat hat die Pläne für den Bau der Mauer mit einer großen Mehrheit angenommen.</p>"
    b, X = matrix(de)
    assert X[0, col("stopword_density")] > 0.3


def test_comment_thread_features():
    thread = "".join(
        f"<li class='comment'><div class='comment-author'>Reader {i}</div>"
        f"<div class='comment-body'><p>I think my view on this is different, I read it twice.</p></div>"
        f"<div class='reply'><a href='#'>Reply</a></div></li>" for i in range(4))
    html = ("<div class='page comments-open'><main><div class='wrap'><article><p>The council "
            "approved the plan on Tuesday after a long debate about the budget.</p></article>"
            f"</div></main><ol class='commentlist'>{thread}</ol></div>")
    b, X = matrix(html)
    article = 0
    comment = b.text.index("I think my view on this is different, I read it twice.")
    reply = b.text.index("Reply")
    assert X[comment, col("first_singular_rate")] > 0.2 and X[article, col("first_singular_rate")] == 0
    assert X[reply, col("comment_words")] == 1 and X[article, col("comment_words")] == 0
    # the comment's own containers say "comment"; for the article only a far ancestor does
    assert X[comment, col("near_comment")] == 1 and X[article, col("near_comment")] == 0
    assert X[article, col("anc_comment")] == 1       # (from div.comments-open)
    # four comments repeat one template; the article container is alone
    assert X[comment, col("grandparent_repeat")] == np.log1p(4)
    assert X[article, col("parent_repeat")] == np.log1p(1)


def test_sentences_dates_urls_and_separators_on_code_points():
    b, X = matrix("<p>One. Two! \u201cThree?\u201d Four\u2026 Not.a.sentence</p>"
                  "<p>On 12.03.2024 at 10:15, see www.example.com or mail x@example.org</p>"
                  "<p>Home \u00bb News | World</p><p>\u65e5\u672c \u8a9e \u6587</p>")
    assert X[0, col("sentences")] == 4
    assert X[1, col("dates")] >= 2 and X[0, col("dates")] == 0
    assert X[1, col("urls")] >= 2 and X[0, col("urls")] == 0
    assert X[2, col("separators")] == 2
    assert X[3, col("separators")] == 0          # CJK letters between spaces are words


def test_phrasing_is_also_measured_against_the_page_voice():
    we_blog = "".join(f"<p>We drove north and we camped by the lake; our tent leaked on day {i}.</p>"
                      for i in range(5))
    appeal = "<p>Support our newsroom: we need you, our readers. Donate to us today.</p>"
    b, X = matrix(we_blog + appeal)
    story, ask = 0, len(b) - 1
    # every paragraph says "we"; only the appeal says it more than its page does
    assert X[story, col("first_plural_rate")] > 0.1
    assert X[story, col("first_plural_excess")] < X[ask, col("first_plural_excess")]
    assert X[ask, col("cta_excess")] > 0 > X[story, col("cta_excess")]
    assert np.isclose(X[:, col("second_person_excess")].max(), X[ask, col("second_person_excess")])


ARTICLE_PAGE = ("<nav><ul><li><a href='/'>Home</a></li><li><a href='/w'>World</a></li></ul></nav>"
                "<main><article><h1>Flood wall rebuilt</h1><div class=body><p>The wall stands.</p>"
                "<p>It cost a lot.</p></div></article><aside><p>Most read</p></aside></main>")


def test_headline_features_relate_blocks_to_the_headline():
    b, X = matrix(ARTICLE_PAGE, title="Flood wall rebuilt - Courier")
    assert b.text[2] == "Flood wall rebuilt"
    assert X[:, col("has_headline")].tolist() == [1.0] * len(b)
    offset = X[:, col("headline_offset")]
    assert offset[2] == 0 and (offset[:2] < 0).all() and (offset[3:] > 0).all()
    share = X[:, col("headline_share")]
    # the smallest container shared with the headline: the page root for the
    # menu, <article> for the story, <main> for the aside
    total = b.element_chars[0]
    assert share[0] == share[1] == 1.0
    assert np.isclose(share[3], b.element_chars[b.grandparent[3]] / total)
    assert share[3] == share[4] < share[5] < 1.0
    assert share[2] == len("Flood wall rebuilt") / total


def test_no_headline_without_title_or_h1():
    b, X = matrix("<p>one two</p><h2>Not a headline</h2><p>three</p>")
    assert (X[:, col("has_headline")] == 0).all()
    assert (X[:, col("headline_offset")] == 0).all() and (X[:, col("headline_share")] == 1).all()


def test_headline_index_prefers_title_match_then_first_h1():
    tags = ["h1", "p", "h2", "p", "p"]
    assert features.headline_index(tags, np.array([0.2, 0, 0.9, 0, 0]), True) == 2
    assert features.headline_index(tags, np.array([0.2, 0, 0.4, 0, 0]), True) == 0
    # only the first HEADLINE_SEARCH share of the blocks is searched, unless
    # told to search further
    late = ["h1", "p", "p", "p", "h2"]
    assert features.headline_index(["p", "p", "p", "p", "h1"], np.zeros(5), False) is None
    assert features.headline_index(["p", "p", "p", "p", "h1"], np.zeros(5), False, search=1.0) == 4
    assert features.headline_index(late, np.array([0.3, 0, 0, 0, 0.9]), True) == 0
    assert features.headline_index(late, np.array([0.3, 0, 0, 0, 0.9]), True, search=1.0) == 4
    # other candidate blocks count only when no heading matches, and only above
    # their own overlap floor; the first <h1> comes after them
    tags = ["h1", "div", "p", "div"]
    ov = np.array([0.3, 0.85, 0, 0.95])

    def others(idx):
        return np.array([False, True, True, True])[idx]

    assert features.headline_index(tags, ov, True) == 0
    assert features.headline_index(tags, ov, True, search=1.0, others=others,
                                   others_overlap=0.8) == 3
    assert features.headline_index(tags, ov, True, search=1.0, others=others,
                                   others_overlap=0.96) == 0
    assert features.headline_index(["h2", "div"], np.array([0.9, 1.0]), True, search=1.0,
                                   others=lambda idx: idx == 1, others_overlap=0.8) == 0


def test_reach_counts_levels_to_the_nearest_marked_container():
    html = ("<div class='comments-area'><article class='post'><p>The story, told at length.</p>"
            "</article><ol class='comment-list'><li class='comment'><div class='body'>"
            "<p>A reader's reply to it.</p></div></li></ol></div>"
            "<div id='footer'><p>Contact</p></div>")
    b, X = matrix(html)
    reach = dict(zip(b.text, X[:, col("reach_comment")]))
    # reply: p (0) < div.body (1) < li.comment (2)
    assert reach["A reader's reply to it."] == 2
    # the story: p (0) < article.post (1) < div.comments-area (2); the other
    # columns (near_*, reach_post) tell the two apart
    assert reach["The story, told at length."] == 2
    assert X[0, col("reach_post")] == 1 and X[1, col("reach_post")] == features.MAX_REACH
    # no carrier at all counts as MAX_REACH
    assert reach["Contact"] == features.MAX_REACH
    assert X[2, col("reach_footer")] == 1
