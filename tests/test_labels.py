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
