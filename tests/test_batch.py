"""``boilerstrip.batch.clean_many``: order, errors, laziness, model loading per worker."""
from __future__ import annotations

import gzip
import itertools
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import boilerstrip
from boilerstrip.batch import (BatchError, CleanError, _model_spec, clean_many, effective_jobs,
                               model_loads, process_id, worker_pool)

PAGES = Path(__file__).resolve().parent.parent / "examples" / "pages"


def _read(p: Path) -> bytes:
    data = p.read_bytes()
    return gzip.decompress(data) if p.name.endswith(".gz") else data


EXAMPLES = [_read(p) for p in sorted(PAGES.iterdir())]


def _items(n: int) -> list:
    """A mix of bytes pages, str pages, (html, url) pairs and tiny pages."""
    out = []
    for i in range(n):
        page = EXAMPLES[i % len(EXAMPLES)]
        kind = i % 4
        if kind == 0:
            out.append(page)
        elif kind == 1:
            out.append(page.decode("utf-8", "replace"))
        elif kind == 2:
            out.append((page, f"https://news.example/{i}"))
        else:
            out.append(f"<html><body><p>Short page number {i}.</p></body></html>")
    return out


def _expected(item, **kw):
    if isinstance(item, tuple):
        return boilerstrip.clean(item[0], url=item[1], **kw)
    return boilerstrip.clean(item, **kw)


@pytest.fixture(scope="module")
def items():
    return _items(24)


def test_serial_matches_clean(items):
    assert list(clean_many(items)) == [_expected(x) for x in items]


@pytest.mark.parametrize("chunksize", [None, 1, 5])
def test_two_workers_keep_input_order(items, chunksize):
    assert list(clean_many(items, n_jobs=2, chunksize=chunksize)) == [_expected(x) for x in items]


@pytest.mark.parametrize("output", ["markdown", "html", "json"])
def test_output_formats_and_urls(items, output):
    got = list(clean_many(items[:8], n_jobs=2, output=output, chunksize=2))
    assert got == [_expected(x, output=output) for x in items[:8]]


def test_threshold_is_passed_on(items):
    for t in (0.05, 0.95):
        assert list(clean_many(items[:6], threshold=t)) == [_expected(x, threshold=t) for x in items[:6]]


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_failing_items_become_markers_and_the_batch_goes_on(items, n_jobs):
    bad = list(items[:10])
    bad[2] = 12345
    bad[5] = ["not", "html"]
    bad[7] = (b"<p>x</p>", 99)  # a url that is not a str
    got = list(clean_many(bad, n_jobs=n_jobs, chunksize=3))
    assert len(got) == 10
    for i in (2, 5, 7):
        assert isinstance(got[i], CleanError)
        assert got[i].index == i and got[i].type == "TypeError" and got[i].message
        assert not got[i]  # falsy
    for i in set(range(10)) - {2, 5, 7}:
        assert got[i] == _expected(bad[i])


def test_error_rule_none_and_raise(items):
    bad = [items[0], None, items[1]]
    assert list(clean_many(bad, errors="none")) == [_expected(items[0]), None, _expected(items[1])]
    gen = clean_many(bad, errors="raise")
    assert next(gen) == _expected(items[0])
    with pytest.raises(BatchError, match="item 1"):
        next(gen)


def test_empty_pages_give_empty_strings_not_errors():
    empty = ["", b"", "   ", "<html></html>", b"<html><body></body></html>"]
    assert list(clean_many(empty, n_jobs=2, chunksize=1)) == [""] * len(empty)
    odd = [b"\x00\xff\xfe", "\ud800", b"\xef\xbb\xbf"]
    assert list(clean_many(odd, n_jobs=2, chunksize=1)) == [boilerstrip.clean(x) for x in odd]


def test_empty_input():
    assert list(clean_many([], n_jobs=2)) == []


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_endless_input_is_consumed_lazily(n_jobs):
    page = "<html><body><p>The same short story, told again and again.</p></body></html>"
    pulled = []

    def endless():
        for i in itertools.count():
            pulled.append(i)
            yield page

    got = list(itertools.islice(clean_many(endless(), n_jobs=n_jobs, chunksize=4), 10))
    assert got == [boilerstrip.clean(page)] * 10
    assert len(pulled) < 200  # read ahead a bounded number of chunks, not forever


def test_bad_arguments_raise_before_any_work():
    with pytest.raises(ValueError, match="output"):
        clean_many(["<p>x</p>"], output="pdf")
    with pytest.raises(TypeError):
        clean_many(["<p>x</p>"], threshold="high")
    with pytest.raises(ValueError):
        clean_many(["<p>x</p>"], threshold=float("nan"))
    with pytest.raises(ValueError):
        clean_many(["<p>x</p>"], threshold=1.5)
    with pytest.raises(ValueError):
        clean_many(["<p>x</p>"], chunksize=0)
    with pytest.raises(ValueError):
        clean_many(["<p>x</p>"], errors="ignore")
    with pytest.raises(TypeError):
        clean_many(["<p>x</p>"], n_jobs=1.5)
    with pytest.raises(FileNotFoundError):
        clean_many(["<p>x</p>"], model="/no/such/model.json")


def test_effective_jobs():
    cpus = len(os.sched_getaffinity(0))
    assert effective_jobs(None) == 1 and effective_jobs(3) == 3
    assert effective_jobs(0) == cpus and effective_jobs(-1) == cpus
    assert effective_jobs(-cpus - 5) == 1


def _model_file(tmp_path: Path) -> Path:
    from boilerstrip.model import default_model_path

    path = tmp_path / "model.json"
    path.write_bytes(default_model_path().read_bytes())
    return path


def test_model_path_is_loaded_once_per_worker(items, tmp_path):
    path = _model_file(tmp_path)
    many = items * 3
    got = list(clean_many(many, n_jobs=2, model=path, chunksize=2))
    assert got == [_expected(x) for x in many]  # 36 chunks over 2 workers
    spec = _model_spec(path)
    # ask the (reused) worker processes how often each loaded that model
    pool = worker_pool(2)
    probes = [f.result() for f in [pool.submit(_probe, spec) for _ in range(16)]]
    loads = dict(probes)
    assert os.getpid() not in loads
    assert loads and all(n <= 1 for n in loads.values())
    assert any(n == 1 for n in loads.values())


def _probe(spec):
    import time

    time.sleep(0.05)  # let both workers take some probes
    return process_id(), model_loads().get(spec, 0)


def test_model_object_from_file_travels_as_its_path(tmp_path):
    path = _model_file(tmp_path)
    model = boilerstrip.load_model(path)
    assert _model_spec(model) == ("path", str(path.resolve()))
    assert _model_spec(None) == ("default",)


def test_in_memory_model_object(items):
    from boilerstrip.model import Model, default_model_path

    model = Model.from_json(default_model_path().read_bytes(), source="<memory>")
    assert _model_spec(model)[0] == "object"
    assert list(clean_many(items[:6], n_jobs=2, model=model, chunksize=2)) == \
        [_expected(x) for x in items[:6]]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(max_size=300), st.binary(max_size=300),
                          st.integers(), st.none()), max_size=8))
def test_property_one_result_per_item_matching_clean(batch):
    got = list(clean_many(batch, chunksize=3))
    assert len(got) == len(batch)
    for item, result in zip(batch, got):
        if isinstance(item, (str, bytes)):
            assert result == boilerstrip.clean(item)
        else:
            assert isinstance(result, CleanError) and result.type == "TypeError"


class _KillsItsWorker:
    """Unpickling this in a worker process ends that process (a stand-in for a
    page that crashes the parser)."""

    def __reduce__(self):
        return (os._exit, (3,))


def test_a_worker_crash_costs_one_item_not_the_batch(items):
    batch = list(items[:9])
    batch[4] = _KillsItsWorker()
    got = list(clean_many(batch, n_jobs=2, chunksize=3))
    assert isinstance(got[4], CleanError) and got[4].index == 4
    for i in set(range(9)) - {4}:
        assert got[i] == _expected(batch[i])
    # the pool recovers for the next batch
    assert list(clean_many(items[:4], n_jobs=2, chunksize=1)) == [_expected(x) for x in items[:4]]


def test_pool_is_shared_with_joblib_parallel_in_one_process():
    """clean_many's pool and joblib.Parallel (training) live in one process."""
    from joblib import Parallel, delayed

    from boilerstrip import clean_many

    pages = ["<p>" + "words of a page " * 20 + f"{i}</p>" for i in range(4)]
    assert len(list(clean_many(pages, n_jobs=2))) == 4
    assert Parallel(n_jobs=2)(delayed(len)(p) for p in pages) == [len(p) for p in pages]
    assert len(list(clean_many(pages, n_jobs=2))) == 4


def test_read_html_file_joins_every_gzip_member(tmp_path):
    import gzip

    from boilerstrip.batch import read_html_file

    p = tmp_path / "two.html.gz"
    p.write_bytes(gzip.compress(b"<p>one</p>") + gzip.compress(b"<p>two</p>"))
    assert read_html_file(p) == b"<p>one</p><p>two</p>"
