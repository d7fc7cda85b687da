"""boilerstrip evaluate (boilerstrip/evaluate.py): scores any model on any corpus."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import boilerstrip
from boilerstrip import evaluate as ev
from boilerstrip import metrics
from boilerstrip.cli import main
from boilerstrip.datasets import gold_text, load_corpus

from conftest import require_dataset

EXAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "example"


def test_scores_are_those_of_clean_output():
    """Each page is scored on exactly what clean() returns for it."""
    res = ev.evaluate([EXAMPLE], cache_dir=None)
    score = res["corpora"]["example"]
    pages = load_corpus(EXAMPLE)
    rows = {r["id"]: r for r in score.per_page}
    shingles, snips = [], metrics.SnippetCounts()
    for p in pages:
        out = boilerstrip.clean(p.read_bytes())
        assert rows[p.id]["chars"] == len(out)
        if p.has_text:
            s = metrics.score_page(out, gold_text(p))
            shingles.append(s)
            assert rows[p.id]["f1"] == round(s.f1, 4)
        if p.has_snippets:
            snips.add(metrics.score_snippets(out, p.with_snippets, p.without_snippets))
    agg = metrics.aggregate(shingles)
    assert score.shingle["f1"] == pytest.approx(agg.f1)
    assert score.shingle["n"] == 3                       # the pages with full gold text
    assert score.snippet == snips.as_dict()
    assert score.pages == 6 and score.failed == []
    assert score.labeled_pages == 6 and 0.5 < score.block_accuracy <= 1.0


def test_threshold_zero_keeps_everything():
    res = ev.evaluate([EXAMPLE], threshold=0.0)["corpora"]["example"]
    # every gold line is on the page (only shingles across a left-out block are missed)
    assert res.shingle["recall"] > 0.99
    default = ev.evaluate([EXAMPLE])["corpora"]["example"]
    assert res.shingle["precision"] < default.shingle["precision"] - 0.2
    assert res.snippet["fp"] == 4                        # every 'without' snippet shows up



@pytest.mark.parametrize("t", [0.2, 0.5, 0.9])
def test_threshold_is_clean_threshold(t):
    res = ev.evaluate([EXAMPLE], threshold=t)["corpora"]["example"]
    rows = {row["id"]: row for row in res.per_page}
    pages = load_corpus(EXAMPLE)
    assert len(rows) == len(pages) == 6
    for p in pages:
        assert rows[p.id]["chars"] == len(boilerstrip.clean(p.read_bytes(), threshold=t))


def test_block_accuracy_uses_the_explicit_labels(tmp_path):
    """A page labeled exactly as the model decides scores 1.0; flipped, 0.0."""
    from boilerstrip.label import LabelSession

    src = EXAMPLE / "pages" / "river-cleanup.html"
    s = LabelSession(src, tmp_path / "same", page_id="p")
    s.save([int(k) for k in s.kept])
    s2 = LabelSession(src, tmp_path / "flipped", page_id="p")
    s2.save([1 - int(k) for k in s2.kept])
    assert ev.evaluate([tmp_path / "same"])["corpora"]["same"].block_accuracy == 1.0
    assert ev.evaluate([tmp_path / "flipped"])["corpora"]["flipped"].block_accuracy == 0.0


def test_unreadable_pages_count_as_empty_output(tmp_path):
    corp = tmp_path / "c"
    shutil.copytree(EXAMPLE, corp)
    (corp / "pages" / "ferry-timetable.html").unlink()
    gold = corp / "gold.jsonl"
    gold.write_text(gold.read_text().replace("pages/library-reopens.html",
                                             "pages/library-reopens.html.gz"))
    (corp / "pages" / "library-reopens.html.gz").write_bytes(b"\x1f\x8b broken gzip")
    res = ev.evaluate([corp])["corpora"]["c"]
    assert res.pages == 6
    assert sorted(i for i, _ in res.failed) == ["ferry-timetable", "library-reopens"]
    rows = {r["id"]: r for r in res.per_page}
    assert rows["ferry-timetable"]["recall"] == 0.0 and rows["ferry-timetable"]["chars"] == 0
    full = ev.evaluate([EXAMPLE])["corpora"]["example"]
    assert res.shingle["recall"] < full.shingle["recall"]


def test_command_line(tmp_path, capsys):
    out_json = tmp_path / "scores.json"
    assert main(["evaluate", str(EXAMPLE), "--json", str(out_json), "--no-cache"]) == 0
    table = capsys.readouterr().out
    assert "model: bundled model" in table
    line = next(x for x in table.splitlines() if x.startswith("example"))
    doc = json.loads(out_json.read_text())
    f1 = doc["corpora"]["example"]["shingle"]["f1"]
    assert f"{f1:.3f}" in line
    assert len(doc["corpora"]["example"]["per_page"]) == 6


@pytest.mark.parametrize("argv, msg", [
    (["--threshold", "1.5"], "between 0 and 1"),
    (["--model", "MISSING"], "cannot read model"),
    (["--model", "TEXT"], "not JSON"),
])
def test_command_line_errors(tmp_path, capsys, argv, msg):
    text = tmp_path / "model.txt"
    text.write_text("hello")
    argv = [{"MISSING": str(tmp_path / "nope.json"), "TEXT": str(text)}.get(a, a) for a in argv]
    assert main(["evaluate", str(EXAMPLE), "--no-cache", *argv]) == 2
    assert msg in capsys.readouterr().err


def test_missing_corpus_is_a_usage_error(tmp_path, capsys):
    assert main(["evaluate", str(tmp_path / "nothing")]) == 2
    assert "no corpus at" in capsys.readouterr().err


def test_evaluation_split_of_named_sets():
    require_dataset("dragnet")
    pages = ev.select_pages("dragnet")
    assert pages and all(p.extra.get("split") == "test" for p in pages)
    assert len(ev.select_pages("dragnet", split="all")) > len(pages)


def test_held_out_pages_of_the_bundled_model():
    """--held-out keeps, of the sets the model trained on, only the pages it did not see."""
    require_dataset("mozilla_readability")
    from boilerstrip.train_cli import is_holdout

    meta = boilerstrip.load_model().meta
    share = meta["holdout"]
    held = ev.select_pages("mozilla_readability", held_out_share=share,
                           trained_on={"mozilla_readability"})
    assert held and all(is_holdout("mozilla_readability", p.id, share) for p in held)
    assert len(held) < len(ev.select_pages("mozilla_readability"))


def test_scores_a_shared_set_like_the_benchmark():
    """On real pages the evaluate command agrees with clean() + metrics page by page."""
    require_dataset("cleanportaleval")
    res = ev.evaluate(["cleanportaleval"], limit=4)["corpora"]["cleanportaleval"]
    pages = ev.select_pages("cleanportaleval", limit=4)
    assert res.pages == 4
    for p, row in zip(pages, res.per_page):
        s = metrics.score_page(boilerstrip.clean(p.read_bytes()), gold_text(p))
        assert row["f1"] == round(s.f1, 4)


def test_evaluate_needs_no_scikit_learn():
    """Scoring a model is not training: it runs without scikit-learn installed."""
    import subprocess
    import sys

    code = ("import sys; sys.modules['sklearn'] = None\n"
            "from boilerstrip.cli import main\n"
            f"sys.exit(main(['evaluate', {str(EXAMPLE)!r}, '--no-cache', '--jobs', '1']))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=EXAMPLE.parent.parent)
    assert r.returncode == 0, r.stderr
    assert "example" in r.stdout
