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
