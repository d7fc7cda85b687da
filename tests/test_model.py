import json

import numpy as np
import pytest

from boilerstrip.model import Model, ModelError, TreeEnsemble, load_model


def stage(n_features=2):
    # x0 <= 0.5 -> leaf -1.0 ; else x1 <= 2 -> +0.5 else +2.0
    tree = {"feature": [0, -1, 1, -1, -1], "threshold": [0.5, 0, 2.0, 0, 0],
            "left": [1, -1, 3, -1, -1], "right": [2, -1, 4, -1, -1],
            "value": [0, -1.0, 0, 0.5, 2.0]}
    return {"baseline": 0.25, "n_features": n_features, "trees": [tree, tree]}


def spec(**over):
    s = {"format": "boilerstrip-model", "version": 1, "feature_names": ["a", "b"],
         "context_feature_names": ["a", "b"], "threshold": 0.5,
         "stages": {"block": stage(), "context": stage()}}
    s.update(over)
    return s


def test_tree_ensemble_walks_all_trees():
    e = TreeEnsemble(stage())
    X = np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 5.0], [0.5, 9.0]])
    raw = e.decision_function(X)
    assert np.allclose(raw, [0.25 - 2, 0.25 + 1, 0.25 + 4, 0.25 - 2])
    p = e.predict_proba(X)
    assert np.allclose(p, 1 / (1 + np.exp(-raw)))


def test_tree_ensemble_reads_any_memory_order_and_chunks_alike(monkeypatch):
    # the bundled block stage on rows of random features: Fortran-order input
    # (as features.compute returns it) is read in place, C-order input row by
    # row; both give the same sums, also when the rows go through in chunks
    import boilerstrip.model as model_module

    e = load_model().block
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, e.n_features)) * 3
    want = np.array([e.decision_function(row[None, :])[0] for row in X])
    wide = np.zeros((len(X), 2 * e.n_features))
    wide[:, ::2] = X
    strided = wide[:, ::2]              # neither C- nor Fortran-contiguous
    assert not (strided.flags.c_contiguous or strided.flags.f_contiguous)
    for chunk_cells in (1 << 18, len(e.roots) * 7, 1):
        monkeypatch.setattr(model_module, "PREDICT_CHUNK_CELLS", chunk_cells)
        for arr in (np.ascontiguousarray(X), np.asfortranarray(X), strided):
            assert np.array_equal(e.decision_function(arr), want)


def test_model_round_trip_and_validation(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps(spec()))
    m = Model.from_file(path)
    assert m.threshold == 0.5 and m.feature_names == ["a", "b"]
    with pytest.raises(ModelError):
        Model(spec(format="pickle"))
    with pytest.raises(ModelError):
        Model(spec(version=99))
    bad = stage()
    bad["trees"][0]["left"][0] = 0          # a cycle
    with pytest.raises(ModelError):
        Model(spec(stages={"block": bad, "context": stage()}))
    bad = stage()
    bad["trees"][0]["feature"][0] = 7       # feature out of range
    with pytest.raises(ModelError):
        Model(spec(stages={"block": bad, "context": stage()}))


def test_pickle_file_is_refused(tmp_path):
    import pickle

    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps({"format": "boilerstrip-model"}))
    with pytest.raises(ModelError, match="pickle"):
        load_model(path)


def test_bundled_model_loads_and_matches_features():
    from boilerstrip import decode, features

    m = load_model()
    assert m.feature_names == list(features.FEATURE_NAMES)
    assert m.context_feature_names == list(decode.CONTEXT_NAMES)
    assert load_model() is m                # loaded once, shared
    assert m.block.feature.flags.writeable is False


def test_feature_probe_catches_features_changed_under_the_same_names():
    digest = [1.0, 2.5, 3.0]
    names = ["a", "b"]
    m = Model(spec(feature_probe=digest))
    m.check_features(names, None, lambda: [1.0, 2.5, 3.0 + 1e-12])   # rounding noise passes
    other = Model(spec(feature_probe=digest))
    with pytest.raises(ModelError, match="computed differently"):
        other.check_features(names, None, lambda: [1.0, 2.6, 3.0])
    with pytest.raises(ModelError, match="computed differently"):
        Model(spec(feature_probe=digest)).check_features(names, None, lambda: [1.0, 2.5])
    # a model without a probe (older files) is checked by names only
    Model(spec()).check_features(names, None, lambda: [9.0])
    # the names are checked first, and the probe cannot be malformed
    with pytest.raises(ModelError, match="other features"):
        Model(spec(feature_probe=digest)).check_features(["a", "c"], None, lambda: digest)
    for bad in ("x", [1.0, float("nan")], [[1.0]], ["a"]):
        with pytest.raises(ModelError, match="feature_probe"):
            Model(spec(feature_probe=bad))


def test_bundled_model_carries_the_probe_of_todays_features():
    from boilerstrip import features

    m = load_model()
    assert m.feature_probe is not None
    assert np.allclose(features.probe_digest(), m.feature_probe, rtol=1e-7, atol=1e-9)


def test_clean_refuses_a_model_whose_features_changed_under_the_same_names():
    import boilerstrip
    from boilerstrip.model import default_model_path

    # the bundled model's trees and names, with the probe of "another version"
    bundled = json.loads(default_model_path().read_bytes())
    bundled["feature_probe"] = [v + 1.0 for v in bundled["feature_probe"]]
    m = Model(bundled, source="old.json")
    with pytest.raises(ModelError, match="old.json: the model was trained on features computed"):
        boilerstrip.clean("<p>The council voted on Tuesday to rebuild the bridge.</p>", model=m)


def test_probe_digest_changes_when_a_lexicon_changes(monkeypatch):
    from boilerstrip import features

    before = features.probe_digest()
    lex = dict(features._LEX)
    lex["harbour"] = lex.get("harbour", 0) | features.T.CTA_BIT   # one more CTA word
    monkeypatch.setattr(features, "_LEX", lex)
    monkeypatch.setattr(features, "_PROBE", None)
    assert features.probe_digest() != before
    monkeypatch.undo()
    assert features.probe_digest() == before
