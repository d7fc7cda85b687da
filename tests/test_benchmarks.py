"""The benchmark suite: runner, reports, diff and the regression gate.

Most tests build a tiny fake corpus in ``tmp_path`` (gold.jsonl + pages) and
need no shared data.  The tests marked ``shared`` use ../shared/datasets; they
are skipped on a developer machine without the data and fail under CI=true.
"""
from __future__ import annotations

import gzip
import json
import os
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import (cli, confidence, data, extractors, gate, goldsize, headlines, prompts,  # noqa: E402
                        report, runner, scoring, toy, variants)
from benchmarks.cache import Entry  # noqa: E402
from benchmarks.worker import run_one  # noqa: E402
from boilerstrip import metrics  # noqa: E402
from boilerstrip.datasets import load_corpus  # noqa: E402

# --- a fake corpus ---------------------------------------------------------------

PARAS = [
    "The city council voted on Tuesday to rebuild the old river bridge, which has been "
    "closed to traffic since the spring floods damaged two of its supports.",
    "Engineers told the council that the repair would take eighteen months and cost "
    "roughly four million pounds, most of it covered by a regional grant.",
    "Shop owners on both banks welcomed the decision, saying the closure had cut their "
    "trade by a third and forced several cafés to shorten their opening hours.",
]
NAV = ["Home", "News", "Sport", "Weather"]
FOOTER = "Copyright 2024 The Riverside Gazette. All rights reserved. Privacy policy."


def page_html(i: int, paras: list[str], charset: str = "utf-8") -> str:
    nav = "".join(f"<li><a href='/{n.lower()}'>{n}</a></li>" for n in NAV)
    body = "".join(f"<p>{p} (story {i})</p>" for p in paras)
    return (f"<html lang='en'><head><meta charset='{charset}'><title>Story {i}</title>"
            f"<script>var x = 1;</script></head><body><nav><ul>{nav}</ul></nav>"
            f"<article>{body}</article><aside>Most read: cats, dogs, bridges and more</aside>"
            f"<footer>{FOOTER}</footer></body></html>")


def gold_of(i: int, paras: list[str]) -> str:
    return "\n".join(f"{p} (story {i})" for p in paras)


def make_set(root: Path, name: str, n: int, split: str | None = None, *,
             snippets: bool = False, text: bool = True, extra_train: int = 0) -> Path:
    folder = root / name
    (folder / "pages").mkdir(parents=True)
    recs = []
    for i in range(n + extra_train):
        pid = f"{name}-{i}"
        paras = PARAS[: 2 + i % 2]
        html = page_html(i, paras, "windows-1252" if i == 1 else "utf-8")
        raw = html.encode("cp1252" if i == 1 else "utf-8")
        if i % 2 == 0:
            rel = f"pages/{pid}.html.gz"
            with gzip.open(folder / rel, "wb") as fh:
                fh.write(raw)
        else:
            rel = f"pages/{pid}.html"
            (folder / rel).write_bytes(raw)
        rec = {"id": pid, "url": None, "html": rel, "text": gold_of(i, paras) if text else None,
               "title": f"Story {i}"}
        if split is not None:
            rec["split"] = split if i < n else "train"
        if snippets:
            rec["with"] = [PARAS[0][:40], PARAS[1][-30:]]
            rec["without"] = ["Most read", "All rights reserved"]
        recs.append(rec)
    (folder / "gold.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n",
                                       encoding="utf-8")
    return folder


FAKE_EXTRACTORS = textwrap.dedent('''
    import re

    def article(html):
        body = re.search(r"<article>(.*)</article>", html, re.S).group(1)
        return "\\n".join(re.findall(r"<p>(.*?)</p>", body))

    def boom(html):
        raise RuntimeError("boom")

    def returns_bytes(html):
        return b"not text"
''')


@pytest.fixture
def fake_modules(tmp_path, monkeypatch):
    mod_dir = tmp_path / "mods"
    mod_dir.mkdir()
    (mod_dir / "fake_ex.py").write_text(FAKE_EXTRACTORS, encoding="utf-8")
    monkeypatch.syspath_prepend(str(mod_dir))
    return mod_dir


def require_shared(name: str) -> Path:
    from boilerstrip.datasets import dataset_path

    path = dataset_path(name)
    if not (path / "gold.jsonl").is_file():
        msg = f"shared dataset {name} missing at {path}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return path


# --- small units -----------------------------------------------------------------

def test_seeded_sample_is_stable_and_keeps_corpus_order(tmp_path):
    make_set(tmp_path, "s", 30)
    pages = load_corpus(tmp_path / "s")
    a = data.sample(pages, 10, seed=1)
    assert [p.id for p in a] == [p.id for p in data.sample(pages, 10, seed=1)]
    assert [p.id for p in a] != [p.id for p in data.sample(pages, 10, seed=2)]
    assert len(a) == 10
    order = [p.id for p in pages]
    assert [order.index(p.id) for p in a] == sorted(order.index(p.id) for p in a)
    assert data.sample(pages, None) == pages and data.sample(pages, 0) == pages


def test_evaluation_split_is_used_for_evaluation_sets(tmp_path):
    make_set(tmp_path, "dragnet", 3, "test", extra_train=4)
    make_set(tmp_path, "mine", 5)
    pages, total = data.select_pages(tmp_path, "dragnet")
    assert total == 3 and {p.id for p in pages} == {"dragnet-0", "dragnet-1", "dragnet-2"}
    pages, total = data.select_pages(tmp_path, "mine", limit=2)
    assert total == 5 and len(pages) == 2
    assert data.discover(tmp_path) == ["dragnet", "mine"]


def test_sample_preferring_keeps_every_preferred_page(tmp_path):
    make_set(tmp_path, "s", 30)
    pages = load_corpus(tmp_path / "s")
    pref = {p.id for p in pages[::7]}
    got = data.sample_preferring(pages, 10, lambda p: p.id in pref)
    assert len(got) == 10 and pref <= {p.id for p in got}
    assert [p.id for p in got] == [p.id for p in pages if p in got]
    assert len(data.sample_preferring(pages, 3, lambda p: p.id in pref)) == 3
    assert data.sample_preferring(pages, None, lambda p: False) == pages


def test_holdout_rule_follows_the_training_split():
    from boilerstrip.train_cli import is_holdout

    rule = data.holdout_rule()
    assert rule is not None and 0 < rule.share < 1
    ids = [f"dev-{i:04d}" for i in range(200)]
    assert [rule("wcxb", i) for i in ids] == [is_holdout("wcxb", i, rule.share) for i in ids]
    assert 5 < sum(rule("wcxb", i) for i in ids) < 80
    assert not any(rule("dragnet", i) for i in ids)   # evaluation-only: never trained on


def test_limits_parse():
    from benchmarks.runner import parse_limits

    names = ["dragnet", "wcxb"]
    assert parse_limits(None, names) == {"dragnet": None, "wcxb": data.DEFAULT_LIMITS["wcxb"]}
    assert parse_limits(["20"], names) == {"dragnet": 20, "wcxb": 20}
    assert parse_limits(["0"], names) == {"dragnet": None, "wcxb": None}
    assert parse_limits(["5", "wcxb=7"], names) == {"dragnet": 5, "wcxb": 7}
    with pytest.raises(ValueError):
        parse_limits(["nope=3"], names)


def test_decode_and_language():
    html = "<html lang='de-AT'><head><meta charset='windows-1252'></head><body>Gr\xfc\xdfe</body></html>"
    text = data.decode(html.encode("cp1252"))
    assert "Grüße" in text
    assert data.page_language(text) == "de"
    assert data.page_language("<p>no lang</p>") is None
    assert "Grüße" in data._fallback_decode(html.encode("cp1252"))
    assert data._fallback_decode("\ufeffé".encode("utf-8")) == "é"


def test_fragment_text_puts_blocks_on_lines():
    pytest.importorskip("lxml")  # readability-lxml's parser, used only for its output
    frag = ("<div><h1>Title</h1><p>One <b>bold</b>\n word.</p><!-- c --><script>x()</script>"
            "<ul><li>a</li><li>b</li></ul>tail</div>")
    assert extractors.fragment_text(frag) == "Title\nOne bold word.\na\nb\ntail"
    assert extractors.fragment_text("") == "" and extractors.fragment_text("   ") == ""


def test_run_one_reports_errors_timeouts_and_wrong_types():
    def slow(html):
        import time
        time.sleep(2)
        return "late"

    def swallowing(html):  # a broad except in an extractor must not eat the timeout
        try:
            import time
            time.sleep(2)
        except Exception:
            return "swallowed"
        return "late"

    assert run_one(lambda h: h.upper(), "ab", 5).output == "AB"
    e = run_one(lambda h: 1 / 0, "x", 5)
    assert e.status == "error" and "ZeroDivisionError" in e.error and e.output == ""
    assert run_one(slow, "x", 0.2).status == "timeout"
    assert run_one(swallowing, "x", 0.2).status == "timeout"
    e = run_one(lambda h: None, "x", 5)
    assert (e.status, e.output, e.error) == ("ok", "", None)
    assert 0 <= e.cpu_seconds < 1 and 0 <= e.seconds < 1
    busy = run_one(lambda h: str(sum(range(3_000_000))), "x", 30)
    assert busy.cpu_seconds > 0.01 and busy.seconds >= busy.cpu_seconds * 0.5
    assert run_one(lambda h: b"x", "x", 5).status == "error"


def test_custom_extractor_specs(fake_modules):
    assert extractors.custom_parts("mine=fake_ex:article") == ("mine", "fake_ex", "article")
    assert extractors.label("fake_ex:article") == "fake_ex:article"
    assert extractors.availability("fake_ex:article") == (True, "")
    assert extractors.availability("no_such_module_xyz:f")[0] is False
    assert extractors.availability("not-an-extractor")[0] is False
    assert extractors.version("fake_ex:article").startswith("custom-")
    with pytest.raises(ValueError):
        extractors.custom_parts("bad:")


def test_custom_extractor_cache_key_follows_boilerstrip(fake_modules, monkeypatch):
    # a variant of boilerstrip's output must not be served an older boilerstrip's outputs
    monkeypatch.setattr(extractors, "boilerstrip_fingerprint", lambda: "aaaa")
    before = extractors.version("fake_ex:article")
    monkeypatch.setattr(extractors, "boilerstrip_fingerprint", lambda: "bbbb")
    after = extractors.version("fake_ex:article")
    assert before != after and before.startswith("custom-") and after.startswith("custom-")


def test_with_headline_variant_adds_the_headline_to_the_text_output():
    import boilerstrip

    html = (ROOT / "examples" / "news-with-appeal.html").read_text(encoding="utf-8")
    text = boilerstrip.clean(html)
    with_head = variants.with_headline(html)
    headline = "River town votes to rebuild its flood wall"
    assert headline not in text
    assert with_head.splitlines()[0] == "# " + headline
    # the same article tokens otherwise: the metric sees only the headline added
    gold = headline + "\n" + text
    assert metrics.score_page(with_head, gold).f1 == 1.0
    assert extractors.availability("benchmarks.variants:with_headline") == (True, "")


def test_score_dataset_counts_failures_as_empty_output(tmp_path):
    make_set(tmp_path, "s", 3, snippets=True)
    pages = load_corpus(tmp_path / "s")
    gold0 = data.gold_text(pages[0])
    outs = {pages[0].id: Entry("ok", gold0, None, 0.01),
            pages[1].id: Entry("timeout", "", "over", 1.0),
            pages[2].id: Entry("error", "", "boom", 0.0)}
    r = scoring.score_dataset(pages, outs, shingle=True, snippet=True, n_boot=20)
    assert r.status == {"ok": 1, "error": 1, "timeout": 1, "missing": 0, "empty": 2}
    # only page 0 has output: precision 1 over it; recall (1 + 0 + 0) / 3
    assert r.shingle["precision"] == 1.0
    assert r.shingle["recall"] == pytest.approx(1 / 3)
    assert r.per_page["precision"] == [1.0, None, None]
    assert r.per_page["f1"] == [1.0, 0.0, 0.0]
    assert r.snippet["tp"] == 2 and r.snippet["fn"] == 4 and r.snippet["tn"] == 6
    missing = scoring.score_dataset(pages, {}, shingle=True, snippet=False)
    assert missing.status["missing"] == 3 and missing.shingle["f1"] == 0.0


def test_combine_rounds_takes_each_pages_median_and_any_failure():
    from benchmarks.runner import combine_rounds

    rounds = [{"cpu_ms": [1.0, 10.0, 5.0], "times_ms": [1.5, 11.0, 6.0], "status": ["ok", "ok", "ok"],
               "datasets": ["a", "a", "b"], "peak_rss_kb": 100, "import_s": 0.1},
              {"cpu_ms": [9.0, 12.0, 5.0], "times_ms": [9.5, 13.0, 6.0], "status": ["ok", "timeout", "ok"],
               "datasets": ["a", "a", "b"], "peak_rss_kb": 300, "import_s": 0.2},
              {"cpu_ms": [2.0, 11.0, 4.0], "times_ms": [2.5, 12.0, 5.0], "status": ["ok", "ok", "error"],
               "datasets": ["a", "a", "b"], "peak_rss_kb": 200, "import_s": 0.3}]
    r = combine_rounds(rounds)
    assert r["cpu_ms"] == [2.0, 11.0, 5.0]            # one slow pass of page 0 does not count
    assert r["times_ms"] == [2.5, 12.0, 6.0]
    assert r["status"] == ["ok", "timeout", "error"]
    assert r["peak_rss_kb"] == 300 and r["import_s"] == 0.1 and r["datasets"] == ["a", "a", "b"]
    assert combine_rounds(rounds[:1])["cpu_ms"] == [1.0, 10.0, 5.0]


def test_speed_summary():
    s = scoring.speed_summary([10.0, 20.0, 30.0, 40.0], ["ok", "ok", "error", "timeout"])
    assert s["median_ms"] == 25.0 and s["mean_ms"] == 25.0
    assert s["pages_per_s"] == pytest.approx(40.0)
    assert (s["errors"], s["timeouts"]) == (1, 1)
    assert 38 < s["p95_ms"] <= 40


# --- writers on a hand-made result ------------------------------------------------

def fake_results(with_speed: bool = True) -> dict:
    def ds_res(f1, std=0.01):
        return {"n": 2, "shingle": {"precision": f1, "recall": f1, "f1": f1, "accuracy": 0.5,
                                    "n": 2, "std": {"precision": std, "recall": std, "f1": std}},
                "snippet": None, "status": {"ok": 2, "error": 0, "timeout": 0, "empty": 0},
                "per_page": {"f1": [f1, f1]}}
    results = {
        "meta": {"command": "python -m benchmarks run --limit 2", "date": "2024-01-01 00:00 UTC",
                 "git_commit": "abc", "machine": {"cpu": "Test CPU", "cores": 2},
                 "seed": 1, "decoder": "d", "bootstrap_resamples": 20, "total_seconds": 3.0,
                 "speed": ({"skipped": False, "pages": 4, "pages_per_dataset": 2, "warmup": 1,
                            "core": 0, "timeout_s": 30.0} if with_speed else {"skipped": True})},
        "extractors": {
            "boilerstrip": {"status": "ok", "version": "0.1.0+x", "note": "clean"},
            "peer": {"status": "ok", "version": "9.9", "note": "extract"},
            "gone": {"status": "skipped", "reason": "not installed (gone)"},
        },
        "datasets": {"dragnet": {"pages": 2, "available": 10, "limit": 2, "split": "test",
                                 "trainable": False, "metrics": ["shingle"], "page_ids": ["a", "b"],
                                 "results": {"boilerstrip": ds_res(0.9), "peer": ds_res(0.8)}},
                     "wcxb": {"pages": 2, "available": 2, "limit": None, "split": "all",
                              "trainable": True, "metrics": ["shingle"], "page_ids": ["c", "d"],
                              "results": {"boilerstrip": ds_res(0.95), "peer": ds_res(0.97)},
                              "heldout": {"pages": 1, "share": 0.15, "page_ids": ["d"],
                                          "results": {"boilerstrip": ds_res(0.85),
                                                      "peer": ds_res(0.75)}}}},
        "speed": ({"boilerstrip": {"pages": 4, "median_ms": 5.0, "p95_ms": 9.0, "mean_ms": 6.0,
                                   "pages_per_s": 160.0, "peak_rss_mb": 80.0, "errors": 0,
                                   "rss_with_pages_mb": 50.0, "wall_median_ms": 7.0,
                                   "timeouts": 0},
                   "peer": {"pages": 4, "median_ms": 20.0, "p95_ms": 50.0, "mean_ms": 25.0,
                            "pages_per_s": 40.0, "peak_rss_mb": 60.0, "errors": 1, "timeouts": 0}}
                  if with_speed else {}),
    }
    results["summary"] = report.summarise(results)
    return results


def test_summary_numbers():
    s = fake_results()["summary"]
    assert s["evaluation_sets"] == ["dragnet"] and s["shingle_sets"] == ["dragnet", "wcxb"]
    b, p = s["extractors"]["boilerstrip"], s["extractors"]["peer"]
    # wcxb is compared on its held-out page only
    assert b["f1"] == {"dragnet": 0.9, "wcxb": 0.85} and p["f1"]["wcxb"] == 0.75
    assert b["mean_f1_evaluation_sets"] == 0.9 and b["mean_f1_all_sets"] == pytest.approx(0.875)
    assert p["median_vs_boilerstrip"] == 4.0 and b["median_vs_boilerstrip"] == 1.0
    assert "gone" not in s["extractors"]


def test_writers_produce_tables_json_and_plot(tmp_path):
    pytest.importorskip("matplotlib")  # the bench extra
    results = fake_results()
    paths = report.write_all(results, tmp_path / "out")
    assert [p.name for p in paths] == ["results.json", "results.md", "f1_vs_speed.png"]
    assert json.loads(paths[0].read_text(encoding="utf-8"))["datasets"]["dragnet"]["page_ids"] == ["a", "b"]
    md = paths[1].read_text(encoding="utf-8")
    assert "Test CPU, 2 cores" in md and "python -m benchmarks run --limit 2" in md
    assert "| gone | – | – | skipped: not installed (gone) |" in md
    dragnet = md.split("### dragnet")[1].split("###")[0]
    rows = [ln for ln in dragnet.splitlines() if ln.startswith("| ") and "extractor" not in ln]
    assert rows[0].startswith("| **boilerstrip** | 0.900 | 0.900 | 0.900 ± 0.010 | 0.500 |")
    assert rows[1].startswith("| peer | 0.800")
    wcxb, held = md.split("### wcxb")[1].split("Held-out pages only (1 pages")
    assert "trained on this set" in wcxb and wcxb.index("| peer") < wcxb.index("| **boilerstrip**")
    assert held.index("| **boilerstrip** | 0.850") < held.index("| peer | 0.750")
    assert "| wcxb held-out F1 |" in md.split("### Accuracy")[1].splitlines()[4]
    assert "| **boilerstrip** | 4 | 5.0 | 9.0 | 6.0 | 160.0 | 7.0 | 80 | 30 | 1.00 | 0 | 0 |" in md
    assert "| peer | 4 | 20.0 | 50.0 | 25.0 | 40.0 | – | 60 | – | 4.00 | 1 | 0 |" in md
    assert paths[2].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_no_plot_without_speed(tmp_path):
    paths = report.write_all(fake_results(with_speed=False), tmp_path)
    assert [p.name for p in paths] == ["results.json", "results.md"]
    assert "Speed and memory" not in (tmp_path / "results.md").read_text(encoding="utf-8")


# --- the whole run on a fake corpus ----------------------------------------------

def test_run_end_to_end_on_a_fake_corpus(tmp_path, fake_modules, capsys):
    root = tmp_path / "data"
    make_set(root, "dragnet", 3, "test", extra_train=2)
    make_set(root, "snip", 3, snippets=True, text=False)
    make_set(root, "wcxb", 20)
    out, cache = tmp_path / "out", tmp_path / "cache"
    base = ["run", "--datasets-root", str(root), "--out", str(out), "--cache", str(cache),
            "--warmup", "1", "--timeout", "20", "--limit", "wcxb=6", "--datasets", "dragnet",
            "snip", "wcxb"]
    argv = base + ["--speed-pages", "2", "--extractors", "article=fake_ex:article", "all=benchmarks.toy:keep_everything", "boom=fake_ex:boom",
            "bytes=fake_ex:returns_bytes", "nothing=benchmarks.toy:nothing",
            "missing=no_such_module_xyz:f", "not-an-extractor"]
    assert cli.main(argv) == 0
    res = json.loads((out / "results.json").read_text(encoding="utf-8"))

    assert res["extractors"]["missing"]["status"] == "skipped"
    assert res["extractors"]["not-an-extractor"]["status"] == "skipped"
    assert res["extractors"]["article"]["version"].startswith("custom-")
    assert res["meta"]["machine"]["cores"] >= 1 and res["meta"]["command"].startswith("python -m")

    dn = res["datasets"]["dragnet"]
    assert dn["pages"] == 3 and dn["page_ids"] == ["dragnet-0", "dragnet-1", "dragnet-2"]
    assert dn["metrics"] == ["shingle"] and dn["split"] == "test"
    art = dn["results"]["article"]
    assert art["shingle"]["f1"] == 1.0 and art["shingle"]["accuracy"] == 1.0
    assert art["per_page"]["f1"] == [1.0, 1.0, 1.0]
    # keep-everything: full recall, and the precision the metric gives on its real output
    pages = data.select_pages(root, "dragnet")[0]
    expected = metrics.aggregate([metrics.score_page(toy.keep_everything(data.decode(p.read_bytes())),
                                                     data.gold_text(p)) for p in pages])
    alls = dn["results"]["all"]["shingle"]
    assert alls["recall"] == 1.0 and alls["precision"] == pytest.approx(expected.precision)
    assert alls["precision"] < 0.9
    for bad in ("boom", "bytes"):
        assert dn["results"][bad]["status"]["error"] == 3 and dn["results"][bad]["shingle"]["f1"] == 0
    assert dn["results"]["nothing"]["status"]["empty"] == 3

    sn = res["datasets"]["snip"]
    assert sn["metrics"] == ["snippet"] and sn["results"]["article"]["shingle"] is None
    assert sn["results"]["article"]["snippet"]["tp"] == 6 and sn["results"]["article"]["snippet"]["fp"] == 0
    assert sn["results"]["all"]["snippet"]["fp"] == 6
    assert sn["results"]["boom"]["snippet"]["fn"] == 6

    # wcxb (a set the model trains on): every held-out page is in the sample
    rule = data.holdout_rule()
    held = [f"wcxb-{i}" for i in range(20) if rule("wcxb", f"wcxb-{i}")]
    wc = res["datasets"]["wcxb"]
    assert wc["pages"] == 6 and wc["trainable"] and set(held) <= set(wc["page_ids"])
    if held:
        assert wc["heldout"]["page_ids"] == held
        assert wc["heldout"]["results"]["article"]["shingle"]["f1"] == 1.0

    sp = res["speed"]
    assert res["meta"]["speed"]["rounds"] == runner.DEFAULT_SPEED_ROUNDS
    assert sp["article"]["pages"] == 6 and sp["article"]["median_ms"] > 0
    assert sp["article"]["peak_rss_mb"] > 1 and sp["boom"]["errors"] == 6
    assert res["summary"]["extractors"]["article"]["f1"] == {"dragnet": 1.0, "wcxb": 1.0}

    md = (out / "results.md").read_text(encoding="utf-8")
    assert "### dragnet" in md and "### snip" in md
    assert "| article | 1.000 | 1.000 | 1.000 ± 0.000 | 1.000 | 0 | 0 | 0 |" in md
    assert "skipped: module no_such_module_xyz not importable" in md
    try:
        import matplotlib  # noqa: F401
        assert (out / "f1_vs_speed.png").read_bytes()[:4] == b"\x89PNG"
    except ImportError:
        assert not (out / "f1_vs_speed.png").exists()

    # rerun: every output comes from the cache
    capsys.readouterr()
    assert cli.main(base + ["--speed-pages", "0", "--extractors", "article=fake_ex:article"]) == 0
    res2 = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert res2["extractors"]["article"]["computed"] == 0
    assert res2["extractors"]["article"]["cached"] == 12
    assert res2["datasets"]["dragnet"]["results"]["article"]["shingle"]["f1"] == 1.0
    assert res2["meta"]["speed"]["skipped"] is True


def test_run_without_datasets_fails_clearly(tmp_path, capsys):
    assert cli.main(["run", "--datasets-root", str(tmp_path / "empty")]) == 2
    assert "no datasets" in capsys.readouterr().err


# --- diff -------------------------------------------------------------------------

def test_line_diff():
    missed, extra = __import__("benchmarks.diff", fromlist=["x"]).line_diff(
        "alpha beta gamma delta\nsecond line of gold text", "alpha beta gamma delta\nbuy now")
    assert [m[0] for m in missed] == ["second line of gold text"]
    assert [e[0] for e in extra] == ["buy now"]


def test_diff_command_with_a_custom_extractor(tmp_path, fake_modules, capsys):
    root = tmp_path / "data"
    make_set(root, "mine", 2)
    rc = cli.main(["diff", "--datasets-root", str(root), "mine", "mine-0",
                   "--extractor", "benchmarks.toy:first_200_chars", "--width", "200"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "# mine / mine-0" in out and "score: P" in out
    missed = out.split("## missed")[1].split("## extra")[0]
    assert "Engineers told the council" in missed
    extra = out.split("## extra")[1]
    assert "Home" in extra
    assert cli.main(["diff", "--datasets-root", str(root), "mine", "nope"]) == 2


def test_diff_shows_boilerstrip_blocks(tmp_path, capsys):
    root = tmp_path / "data"
    make_set(root, "mine", 1)
    assert cli.main(["diff", "--datasets-root", str(root), "mine", "mine-0", "--brief"]) == 0
    out = capsys.readouterr().out
    blocks = out.split("## blocks")[1]
    assert "idx  score kept" in blocks
    assert "The city council voted" in blocks and "Copyright 2024" in blocks


# --- gate ------------------------------------------------------------------------

def make_gate_root(root: Path) -> Path:
    make_set(root, "dragnet", 4, "test", extra_train=2)
    make_set(root, "cleaneval", 4, "final")
    make_set(root, "l3s_gn1", 3)
    make_set(root, "cleanportaleval", 3)
    return root


def gate_cmd(root, baseline, extractor, *extra):
    return cli.main(["gate", "--datasets-root", str(root), "--baseline", str(baseline),
                     "--extractor", extractor, *extra])


def test_gate_passes_fails_and_guards_its_floors(tmp_path, fake_modules, capsys):
    root = make_gate_root(tmp_path / "data")
    base = tmp_path / "baseline.json"
    good, bad = "fake_ex:article", "benchmarks.toy:first_200_chars"

    assert gate_cmd(root, base, good) == 2                       # no baseline yet
    assert gate_cmd(root, base, good, "--update") == 0
    b = json.loads(base.read_text())
    assert set(b["floors"]) == {"dragnet", "cleaneval", "l3s_gn1", "cleanportaleval"}
    assert b["floors"]["dragnet"] == 1.0 and b["measured"]["dragnet"]["pages"] == 4
    assert b["tolerance"] == gate.TOLERANCE and len(b["fingerprint"]) == 64

    capsys.readouterr()
    assert gate_cmd(root, base, good) == 0
    assert "gate: passed" in capsys.readouterr().out
    assert gate_cmd(root, base, bad) == 1
    assert "FAIL" in capsys.readouterr().out

    # floors do not go down without a note
    assert gate_cmd(root, base, bad, "--update") == 2
    assert json.loads(base.read_text())["floors"] == b["floors"]
    assert gate_cmd(root, base, bad, "--update", "--note", "testing a worse model") == 0
    lowered = json.loads(base.read_text())
    assert lowered["floors"]["dragnet"] < 1.0
    assert lowered["notes"][-1]["note"] == "testing a worse model"
    assert "dragnet" in lowered["notes"][-1]["lowered"]


def test_gate_refuses_changed_data(tmp_path, fake_modules, capsys):
    root = make_gate_root(tmp_path / "data")
    base = tmp_path / "baseline.json"
    assert gate_cmd(root, base, "fake_ex:article", "--update") == 0
    gold = root / "l3s_gn1" / "gold.jsonl"
    gold.write_text(gold.read_text().replace("(story 0)", "(story zero)"))
    capsys.readouterr()
    assert gate_cmd(root, base, "fake_ex:article") == 2
    assert "fingerprint" in capsys.readouterr().err
    assert gate_cmd(root, base, "fake_ex:article", "--update") == 2   # data change needs a note


def test_gate_fingerprint_covers_ids_and_gold(tmp_path):
    root = make_gate_root(tmp_path / "data")
    sub = gate.gate_subset(root)
    fp = gate.fingerprint(sub)
    assert fp == gate.fingerprint(gate.gate_subset(root))
    sub["dragnet"][0].text += " changed"
    assert gate.fingerprint(sub) != fp


# --- on the shared datasets (fail under CI when missing) --------------------------

@pytest.fixture
def shared_root():
    for name in gate.GATE_SIZES:
        path = require_shared(name)
    return path.parent


def test_committed_baseline_matches_the_shared_data(shared_root):
    base = json.loads(gate.BASELINE.read_text(encoding="utf-8"))
    sub = gate.gate_subset(shared_root)
    assert {n: len(p) for n, p in sub.items()} == gate.GATE_SIZES == base["sizes"]
    assert gate.fingerprint(sub) == base["fingerprint"]
    assert base["extractor"] == "boilerstrip"
    assert all(0.5 < f <= 1.0 for f in base["floors"].values())


def test_gate_fails_with_a_worse_extractor_on_the_shared_data(shared_root, capsys):
    rc = cli.main(["gate", "--datasets-root", str(shared_root),
                   "--extractor", "benchmarks.toy:first_200_chars"])
    out = capsys.readouterr().out
    assert rc == 1, out
    assert out.count("  FAIL") == 4 and "gate: FAILED on dragnet, cleaneval, l3s_gn1, cleanportaleval" in out


def test_gate_passes_for_boilerstrip_on_the_shared_data(shared_root, capsys):
    """The CI gate itself: the bundled model must stay at or above the floors."""
    rc = cli.main(["gate", "--datasets-root", str(shared_root)])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert out.count(" ok") == 4


def test_diff_on_a_shared_page(shared_root, capsys):
    page = data.select_pages(shared_root, "cleanportaleval", 1)[0][0]
    assert cli.main(["diff", "--datasets-root", str(shared_root), "cleanportaleval", page.id,
                     "--brief"]) == 0
    out = capsys.readouterr().out
    assert "score: P" in out and "## blocks" in out


# --- arbitrary input -------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

html_ish = st.text(alphabet=st.sampled_from(list("<>/=\"' abcpdivlh1\n&;#x-!é\x00")), max_size=200)


@settings(max_examples=150, deadline=None)
@given(html_ish)
def test_language_never_raises(s):
    lang = data.page_language(s)
    assert lang is None or lang.isalpha()
    assert isinstance(toy.visible_text(s), str)


@settings(max_examples=150, deadline=None)
@given(html_ish)
def test_fragment_text_never_raises(s):
    pytest.importorskip("lxml")   # comes with the test and bench extras
    out = extractors.fragment_text(s)
    assert isinstance(out, str) and "\n\n" not in out


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_decoders_never_raise_on_bytes(b):
    assert isinstance(data.decode(b), str)
    assert isinstance(data._fallback_decode(b), str)
    assert isinstance(data._fallback_decode(b"<meta charset='nonsense-x'>" + b), str)


@settings(max_examples=100, deadline=None)
@given(html_ish, html_ish)
def test_line_diff_lines_come_from_their_side(gold, out):
    from benchmarks.diff import line_diff

    missed, extra = line_diff(gold, out)
    g = {metrics.normalize_ws(x) for x in gold.splitlines()}
    o = {metrics.normalize_ws(x) for x in out.splitlines()}
    assert all(m in g and 0 <= c < 1 for m, c in missed)
    assert all(e in o and 0 <= c < 1 for e, c in extra)


def test_report_rerenders_and_updates_the_docs_section(tmp_path):
    results = fake_results()
    report.write_all(results, tmp_path)
    (tmp_path / "results.md").unlink()
    docs = tmp_path / "bench.md"
    docs.write_text("# Benchmarks\n\nintro\n\n## Latest full run\n\nold numbers\n", encoding="utf-8")
    assert cli.main(["report", "--results", str(tmp_path), "--docs", str(docs)]) == 0
    assert (tmp_path / "results.md").is_file()
    text = docs.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nintro\n\n## Latest full run\n\n")
    assert "old numbers" not in text and "#### dragnet" in text and "### Summary" in text
    assert text.count("## Latest full run") == 1
    assert "![F1 vs speed](./f1_vs_speed.png)" in text
    assert "Headline" not in text  # neither trafilatura nor readability in this run


def test_headline_compares_with_the_named_peers():
    h = report.headline(fake_results(), peers=("peer", "absent"))
    assert h.splitlines() == [
        "- dragnet (2 pages): boilerstrip F1 0.900 (ahead); peer 0.800",
        "- speed: boilerstrip 5.0 ms median per page, peer 20.0 ms: peer takes 4.00x as long"]


# --- results split by boilerstrip's page confidence --------------------------------

def _pp(prec, rec):
    return {"per_page": {"precision": prec, "recall": rec, "f1": [0.0] * len(prec)}}


def test_confidence_split_aggregates_each_part():
    results = {"meta": {}, "datasets": {
        "dragnet": {"metrics": ["shingle"], "trainable": False, "page_ids": ["a", "b", "c"],
                    "results": {"boilerstrip": _pp([1.0, 0.5, None], [1.0, 0.5, 0.0]),
                                "peer": _pp([0.5, 1.0, 1.0], [0.5, 1.0, 1.0])}},
        "wcxb": {"metrics": ["shingle"], "trainable": True, "page_ids": ["c", "d"],
                 "heldout": {"page_ids": ["d"]},
                 "results": {"boilerstrip": _pp([0.2, 0.8], [0.2, 0.8])}},
        "snips": {"metrics": ["snippet"], "trainable": False, "page_ids": ["x"], "results": {}}}}
    conf = {"dragnet": {"a": 0.95, "b": 0.5, "c": 0.1}, "wcxb": {"c": 0.99, "d": 0.3},
            "snips": {"x": 1.0}}
    rows = confidence.split_table(results, conf, 0.9)
    by = {(r["set"], r["part"]): r for r in rows}
    assert list(by) == [("dragnet", "sure"), ("dragnet", "unsure"), ("wcxb", "sure"), ("wcxb", "unsure")]
    assert by["dragnet", "sure"]["pages"] == 1 and by["dragnet", "sure"]["f1"]["boilerstrip"] == 1.0
    # b (P .5, R .5) and c (no output: its recall 0 counts, it has no precision)
    assert by["dragnet", "unsure"]["f1"]["boilerstrip"] == pytest.approx(2 * 0.5 * 0.25 / 0.75)
    assert by["dragnet", "unsure"]["f1"]["peer"] == pytest.approx(1.0)
    # a set the model trains on: its held-out page d only
    assert by["wcxb", "sure"]["pages"] == 0 and by["wcxb", "sure"]["f1"]["boilerstrip"] is None
    assert by["wcxb", "unsure"]["f1"]["boilerstrip"] == pytest.approx(0.8)
    table = confidence.format_table(rows, ["boilerstrip", "peer"], 0.9)
    assert "| dragnet | 1 | ≥ 0.9 | 1.000 | 0.500 |" in table
    assert "| dragnet | 2 | < 0.9 | 0.333 | 1.000 |" in table
    assert "| wcxb | 0 | ≥ 0.9 | – | – |" in table


def test_confidence_command_on_a_fake_corpus(tmp_path, capsys):
    root = tmp_path / "data"
    make_set(root, "dragnet", 3, "test")
    ids = [f"dragnet-{i}" for i in range(3)]
    results = {"meta": {"git_commit": "abc"}, "datasets": {"dragnet": {
        "metrics": ["shingle"], "trainable": False, "page_ids": ids,
        "results": {"boilerstrip": _pp([1.0, 1.0, 1.0], [0.9, 0.9, 0.9]),
                    "trafilatura": _pp([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])}}}}
    out = tmp_path / "res"
    out.mkdir()
    (out / "results.json").write_text(json.dumps(results), encoding="utf-8")
    assert cli.main(["confidence", "--datasets-root", str(root), "--results", str(out)]) == 0
    text = capsys.readouterr().out
    assert "commit abc" in text
    rows = [ln for ln in text.splitlines() if ln.startswith("| dragnet |")]
    assert len(rows) == 2 and "readability" not in text      # only extractors the run has
    # plain news stories: the model is sure of all three
    assert rows[0].startswith("| dragnet | 3 | ≥ 0.9 | 0.947 | 0.500 |")
    assert rows[1] == "| dragnet | 0 | < 0.9 | – | – |"
    # a stricter cut moves them to the unsure side
    assert cli.main(["confidence", "--datasets-root", str(root), "--results", str(out),
                     "--below", "1.0"]) == 0
    assert "| dragnet | 3 | < 1.0 | 0.947 | 0.500 |" in capsys.readouterr().out
    assert cli.main(["confidence", "--results", str(tmp_path / "nowhere")]) == 2


def test_goldsize_splits_pages_by_the_words_of_their_gold(tmp_path, capsys):
    root = tmp_path / "data"
    make_set(root, "dragnet", 3, "test")
    ids = [f"dragnet-{i}" for i in range(3)]
    counts = goldsize.gold_words(root, "dragnet", ids)
    # pages 0 and 2 have two paragraphs of gold, page 1 three
    assert counts["dragnet-0"] == counts["dragnet-2"] < 70 < counts["dragnet-1"]
    results = {"meta": {"git_commit": "abc"}, "datasets": {"dragnet": {
        "metrics": ["shingle"], "trainable": False, "page_ids": ids,
        "results": {"boilerstrip": _pp([1.0, 0.5, 1.0], [1.0, 0.5, 0.5]),
                    "trafilatura": _pp([0.5, 1.0, None], [0.5, 1.0, 0.0])}}}}
    out = tmp_path / "res"
    out.mkdir()
    (out / "results.json").write_text(json.dumps(results), encoding="utf-8")
    assert cli.main(["goldsize", "--datasets-root", str(root), "--results", str(out),
                     "--words", "70"]) == 0
    rows = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("| dragnet |")]
    # short: pages 0 and 2 (boilerstrip P 1.0, R 0.75; trafilatura P 0.5, R 0.25)
    assert rows[0] == "| dragnet | 2 | < 70 | 0.857 | 0.333 |"
    assert rows[1] == "| dragnet | 1 | ≥ 70 | 0.500 | 1.000 |"
    assert cli.main(["goldsize", "--results", str(tmp_path / "nowhere")]) == 2


# --- prompt-like boilerplate kept ----------------------------------------------------

APPEAL = "Support our newsroom: donate today and help keep local reporting free for every reader."
SIGNUP = "Sign up for the morning newsletter and get the headlines in your inbox."


def prompt_page(i: int) -> str:
    nav = "".join(f"<li><a href='/{n.lower()}'>{n}</a></li>"
                  for n in NAV + ["Log in", "Subscribe to our newsletter and never miss a story"])
    return (f"<html><head><title>Story {i}</title></head><body><nav><ul>{nav}</ul></nav>"
            f"<article><p>{PARAS[0]}</p><p>{APPEAL}</p><p>{PARAS[1]}</p>"
            f"<p>Comments (3)</p></article><aside><p>{SIGNUP}</p></aside>"
            f"<footer>{FOOTER}</footer></body></html>")


def test_prompt_blocks_are_left_out_sentences_that_ask_something():
    html = prompt_page(0).replace(
        f"<p>{PARAS[1]}</p>", f"<p>{PARAS[1]} Readers left many comments about it.</p>")
    gold = PARAS[0] + "\n" + PARAS[1] + " Readers left many comments about it."
    # the nav's "Log in" and "Subscribe ..." are links, "Comments (3)" is too short, the
    # gold paragraph that mentions comments is content: two prompts remain
    assert prompts.prompt_blocks(html, gold) == [APPEAL, SIGNUP]
    assert prompts.prompt_blocks(html, gold + "\n" + APPEAL) == [SIGNUP]
    assert prompts.prompt_blocks("<p>no gold, no blocks</p>", "") == []
    assert prompts.prompt_blocks("", "gold") == []


def test_a_prompt_is_kept_when_its_words_follow_one_another_in_the_output():
    assert prompts.kept(SIGNUP, "Intro.\nSign up for the morning newsletter -- and get the "
                                "headlines in your inbox!\nMore.")
    assert not prompts.kept(SIGNUP, SIGNUP.replace("morning", "evening"))
    assert not prompts.kept("log in to comment", "catalog in to comments")   # token boundaries
    assert prompts.count_kept({"a": [APPEAL, SIGNUP], "b": [SIGNUP], "c": []},
                              {"a": APPEAL + " and more", "c": "x"}) == (3, 1)


def test_prompts_command_on_a_fake_run(tmp_path, fake_modules, capsys):
    root = tmp_path / "data"
    folder = root / "dragnet"
    (folder / "pages").mkdir(parents=True)
    recs = []
    for i in range(3):
        (folder / "pages" / f"p{i}.html").write_text(prompt_page(i), encoding="utf-8")
        recs.append({"id": f"p{i}", "url": None, "html": f"pages/p{i}.html", "split": "test",
                     "text": PARAS[0] + "\n" + PARAS[1]})
    (folder / "gold.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n",
                                       encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert cli.main(["run", "--datasets-root", str(root), "--out", str(out), "--cache", str(cache),
                     "--speed-pages", "0", "--extractors", "article=fake_ex:article",
                     "all=benchmarks.toy:keep_everything", "nothing=benchmarks.toy:nothing"]) == 0
    capsys.readouterr()
    base = ["prompts", "--datasets-root", str(root), "--results", str(out), "--cache", str(cache)]
    assert cli.main(base + ["--extractors", "article", "all", "nothing", "absent"]) == 0
    text = capsys.readouterr().out
    # two prompts a page: the fake extractor keeps the one inside <article>
    assert "| dragnet | 3 | 6 | 50.0% | 100.0% | 0.0% |" in text
    assert "absent" not in text
    # a cache without this run's outputs is reported, not read as empty outputs:
    # an empty cache folder, or a cache of another version of the extractor
    other = tmp_path / "other-cache"
    other.mkdir()
    res = json.loads((out / "results.json").read_text(encoding="utf-8"))
    res["extractors"]["article"]["version"] = "custom-other"
    moved = tmp_path / "moved"
    moved.mkdir()
    (moved / "results.json").write_text(json.dumps(res), encoding="utf-8")
    for argv in (base[:-1] + [str(other)], base[:4] + [str(moved)] + base[5:]):
        assert cli.main(argv + ["--extractors", "article", "all"]) == 0
        captured = capsys.readouterr()
        assert "| dragnet | 3 | 6 | – |" in captured.out
        assert "no cached outputs of article" in captured.err
    assert cli.main(["prompts", "--results", str(tmp_path / "nowhere")]) == 2


# --- headlines -------------------------------------------------------------------

def blog_page(i: int, menu_items: int) -> str:
    """The site's name is the <h1>; the post's own heading comes after a menu of
    ``menu_items`` entries (past the features' window when the menu is long)."""
    menu = "".join(f"<li><a href='/c{k}'>Category {k}</a></li>" for k in range(menu_items))
    return (f"<html><head><title>Bridge story {i} | The Gazette</title></head><body>"
            f"<h1>The Gazette</h1><ul>{menu}</ul><h2>Bridge story {i}</h2>"
            f"<p>{PARAS[0]}</p><p>{PARAS[1]}</p></body></html>")


def test_same_heading_needs_most_words_on_both_sides():
    assert headlines.same_heading("Bridge story 4", "bridge STORY 4!")
    assert headlines.same_heading("Council votes to rebuild the old bridge",
                                  "Council votes to rebuild old bridge")
    assert not headlines.same_heading("The Gazette", "Bridge story 4 | The Gazette")
    assert not headlines.same_heading("Bridge story 4 and much more besides", "Bridge story 4")
    assert not headlines.same_heading("", "Bridge story 4")


def test_page_check_output_headline_searches_past_the_feature_window():
    assert headlines.page_check(blog_page(1, 0), "Bridge story 1") == (True, True, True)
    # a long menu pushes the post's heading out of the features' window:
    # they fall back to the site's <h1>, the output finds the heading
    assert headlines.page_check(blog_page(1, 40), "Bridge story 1") == (True, True, False)
    assert headlines.page_check(blog_page(1, 0), "A title no block has") == (False, False, False)
    assert headlines.page_check("", "Bridge story 1") == (False, False, False)


def test_headlines_command_on_a_fake_run(tmp_path, capsys):
    root = tmp_path / "data"
    folder = root / "l3s_gn1"
    (folder / "pages").mkdir(parents=True)
    recs = []
    for i, items in enumerate((0, 40, 40, 0)):
        (folder / "pages" / f"p{i}.html").write_text(blog_page(i, items), encoding="utf-8")
        title = "No such heading" if i == 3 else f"Bridge story {i}"
        recs.append({"id": f"p{i}", "url": None, "html": f"pages/p{i}.html",
                     "text": PARAS[0] + "\n" + PARAS[1], "title": title})
    recs.append({"id": "p4", "url": None, "html": "pages/p0.html", "text": PARAS[0]})
    (folder / "gold.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n",
                                       encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["run", "--datasets-root", str(root), "--out", str(out), "--cache",
                     str(tmp_path / "cache"), "--speed-pages", "0",
                     "--extractors", "nothing=benchmarks.toy:nothing"]) == 0
    capsys.readouterr()
    assert cli.main(["headlines", "--datasets-root", str(root), "--results", str(out)]) == 0
    # 4 titled pages (p4 has no title), 3 with the title in a block; the output
    # finds all 3, the features' window only the one with the short menu
    assert "| l3s_gn1 | 4 | 3 | 100.0% | 33.3% |" in capsys.readouterr().out
    assert cli.main(["headlines", "--results", str(tmp_path / "nowhere")]) == 2
