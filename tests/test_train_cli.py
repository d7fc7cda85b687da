"""boilerstrip train (train_cli.py) and the BlockClassifier estimator; custom model files."""
from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import boilerstrip
from boilerstrip import train_cli
from boilerstrip.cli import main
from boilerstrip.datasets import EVALUATION_SETS, TRAINABLE_SETS, load_corpus
from boilerstrip.model import ModelError

pytest.importorskip("sklearn")
from threadpoolctl import threadpool_limits  # noqa: E402  (installed with scikit-learn)

from boilerstrip.train import BlockClassifier, prepare_page  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "corpus" / "example"
SMALL = {"max_iter": 8, "context_max_iter": 5, "n_folds": 2, "min_samples_leaf": 5,
         "max_depth": 3, "max_leaf_nodes": 8, "learning_rate": 0.3}


@pytest.fixture(autouse=True)
def one_thread():
    # tiny fits on a busy machine: OpenMP threads only add waiting
    with threadpool_limits(1):
        yield


def config(tmp_path, corpora, **over) -> Path:
    cfg = {"corpora": [str(c) for c in corpora], "seed": 0, "holdout": 0.34,
           "params": SMALL, **over}
    path = tmp_path / "cfg.json"
    path.write_text(json.dumps(cfg))
    return path


def meta_of(path) -> dict:
    return json.loads(Path(path).read_text())["meta"]


# --- the estimator ---------------------------------------------------------------------

def test_estimator_params_follow_sklearn():
    from sklearn.base import clone

    clf = BlockClassifier(max_iter=7, learning_rate=0.2, random_state=3)
    params = clf.get_params()
    assert params["max_iter"] == 7 and params["random_state"] == 3
    assert set(params) == {"max_iter", "learning_rate", "max_leaf_nodes", "max_depth",
                           "min_samples_leaf", "l2_regularization", "context_max_iter",
                           "n_folds", "threshold", "context_monotonic", "random_state"}
    twin = clone(clf)
    assert twin is not clf and twin.get_params() == params
    assert clf.set_params(max_iter=9) is clf and clf.max_iter == 9
    with pytest.raises(ValueError, match="invalid parameter"):
        clf.set_params(n_estimators=5)
    assert repr(BlockClassifier(max_iter=7)) == "BlockClassifier(max_iter=7)"


def test_estimator_fits_pages_and_exports_a_model():
    pages = [prepare_page(p, "example") for p in load_corpus(EXAMPLE)]
    clf = BlockClassifier(random_state=0, **SMALL).fit(pages)
    assert not hasattr(BlockClassifier(), "block_")
    p = clf.predict_proba(pages[0])
    assert p.shape == (len(pages[0].y),) and np.all((p >= 0) & (p <= 1))
    model = clf.to_model({"note": "test"})
    html = load_corpus(EXAMPLE)[0].read_bytes()
    assert isinstance(boilerstrip.clean(html, model=model), str)
    # refitting a clone on the same data gives the same model
    from sklearn.base import clone

    again = clone(clf).fit(pages)
    assert json.dumps(again.to_spec()) == json.dumps(clf.to_spec())


# --- the command --------------------------------------------------------------------------

def test_same_corpus_and_seed_give_identical_bytes_with_or_without_cache(tmp_path):
    cfg = config(tmp_path, [EXAMPLE])
    cache = tmp_path / "cache"
    outs = []
    for i, extra in enumerate([["--no-cache"], ["--cache", str(cache)], ["--cache", str(cache)],
                               ["--no-cache", "--jobs", "2"]]):
        out = tmp_path / f"m{i}.json"
        assert main(["train", "--config", str(cfg), "-o", str(out), "--no-progress",
                     "--no-compare", *extra]) == 0
        outs.append(out.read_bytes())
    assert len(list(cache.glob("*.npz"))) == 6
    assert outs[0] == outs[1] == outs[2] == outs[3]
    # a damaged cache entry is rebuilt, not trusted
    for f in cache.glob("*.npz"):
        f.write_bytes(b"garbage")
    out = tmp_path / "m5.json"
    assert main(["train", "--config", str(cfg), "-o", str(out), "--no-progress",
                 "--no-compare", "--cache", str(cache)]) == 0
    assert out.read_bytes() == outs[0]
    # another seed is another model
    out = tmp_path / "m6.json"
    assert main(["train", "--config", str(cfg), "-o", str(out), "--seed", "1", "--no-progress",
                 "--no-compare", "--no-cache"]) == 0
    assert out.read_bytes() != outs[0]
    # the model works in clean() and in boilerstrip clean --model
    page = EXAMPLE / "pages" / "night-bus.html"
    text = boilerstrip.clean(page.read_bytes(), model=str(tmp_path / "m0.json"))
    assert text == boilerstrip.clean(page.read_bytes(), model=boilerstrip.load_model(
        tmp_path / "m0.json"))
    r = subprocess.run([sys.executable, "-m", "boilerstrip", "clean", "--model",
                        str(tmp_path / "m0.json"), str(page)], capture_output=True, text=True,
                       cwd=ROOT)
    assert r.returncode == 0 and r.stdout.strip() == text.strip()


def test_cache_round_trip_is_exact(tmp_path):
    page = load_corpus(EXAMPLE)[0]
    pd = prepare_page(page, "example")
    train_cli._save_cached(tmp_path / "x.npz", pd)
    back = train_cli._load_cached(tmp_path / "x.npz")
    assert back.blocks == pd.blocks
    assert back.X.dtype == pd.X.dtype and np.array_equal(back.X, pd.X)
    assert np.array_equal(back.y, pd.y) and np.array_equal(back.w, pd.w)
    assert (back.id, back.corpus, back.gold, back.title, back.page_type) == \
        (pd.id, pd.corpus, pd.gold, pd.title, pd.page_type)


def test_cache_follows_gold_page_bytes_and_code(tmp_path):
    """An edited gold record or page, or edited preparation code, is never served stale."""
    page = load_corpus(EXAMPLE)[0]
    raw = page.read_bytes()
    fp = train_cli.code_fingerprint()
    key = train_cli._cache_key(page, "example", raw, fp)
    assert key == train_cli._cache_key(load_corpus(EXAMPLE)[0], "example", raw, fp)
    page2 = load_corpus(EXAMPLE)[0]
    page2.text += "\nOne more gold line."
    assert train_cli._cache_key(page2, "example", raw, fp) != key
    page3 = load_corpus(EXAMPLE)[0]
    page3.extra["comments"] = ["a reader's comment"]          # any field of the record
    assert train_cli._cache_key(page3, "example", raw, fp) != key
    assert train_cli._cache_key(page, "example", raw + b" ", fp) != key
    assert train_cli._cache_key(page, "other", raw, fp) != key
    assert train_cli._cache_key(page, "example", raw, "x" + fp[1:]) != key
    names = {p.name for p in train_cli.prep_modules()}
    assert {"segment.py", "features.py", "labels.py", "encoding.py", "parse.py", "api.py",
            "train.py", "corpus.py"} <= names
    assert not names & {"train_cli.py", "evaluate.py", "label.py", "cli.py", "batch.py",
                        "model.py", "render.py"}
    # end to end: the same corpus with an edited gold gets other labels through the cache
    corp = tmp_path / "example"
    shutil.copytree(EXAMPLE, corp)
    cache = tmp_path / "cache"
    first = train_cli.load_pages([str(corp)], progress=False, cache_dir=cache)[0]
    gold = corp / "gold.jsonl"
    recs = [json.loads(x) for x in gold.read_text().splitlines()]
    recs[0]["labels"] = [{"index": i, "label": 0} for i in range(len(first[0].y))]
    gold.write_text("".join(json.dumps(r) + "\n" for r in recs))
    second = train_cli.load_pages([str(corp)], progress=False, cache_dir=cache)[0]
    assert (first[0].y == 1).any() and (second[0].y == 0).all()
    assert len(list(cache.glob("*.npz"))) == 7


def broken_corpus(tmp_path) -> Path:
    corp = tmp_path / "site"
    shutil.copytree(EXAMPLE, corp)
    with (corp / "gold.jsonl").open("a") as fh:
        fh.write(json.dumps({"id": "gone", "html": "pages/gone.html", "text": "x"}) + "\n")
        fh.write(json.dumps({"id": "wrong-gold", "html": "pages/night-bus.html",
                             "text": "A report about a cricket match somewhere far away"}) + "\n")
    return corp


def test_bad_pages_are_reported_and_left_out(tmp_path, capsys):
    corp = broken_corpus(tmp_path)
    cfg = config(tmp_path, [], holdout=0.0)
    cfg_doc = json.loads(cfg.read_text())
    cfg_doc.pop("corpora")
    cfg.write_text(json.dumps(cfg_doc))
    out = tmp_path / "m.json"
    # corpora named on the command line are checked strictly
    assert main(["train", str(corp), "--config", str(cfg), "-o", str(out), "--no-progress",
                 "--no-compare", "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert "site/gone skipped: page file pages/gone.html not found" in err
    assert "site/wrong-gold skipped: the gold text matches no block" in err
    assert meta_of(out)["pages"]["skipped"] == 2
    assert meta_of(out)["pages"]["train"] == 6


def test_config_corpora_keep_imperfect_pages_unless_strict(tmp_path, capsys):
    corp = broken_corpus(tmp_path)
    cfg = config(tmp_path, [corp], holdout=0.0)
    out = tmp_path / "m.json"
    assert main(["train", "--config", str(cfg), "-o", str(out), "--no-progress",
                 "--no-compare", "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert "gone skipped" in err and "wrong-gold skipped" not in err
    assert "page wrong-gold" in err                    # still reported
    assert meta_of(out)["pages"] == {"train": 7, "held_out": 0, "skipped": 1}
    assert main(["train", "--config", str(cfg), "-o", str(out), "--no-progress",
                 "--no-compare", "--no-cache", "--strict"]) == 0
    assert meta_of(out)["pages"]["skipped"] == 2


def test_nothing_usable_is_a_clear_error(tmp_path, capsys):
    corp = tmp_path / "bad"
    (corp / "pages").mkdir(parents=True)
    (corp / "gold.jsonl").write_text(json.dumps({"id": "a", "html": "pages/a.html"}) + "\n")
    assert main(["train", str(corp), "-o", str(tmp_path / "m.json"), "--no-progress",
                 "--no-cache"]) == 2
    assert "no labeled blocks to train on" in capsys.readouterr().err
    assert not (tmp_path / "m.json").exists()


def test_check_only(tmp_path, capsys):
    assert main(["train", str(EXAMPLE), "--check-only", "--no-progress"]) == 0
    assert main(["train", str(broken_corpus(tmp_path)), "--check-only", "--no-progress"]) == 1
    out = capsys.readouterr().out
    assert "page gone" in out and "page wrong-gold" in out


def test_site_adaptation_weights_the_users_pages(tmp_path, capsys):
    """--base CONFIG trains on the config's corpora plus the user's, weighted up."""
    base_corpus = tmp_path / "base"
    shutil.copytree(EXAMPLE, base_corpus)
    site = tmp_path / "mysite"
    (site / "pages").mkdir(parents=True)
    from boilerstrip.label import LabelSession

    for name in ("chess-final", "river-cleanup"):
        s = LabelSession(EXAMPLE / "pages" / f"{name}.html", site)
        s.save([int(k) for k in s.kept])
    cfg = config(tmp_path, [base_corpus], output="models/default.json",
                 card="models/MODEL_CARD.md", corpus_weights={"base": 1.0})
    out = tmp_path / "adapted.json"
    report = tmp_path / "report.json"
    assert main(["train", "--base", str(cfg), str(site), "-o", str(out), "--user-weight", "7",
                 "--user-holdout", "0", "--no-progress", "--no-cache",
                 "--report", str(report)]) == 0
    meta = meta_of(out)
    assert meta["corpora"] == [str(base_corpus), str(site)]
    assert meta["corpus_weights"] == {"base": 1.0, "mysite": 7.0}
    assert meta["base"] == {"config": str(cfg), "user_corpora": ["mysite"], "user_weight": 7.0,
                            "user_holdout": 0.0}
    # every user page trains; the base corpus keeps its holdout
    held_base = sum(train_cli.is_holdout("base", p.id, 0.34) for p in load_corpus(EXAMPLE))
    assert meta["pages"] == {"train": 8 - held_base, "held_out": held_base, "skipped": 0}
    rep = json.loads(report.read_text())
    assert set(rep["bundled"]["corpora"]) == {"base", "mysite"}
    assert "bundled acc" in capsys.readouterr().err
    # the bundled model's output and card named in the config are never written
    assert not (tmp_path / "models").exists()
    assert main(["train", "--base", str(cfg), str(site), "--no-progress"]) == 2
    assert "-o MODEL is required" in capsys.readouterr().err


def test_base_default_is_the_bundled_recipe():
    cfg = json.loads(train_cli.bundled_config_path().read_text())
    assert cfg["corpora"] and set(cfg["corpora"]) <= set(TRAINABLE_SETS)
    assert not set(cfg["corpora"]) & set(EVALUATION_SETS)   # evaluation sets never train it


@pytest.mark.parametrize("argv, msg", [
    (["--base", "default"], "--base needs at least one corpus of your own"),
    (["EX", "EX", "-o", "m.json"], "corpus names must differ"),
    (["EX", "--base", "default", "--config", "c.json"], "do not go together"),
    (["EX", "-o", "m.json", "--holdout", "1.5"], "holdout shares must be in [0, 1)"),
    (["EX", "--base", "default", "-o", "m.json", "--user-weight", "0"],
     "--user-weight must be positive"),
    (["NOPE", "-o", "m.json"], "no corpus at"),
    (["EX", "--cv", "1"], "--cv needs at least 2 folds"),
    (["EX", "--base", "default", "--cv", "3"], "--cv and --base do not go together"),
])
def test_usage_errors(tmp_path, capsys, argv, msg):
    (tmp_path / "c.json").write_text("{}")
    argv = [{"EX": str(EXAMPLE), "NOPE": str(tmp_path / "nope"),
             "c.json": str(tmp_path / "c.json"), "m.json": str(tmp_path / "m.json")}.get(a, a)
            for a in argv]
    assert main(["train", *argv, "--no-progress"]) == 2
    assert msg in capsys.readouterr().err


def test_cross_validation_scores_every_page_once_and_writes_no_model(tmp_path, capsys):
    cfg = config(tmp_path, [EXAMPLE])
    report = tmp_path / "cv.json"
    out = tmp_path / "m.json"
    assert main(["train", "--config", str(cfg), "--cv", "3", "--report", str(report),
                 "-o", str(out), "--no-progress", "--cache", str(tmp_path / "cache")]) == 0
    err = capsys.readouterr().err
    assert "3-fold cross-validation" in err and "fold 3/3" in err
    rep = json.loads(report.read_text())
    n_pages = len(load_corpus(str(EXAMPLE)))
    assert rep["folds"] == 3 and rep["all"]["pages"] == n_pages
    assert sum(r["pages"] for r in rep["corpora"].values()) == n_pages
    assert 0.0 < rep["all"]["block_accuracy"] <= 1.0 and rep["all"]["f1_std"] >= 0.0
    assert "synthetic in-article appeals kept" in err
    assert 0 <= rep["appeals"]["kept"] <= rep["appeals"]["inserted"]
    assert "real prompts kept" in err
    assert rep["prompts"]["prompts"] > 0 and 0 <= rep["prompts"]["kept"] <= rep["prompts"]["prompts"]
    assert not out.exists()
    # the folds are a stable hash of corpus/id that spreads pages over all folds
    ids = [f"page-{i}" for i in range(300)]
    folds = [train_cli.cv_fold("c", i, 4) for i in ids]
    assert folds == [train_cli.cv_fold("c", i, 4) for i in ids]
    assert all(40 < folds.count(k) < 110 for k in range(4))


def test_appeal_check_counts_the_inserted_blocks_kept():
    pages = [prepare_page(p, "example") for p in load_corpus(str(EXAMPLE))]
    with_run = [p for p in pages if (p.y == 1).sum() >= 3]
    assert with_run, "the example corpus needs pages with an article run"
    keep_all = train_cli.appeal_check(lambda p: np.ones(len(p.y)), pages, 0.5)
    keep_none = train_cli.appeal_check(lambda p: np.zeros(len(p.y)), pages, 0.5)
    assert keep_all["pages"] == keep_none["pages"] == len(with_run)
    assert keep_all["inserted"] == keep_none["inserted"] > 0
    assert keep_all["kept"] == keep_all["inserted"] and keep_all["kept_share"] == 1.0
    assert keep_none["kept"] == 0 and keep_none["kept_share"] == 0.0
    # keep exactly the page's own blocks: none of the inserted ones
    own = {t for p in pages for t in p.blocks.text}
    only_own = train_cli.appeal_check(
        lambda p: np.array([float(t in own) for t in p.blocks.text]), pages, 0.5)
    assert only_own["kept"] == 0
    # the inserted texts do not depend on the model, only on the seed
    assert train_cli.appeal_check(lambda p: np.ones(len(p.y)), pages, 0.5, seed=7)["inserted"] > 0


def test_headline_appeal_check_sets_its_blocks_right_after_the_headline():
    from boilerstrip.api import find_headline, lede_anchor

    pages = [prepare_page(p, "example") for p in load_corpus(str(EXAMPLE))]
    anchored = [p for p in pages
                if lede_anchor(p.X, p.blocks.tag, find_headline(p.X, p.blocks.tag)) is not None]
    assert anchored, "the example corpus needs pages whose headline matches the title"
    keep_all = train_cli.headline_appeal_check(lambda p: np.ones(len(p.y)), pages, 0.5)
    keep_none = train_cli.headline_appeal_check(lambda p: np.zeros(len(p.y)), pages, 0.5)
    assert keep_all["pages"] == keep_none["pages"] == len(anchored)
    assert keep_all["inserted"] == keep_none["inserted"] >= len(anchored)
    assert keep_all["kept"] == keep_all["inserted"] and keep_none["kept"] == 0
    # the inserted blocks sit right after the headline: a model that keeps only
    # the blocks after the first few of the page keeps none of them
    own = {t for p in pages for t in p.blocks.text}
    only_own = train_cli.headline_appeal_check(
        lambda p: np.array([float(t in own) for t in p.blocks.text]), pages, 0.5)
    assert only_own["kept"] == 0
    # where the model found the article, the lede rule leaves a low-scoring
    # inserted block dropped: scores 0.4 for the new blocks, 0.95 for the rest
    low_new = train_cli.headline_appeal_check(
        lambda p: np.array([0.95 if t in own else 0.4 for t in p.blocks.text]), pages, 0.5)
    assert low_new["kept"] == 0


def test_prompt_check_counts_the_pages_own_prompts_kept():
    from boilerstrip import metrics

    pages = [prepare_page(p, "example") for p in load_corpus(str(EXAMPLE))]
    # full gold text only: a page labeled by snippets or block labels knows too
    # little of what it leaves out
    masks = {p.id: metrics.prompt_mask(p.blocks.text, p.blocks.link_chars, p.y)
             for p in pages if p.gold}
    with_prompts = [p for p in pages if p.id in masks and masks[p.id].any()]
    assert len(masks) < len(pages)
    assert with_prompts, "the example corpus needs pages with prompts"
    n = sum(int(m.sum()) for m in masks.values())
    keep_all = train_cli.prompt_check(lambda p: np.ones(len(p.y)), pages, 0.5)
    assert keep_all == {"pages": len(with_prompts), "prompts": n, "kept": n, "kept_share": 1.0}
    keep_none = train_cli.prompt_check(lambda p: np.zeros(len(p.y)), pages, 0.5)
    assert keep_none["prompts"] == n and keep_none["kept"] == 0
    # keeping exactly the gold keeps no prompt: a prompt is a block the gold leaves out
    gold_only = train_cli.prompt_check(lambda p: (p.y == 1).astype(float), pages, 0.5)
    assert gold_only["kept"] == 0
    # keeping one prompt of one page counts one
    first = with_prompts[0]
    one = np.flatnonzero(masks[first.id])[0]
    one_only = train_cli.prompt_check(
        lambda p: (np.arange(len(p.y)) == one).astype(float) if p.id == first.id
        else np.zeros(len(p.y)), pages, 0.5)
    assert one_only["kept"] == 1
    # pages without full gold text are not counted
    for p in pages:
        p.gold = None
    assert train_cli.prompt_check(lambda p: np.ones(len(p.y)), pages, 0.5)["prompts"] == 0


def test_cross_validation_never_scores_a_page_with_a_model_that_saw_it(tmp_path, monkeypatch):
    from boilerstrip import train as train_mod

    fit, predict = train_mod.BlockClassifier.fit, train_mod.BlockClassifier.predict_proba
    scored = []

    def spy_fit(self, pages, **kw):
        self.seen_ = {p.id for p in pages}
        return fit(self, pages, **kw)

    def spy_predict(self, page):
        assert page.id not in self.seen_
        scored.append(page.id)
        return predict(self, page)

    monkeypatch.setattr(train_mod.BlockClassifier, "fit", spy_fit)
    monkeypatch.setattr(train_mod.BlockClassifier, "predict_proba", spy_predict)
    cfg = config(tmp_path, [EXAMPLE])
    assert main(["train", "--config", str(cfg), "--cv", "3", "--no-progress",
                 "--cache", str(tmp_path / "cache")]) == 0
    ids = [p.id for p in load_corpus(str(EXAMPLE))]
    # every page once for its scores, and once more with synthetic appeals when
    # it has an article run (appeal_check): never by a model that saw it
    assert sorted(set(scored)) == sorted(ids)
    assert all(1 <= scored.count(i) <= 2 for i in ids) and len(scored) > len(ids)


def test_cross_validation_with_too_few_pages_is_a_clear_error(tmp_path, capsys):
    # two folds of the six example pages: one fold trains on a single page
    cfg = config(tmp_path, [EXAMPLE])
    assert main(["train", "--config", str(cfg), "--cv", "2", "--no-progress",
                 "--cache", str(tmp_path / "cache")]) == 2
    assert "too few pages with labeled blocks" in capsys.readouterr().err


# --- custom model files: loading refuses anything that is not a model -----------------------

HTML = (EXAMPLE / "pages" / "night-bus.html").read_bytes()


def non_models(tmp_path) -> dict:
    files = {
        "text": b"this is not a model",
        "html": HTML,
        "pickle": pickle.dumps({"format": "boilerstrip-model", "version": 1}),
        "empty": b"",
        "json-list": b"[1, 2, 3]",
        "json-other": json.dumps({"format": "something-else", "version": 1}).encode(),
        "future-version": json.dumps({"format": "boilerstrip-model", "version": 99}).encode(),
        "truncated": boilerstrip.model.default_model_path().read_bytes()[:5000],
    }
    out = {}
    for name, data in files.items():
        p = tmp_path / f"{name}.json"
        p.write_bytes(data)
        out[name] = p
    return out


@pytest.mark.parametrize("kind", ["text", "html", "pickle", "empty", "json-list", "json-other",
                                  "future-version", "truncated"])
def test_clean_refuses_non_model_files(tmp_path, kind):
    path = non_models(tmp_path)[kind]
    with pytest.raises(ModelError) as exc:
        boilerstrip.clean(HTML, model=str(path))
    assert str(path) in str(exc.value) or path.name in str(exc.value)


def test_cli_refuses_non_model_files(tmp_path):
    for kind, path in non_models(tmp_path).items():
        r = subprocess.run([sys.executable, "-m", "boilerstrip", "clean", "--model", str(path),
                            str(EXAMPLE / "pages" / "night-bus.html")], capture_output=True,
                           text=True, cwd=ROOT)
        assert r.returncode == 2, kind
        assert "boilerstrip clean: error:" in r.stderr and r.stdout == "", kind


def test_clean_refuses_a_directory_as_model(tmp_path):
    with pytest.raises(ModelError, match="cannot read model"):
        boilerstrip.clean(HTML, model=str(tmp_path))


def test_clean_refuses_a_model_for_other_features(tmp_path):
    stage = {"baseline": 0.0, "n_features": 2, "trees": [
        {"feature": [0, -1, -1], "threshold": [0.5, 0, 0], "left": [1, -1, -1],
         "right": [2, -1, -1], "value": [0, -1.0, 1.0]}]}
    spec = {"format": "boilerstrip-model", "version": 1, "feature_names": ["a", "b"],
            "context_feature_names": ["a", "b"], "threshold": 0.5,
            "stages": {"block": stage, "context": stage}}
    path = tmp_path / "other.json"
    path.write_text(json.dumps(spec))
    with pytest.raises(ModelError, match="features"):
        boilerstrip.clean(HTML, model=str(path))


def test_training_without_scikit_learn_says_what_to_install(tmp_path):
    code = ("import sys; sys.modules['sklearn'] = None\n"
            "from boilerstrip.cli import main\n"
            f"sys.exit(main(['train', {str(EXAMPLE)!r}, '-o', {str(tmp_path / 'm.json')!r}]))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2
    assert "training needs scikit-learn: pip install 'boilerstrip[train]'" in r.stderr
    assert not (tmp_path / "m.json").exists()


def test_threshold_moves_from_the_default_only_for_a_clear_gain():
    from boilerstrip.train_cli import THRESHOLD_MIN_GAIN, pick_threshold
    f1 = {0.4: 0.90, 0.45: 0.9405, 0.5: 0.940, 0.55: 0.93}
    assert pick_threshold(f1, 0.5) == 0.5                      # +0.0005 is noise
    f1[0.45] = 0.940 + 2 * THRESHOLD_MIN_GAIN
    assert pick_threshold(f1, 0.5) == 0.45
    assert pick_threshold({0.5: 0.8, 0.6: 0.8}, 0.5) == 0.5    # ties keep the default


def test_report_shows_both_checks_next_to_the_bundled_model():
    row = {"pages": 4, "pages_with_text": 3, "block_accuracy": 0.9, "f1": 0.8}
    full = {"threshold": 0.5, "corpora": {"c": row}, "all": row,
            "appeals": {"pages": 2, "inserted": 10, "kept": 1, "kept_share": 0.1},
            "headline_appeals": {"pages": 1, "inserted": 2, "kept": 0, "kept_share": 0.0},
            "prompts": {"pages": 3, "prompts": 8, "kept": 2, "kept_share": 0.25},
            "bundled": {"corpora": {"c": row}, "all": row,
                        "appeals": {"pages": 2, "inserted": 10, "kept": 3, "kept_share": 0.3},
                        "headline_appeals": {"pages": 1, "inserted": 2, "kept": 1,
                                             "kept_share": 0.5},
                        "prompts": {"pages": 3, "prompts": 8, "kept": 4, "kept_share": 0.5}}}
    lines = train_cli.format_report(full).splitlines()
    assert lines[-3] == ("synthetic in-article appeals kept: 1/10 (10.0%) on 2 pages"
                         " | bundled 3/10 (30.0%)")
    assert lines[-2] == ("synthetic appeals after the headline kept: 0/2 (0.0%) on 1 pages"
                         " | bundled 1/2 (50.0%)")
    assert lines[-1] == "real prompts kept: 2/8 (25.0%) on 3 pages | bundled 4/8 (50.0%)"
    # no bundled model to compare with: the lines alone, and why
    full["bundled"] = {"error": "ModelError: other features"}
    lines = train_cli.format_report(full).splitlines()
    assert lines[-2] == "real prompts kept: 2/8 (25.0%) on 3 pages"
    assert lines[-1] == "(bundled model not compared: ModelError: other features)"
