import numpy as np

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
    # a very sure block survives, and a box that is mostly kept is left alone
    assert decode.decide(np.array([0.99] * 6 + [0.95, 0.1, 0.05]), 0.5, b)[6]
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
    levels = b.ancestor_levels
    gain = np.array([-1.0, -1.0, 2.0, 2.0, 1.0])
    box = decode.best_box(levels, gain, len(b.element_parent))
    assert box == b.parent[4]                      # div#story: 5 beats its section's 4
    gain = np.array([-1.0, -1.0, 2.0, 2.0, -3.0])
    assert decode.best_box(levels, gain, len(b.element_parent)) == b.parent[2]   # the section
    X = features.compute(b)
    C = decode.context_features(X, np.array([0.1, 0.1, 0.9, 0.9, 0.8]), b)
    assert C[:, decode.CONTEXT_NAMES.index("in_best_box")].tolist() == [0, 0, 1, 1, 1]
