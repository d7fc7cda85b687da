"""The Dask integration on a real ``distributed.LocalCluster`` (2 worker processes)."""
from __future__ import annotations

import gzip
import json
import uuid
from pathlib import Path

import pytest

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
import dask.bag as db  # noqa: E402

import boilerstrip  # noqa: E402
from boilerstrip.batch import CleanError, _model_spec  # noqa: E402
from boilerstrip.integrations.dask import (ModelPlugin, clean_bag, clean_dataframe,  # noqa: E402
                                           clean_warc_bag, worker_model_loads)

PAGES = Path(__file__).resolve().parent.parent / "examples" / "pages"


def _read(p: Path) -> bytes:
    data = p.read_bytes()
    return gzip.decompress(data) if p.name.endswith(".gz") else data


EXAMPLES = [_read(p) for p in sorted(PAGES.iterdir())]
ITEMS = [EXAMPLES[i % 3] if i % 2 else EXAMPLES[i % 3].decode("utf-8", "replace")
         for i in range(30)]


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_workers_are_separate_processes(client):
    import os

    pids = {v["pid"] for v in worker_model_loads(client).values()}
    assert len(pids) == 2 and os.getpid() not in pids


def test_clean_bag_matches_clean_in_order(client):
    bag = db.from_sequence(ITEMS, npartitions=6)
    assert clean_bag(bag).compute() == [boilerstrip.clean(x) for x in ITEMS]


def test_clean_bag_markdown_and_url_pairs(client):
    items = [(x, f"https://news.example/{i}") for i, x in enumerate(ITEMS[:6])]
    got = clean_bag(db.from_sequence(items, npartitions=3), output="json").compute()
    assert [json.loads(g)["url"] for g in got] == [u for _, u in items]
    assert got == [boilerstrip.clean(h, url=u, output="json") for h, u in items]


def test_bad_items_follow_the_error_rule(client):
    items = ITEMS[:5] + [42] + ITEMS[5:8]
    bag = db.from_sequence(items, npartitions=3)
    got = clean_bag(bag).compute()
    assert isinstance(got[5], CleanError) and got[5].type == "TypeError"
    assert got[:5] + got[6:] == [boilerstrip.clean(x) for x in ITEMS[:8]]
    assert clean_bag(bag, errors="none").compute()[5] is None
    with pytest.raises(Exception, match="item"):
        clean_bag(bag, errors="raise").compute()


def test_model_is_loaded_once_per_worker_process(client, tmp_path):
    from boilerstrip.model import default_model_path

    path = tmp_path / "model.json"
    path.write_bytes(default_model_path().read_bytes())
    bag = db.from_sequence(ITEMS * 2, npartitions=20)  # 20 tasks over 2 workers
    assert clean_bag(bag, model=path).compute() == [boilerstrip.clean(x) for x in ITEMS * 2]
    spec = _model_spec(path)
    loads = [v["loads"].get(spec, 0) for v in worker_model_loads(client).values()]
    assert sorted(loads) in ([0, 1], [1, 1])  # at most once per process, never per task


def test_in_memory_model_goes_through_the_graph(client):
    from boilerstrip.model import Model, default_model_path

    model = Model.from_json(default_model_path().read_bytes(), source="<memory>")
    got = clean_bag(db.from_sequence(ITEMS[:6], npartitions=3), model=model).compute()
    assert got == [boilerstrip.clean(x) for x in ITEMS[:6]]


def test_model_plugin_loads_on_every_worker(client):
    client.register_plugin(ModelPlugin())
    loads = [v["loads"].get(("default",), 0) for v in worker_model_loads(client).values()]
    assert loads == [1, 1]


def test_clean_dataframe(client):
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    frame = pd.DataFrame({"html": [x if isinstance(x, str) else x.decode("utf-8", "replace")
                                   for x in ITEMS[:9]] + [None],
                          "url": [f"https://n.example/{i}" for i in range(10)]})
    ddf = dd.from_pandas(frame, npartitions=3)
    out = clean_dataframe(ddf, url_column="url").compute()
    assert list(out.columns) == ["html", "url", "text", "error"]
    assert out["text"].tolist()[:9] == [boilerstrip.clean(x) for x in frame["html"][:9]]
    assert out["text"].iloc[9] is None and out["error"].iloc[9].startswith("TypeError")
    assert out["error"].iloc[:9].isna().all()
    with pytest.raises(KeyError):
        clean_dataframe(ddf, column="body")


def test_clean_warc_bag(client, tmp_path):
    from fastwarc.stream_io import GzipWriter
    from fastwarc.warc import WarcRecord, WarcRecordType

    paths = []
    for n in range(3):
        path = tmp_path / f"part-{n}.warc.gz"
        with open(path, "wb") as fh:
            writer = GzipWriter(fh)
            for i, page in enumerate(EXAMPLES):
                rec = WarcRecord()
                rec.init_headers(WarcRecordType.response, f"uuid:{uuid.uuid4()}".encode())
                rec.headers["WARC-Target-URI"] = f"http://x.example/{n}/{i}"
                rec.headers["Content-Type"] = "application/http; msgtype=response"
                rec.set_bytes_content(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page)
                rec.write(writer)
                writer.finish()
            writer.close()
        paths.append(path)
    lines = clean_warc_bag(paths).compute()
    assert [x["url"] for x in lines] == [f"http://x.example/{n}/{i}" for n in range(3) for i in range(3)]
    assert [x["text"] for x in lines] == [boilerstrip.clean(p) for p in EXAMPLES] * 3
    assert all(x["error"] is None for x in lines)


def test_bad_arguments_raise_when_building_the_graph():
    bag = db.from_sequence(["<p>x</p>"])
    with pytest.raises(ValueError):
        clean_bag(bag, output="pdf")
    with pytest.raises(ValueError):
        clean_bag(bag, errors="skip")
    with pytest.raises(FileNotFoundError):
        clean_bag(bag, model="/no/such/model.json")


def test_runnable_example(client, capsys):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "dask_example", PAGES.parent / "dask_example.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    assert example.main(["--scheduler", client.scheduler.address, str(PAGES / "*")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out] == sorted(p.name for p in PAGES.iterdir())
    words = {line.split(":")[0]: int(line.split(": ")[1].split()[0]) for line in out}
    assert words == {p.name: len(boilerstrip.clean(_read(p)).split()) for p in PAGES.iterdir()}
