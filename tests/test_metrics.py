"""The scoring metrics on hand-made cases whose numbers are worked out by hand."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boilerstrip import metrics
from boilerstrip.metrics import aggregate, bootstrap_std, score_page, score_snippets, shingles

GOLD = "one two three four five six seven eight nine ten"  # 10 tokens -> 7 shingles


def approx(x):
    return pytest.approx(x, abs=1e-12)


# --- tokens and shingles -------------------------------------------------------

def test_tokens_are_word_runs_with_case_kept():
    assert metrics.tokens("Hello, world! It's 2024-05.") == ["Hello", "world", "It", "s", "2024", "05"]
    assert metrics.tokens("") == [] and metrics.tokens(None) == []


def test_shingles_are_a_multiset_of_four_token_windows():
    s = shingles("a b c d e a b c d")
    assert s[("a", "b", "c", "d")] == 2
    assert s[("b", "c", "d", "e")] == 1
    assert sum(s.values()) == 6


def test_short_text_is_one_shingle_of_all_its_tokens():
    assert shingles("just three words") == {("just", "three", "words"): 1}
    assert shingles("   ") == {}


# --- one page ------------------------------------------------------------------

def test_perfect_output():
    s = score_page(GOLD, GOLD)
    assert (s.tp, s.fp, s.fn) == (approx(1), approx(0), approx(0))
    assert s.precision == s.recall == s.f1 == 1.0
    assert s.exact


def test_formatting_and_punctuation_do_not_matter_but_case_does():
    assert score_page("one, two\nthree -- four five six seven eight nine ten.", GOLD).exact
    s = score_page(GOLD.upper(), GOLD)
    assert s.tp == 0 and s.f1 == 0.0


def test_empty_output():
    s = score_page("", GOLD)
    assert s.pred_empty and not s.gold_empty
    assert (s.tp, s.fp, s.fn) == (0, 0, 1)
    assert s.recall == 0.0 and not s.exact


def test_empty_gold_and_empty_output_is_an_exact_match():
    s = score_page("", "")
    assert s.pred_empty and s.gold_empty and s.exact
    assert (s.tp, s.fp, s.fn) == (0, 0, 0)


def test_extra_text():
    # 3 extra tokens add 3 shingles (crossing the boundary or inside the extra): tp 7, fp 3
    s = score_page(GOLD + " buy our mugs", GOLD)
    assert (s.tp, s.fp, s.fn) == (approx(0.7), approx(0.3), approx(0))
    assert s.precision == approx(0.7) and s.recall == approx(1.0)
    assert s.f1 == approx(2 * 0.7 / 1.7)


def test_missing_text():
    # first 7 of 10 tokens: 4 shingles, all in gold; 3 gold shingles missed
    s = score_page("one two three four five six seven", GOLD)
    assert (s.tp, s.fp, s.fn) == (approx(4 / 7), approx(0), approx(3 / 7))
    assert s.precision == 1.0 and s.recall == approx(4 / 7)


def test_duplicated_output_counts_the_copy_as_false_positive():
    # GOLD twice: 17 shingles, 7 match the gold once each -> tp 7, fp 10
    s = score_page(GOLD + "\n" + GOLD, GOLD)
    assert (s.tp, s.fp, s.fn) == (approx(7 / 17), approx(10 / 17), approx(0))
    assert s.recall == 1.0 and s.precision == approx(7 / 17)


def test_duplicated_gold_paragraph_output_once_is_a_miss():
    para = "the council met on monday to vote"  # 7 tokens, 4 shingles
    s = score_page(para, para + "\n" + para)   # gold: 11 shingles
    assert (s.tp, s.fp, s.fn) == (approx(4 / 11), approx(0), approx(7 / 11))


def test_wrong_output_on_empty_gold():
    s = score_page("cookie banner accept all", "")
    assert s.gold_empty and not s.pred_empty
    assert (s.tp, s.fp, s.fn) == (0, 1, 0) and s.precision == 0.0


# --- many pages ----------------------------------------------------------------

def test_aggregate_averages_precision_over_nonempty_outputs_and_recall_over_nonempty_gold():
    pages = [
        score_page(GOLD, GOLD),                                  # p 1,   r 1
        score_page("", GOLD),                                    # p -,   r 0
        score_page("one two three four five six seven", GOLD),   # p 1,   r 4/7
        score_page("stray text here", ""),                       # p 0,   r -
        score_page("", ""),                                      # p -,   r -   (exact)
    ]
    agg = aggregate(pages)
    p = (1 + 1 + 0) / 3
    r = (1 + 0 + 4 / 7) / 3
    assert agg.precision == approx(p)
    assert agg.recall == approx(r)
    assert agg.f1 == approx(2 * p * r / (p + r))
    assert agg.accuracy == approx(2 / 5)
    assert agg.n == 5


def test_aggregate_of_nothing_and_of_all_empty_outputs_is_zero():
    assert aggregate([]).f1 == 0.0
    agg = aggregate([score_page("", GOLD), score_page("", GOLD)])
    assert (agg.precision, agg.recall, agg.f1) == (0.0, 0.0, 0.0)


def test_bootstrap_is_seeded_and_measures_spread():
    same = [score_page(GOLD, GOLD)] * 30
    assert bootstrap_std(same) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    mixed = [score_page(GOLD, GOLD), score_page("one two three four five six seven", GOLD),
             score_page(GOLD + " buy our mugs now please", GOLD), score_page("", GOLD)] * 10
    a = bootstrap_std(mixed, n_boot=100, seed=1)
    assert a == bootstrap_std(mixed, n_boot=100, seed=1)
    assert a != bootstrap_std(mixed, n_boot=100, seed=2)
    assert 0.0 < a["f1"] < 0.2 and a["recall"] > 0 and a["precision"] > 0
    assert bootstrap_std([]) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_bootstrap_std_shrinks_with_more_pages():
    base = [score_page(GOLD, GOLD), score_page("one two three four five six seven", GOLD),
            score_page("totally unrelated words in here", GOLD)]
    small = bootstrap_std(base * 3, n_boot=300, seed=0)["f1"]
    large = bootstrap_std(base * 60, n_boot=300, seed=0)["f1"]
    assert large < small / 2


# --- snippets ------------------------------------------------------------------

def test_snippet_counts():
    out = "The mayor said the bridge\nwill reopen in May.\nSubscribe now"
    c = score_snippets(out, ["the bridge will reopen", "in June"], ["Subscribe now", "Sign in"])
    assert (c.tp, c.fn, c.fp, c.tn) == (1, 1, 1, 1)
    assert c.precision == 0.5 and c.recall == 0.5 and c.accuracy == 0.5


def test_snippets_match_across_whitespace_but_not_case():
    c = score_snippets("a  b\n\tc", ["a b c", "A b c"], [])
    assert (c.tp, c.fn) == (1, 1)


def test_failed_or_empty_output_finds_no_snippet():
    for out in (None, "", "   "):
        c = score_snippets(out, ["x y", "z"], ["nav"])
        assert (c.tp, c.fn, c.fp, c.tn) == (0, 2, 0, 1)
        assert c.f1 == 0.0


def test_blank_snippets_are_not_counted():
    c = score_snippets("anything", ["  ", "anything"], ["", "\n"])
    assert (c.tp, c.fn, c.fp, c.tn) == (1, 0, 0, 0)


def test_snippet_counts_add_up():
    total = metrics.SnippetCounts()
    total.add(score_snippets("a b", ["a b"], ["c"]))
    total.add(score_snippets("c", ["a b"], ["c"]))
    assert (total.tp, total.fn, total.fp, total.tn) == (1, 1, 1, 1)
    assert total.as_dict()["f1"] == 0.5


# --- properties ------------------------------------------------------------------

texts = st.text(alphabet=st.sampled_from(list("ab c\n.,é")), max_size=60)


@settings(max_examples=200, deadline=None)
@given(texts, texts)
def test_page_score_is_normalised_and_bounded(pred, gold):
    s = score_page(pred, gold)
    total = s.tp + s.fp + s.fn
    assert total == approx(0) or total == approx(1)
    for v in (s.tp, s.fp, s.fn, s.precision, s.recall, s.f1):
        assert 0.0 <= v <= 1.0 and not math.isnan(v)
    swapped = score_page(gold, pred)
    assert s.tp == approx(swapped.tp) and s.fp == approx(swapped.fn)


@settings(max_examples=100, deadline=None)
@given(texts)
def test_identical_text_scores_exact(text):
    s = score_page(text, text)
    assert s.exact
    if metrics.tokens(text):
        assert s.f1 == 1.0


def test_score_counts_equals_score_page():
    for pred, gold in ((GOLD, GOLD), ("", GOLD), (GOLD + " x y", GOLD), ("a b", "")):
        assert metrics.score_counts(shingles(pred), shingles(gold)) == score_page(pred, gold)


def test_prompt_mask_marks_left_out_blocks_that_ask_the_reader():
    texts = ["Support our newsroom: donate today to keep local reporting free for all.",
             "Support our newsroom: donate today to keep local reporting free for all.",
             "Sign in",
             "Subscribe to our newsletter and never miss a single story again.",
             "The council said readers had sent in hundreds of comments about the plan.",
             "The council voted on Tuesday to rebuild the old river bridge next year.",
             "cookies " * 90]
    links = [0, 0, 0, 60, 0, 0, 0]
    labels = [0, 1, 0, 0, 0, 0, 0]
    mask = metrics.prompt_mask(texts, links, labels)
    # a prompt left out; the same text as content; too short; mostly a link;
    # a left-out sentence with a prompt word; no prompt word; too long
    assert mask.tolist() == [True, False, False, False, True, False, False]
    assert metrics.prompt_mask([], [], []).tolist() == []
