import numpy as np

from boilerstrip import augment
from boilerstrip.parse import parse
from boilerstrip.segment import segment


def page():
    html = ("<nav><a href='/'>Home</a></nav><article>"
            + "".join(f"<p>Paragraph {i} of the story, with enough words to read.</p>" for i in range(8))
            + "</article><footer>footer</footer>")
    b = segment(parse(html).body)
    y = np.array([0] + [1] * 8 + [0], dtype=np.int8)
    return b, y


def assert_container_tree(b):
    """The element columns line up and the container tree agrees with the blocks'
    parent and grandparent columns (features climb it)."""
    assert len(b.element_chars) == len(b.element_tag) == len(b.element_mask) == len(b.element_parent)
    for i in range(len(b)):
        assert b.element_parent[b.owner[i]] == b.parent[i]
        if b.parent[i] != 0:
            assert b.element_parent[b.parent[i]] == b.grandparent[i]


def test_synthetic_texts_are_prose_from_the_category():
    rng = np.random.default_rng(0)
    for cat in augment.FRAGMENTS:
        texts = augment.synth_texts(rng, cat)
        assert 1 <= len(texts) <= 3
        assert all(t and t[-1] in ".!?" for t in texts)


def test_augment_inserts_boilerplate_inside_the_article_run():
    b, y = page()
    seen = 0
    for pid in map(str, range(40)):
        b2, y2, n = augment.augment(b, y, pid, seed=0)
        if not n:
            assert b2 is b
            continue
        assert len(b2) == len(b) + n and len(y2) == len(y) + n
        assert (y2 == 0).sum() == (y == 0).sum() + n
        content = np.nonzero(y2 == 1)[0]
        new = [i for i, t in enumerate(b2.text) if t not in b.text]
        assert len(new) == n and all(content[0] < i < len(y2) - 1 for i in new)
        assert all(b2.tag[i] == "p" for i in new)          # structure of the article
        # every column has one entry per block
        for name in ("link_chars", "tag", "depth", "own_mask", "anc_mask", "owner", "parent"):
            assert len(getattr(b2, name)) == len(b2)
        assert max(b2.owner) < len(b2.element_chars)
        assert_container_tree(b2)
        seen += 1
    assert 10 <= seen <= 30      # about AUGMENT_SHARE of the pages


def test_augment_is_deterministic():
    b, y = page()
    a = augment.augment(b, y, "page-7", seed=3)
    c = augment.augment(b, y, "page-7", seed=3)
    assert a[0].text == c[0].text and a[1].tolist() == c[1].tolist()


def test_comment_thread_follows_the_article_and_is_boilerplate():
    b, y = page()
    pool = [f"A borrowed paragraph number {i} from another page of the corpus." for i in range(30)]
    seen = 0
    for pid in map(str, range(60)):
        b2, y2, n = augment.augment_comments(b, y, pid, pool, "Title", seed=0)
        if not n:
            assert b2 is b and y2 is y
            continue
        seen += 1
        last = int(np.nonzero(y == 1)[0][-1])
        thread = range(last + 1, last + 1 + n)
        assert len(b2) == len(b) + n and (y2[list(thread)] == 0).all()
        assert y2[:last + 1].tolist() == y[:last + 1].tolist()      # the article is untouched
        assert b2.text[last + 1 + n:] == b.text[last + 1:]          # and so is what followed it
        # every column has one entry per block, every element id exists
        for name in b2.__dataclass_fields__:
            if not name.startswith("element_"):
                assert len(getattr(b2, name)) == len(b2), name
        assert_container_tree(b2)
        assert max(max(b2.owner), max(b2.parent), max(b2.grandparent)) < len(b2.element_chars)
        # one repeated container per comment: several blocks share each item parent
        items = {b2.parent[i] for i in thread if b2.grandparent[i] != b.grandparent[last]}
        assert len(items) >= 2
        assert any(t in pool or t.endswith(tuple(pool)) for t in b2.text[last + 1:last + 1 + n])
    assert 8 <= seen <= 30      # about COMMENT_SHARE of the pages


def test_comment_thread_needs_an_article_and_is_deterministic():
    b, y = page()
    none = np.zeros_like(y)
    assert augment.augment_comments(b, none, "x", ["text"], None)[2] == 0
    a = augment.augment_comments(b, y, "page-3", ["some prose here"] * 5, "T", seed=1)
    c = augment.augment_comments(b, y, "page-3", ["some prose here"] * 5, "T", seed=1)
    assert a[0].text == c[0].text and a[0].parent == c[0].parent
