"""The Spark integration on ``local[2]`` (skipped when pyspark or Java is missing, except in CI)."""
from __future__ import annotations

import gzip
import os
import shutil
import sys
from pathlib import Path

import pytest

import boilerstrip
from boilerstrip.batch import CleanError

if os.environ.get("CI") != "true":
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java", allow_module_level=True)

PAGES = Path(__file__).resolve().parent.parent / "examples" / "pages"


def _read(p: Path) -> bytes:
    data = p.read_bytes()
    return gzip.decompress(data) if p.name.endswith(".gz") else data


EXAMPLES = [_read(p) for p in sorted(PAGES.iterdir())]
TEXTS = [p.decode("utf-8", "replace") for p in EXAMPLES]


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # the Python workers must import this checkout's boilerstrip
    root = os.path.dirname(os.path.dirname(os.path.abspath(boilerstrip.__file__)))
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = root + (os.pathsep + old if old else "")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (SparkSession.builder.master("local[2]").appName("boilerstrip-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.driver.memory", "1g")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    if old is None:
        os.environ.pop("PYTHONPATH", None)
    else:
        os.environ["PYTHONPATH"] = old


def test_clean_rdd_in_order_with_errors(spark):
    from boilerstrip.integrations.spark import clean_rdd

    items = EXAMPLES + [7] + TEXTS
    got = clean_rdd(spark.sparkContext.parallelize(items, 3)).collect()
    assert isinstance(got[3], CleanError) and got[3].type == "TypeError"
    assert got[:3] + got[4:] == [boilerstrip.clean(x) for x in EXAMPLES + TEXTS]
    none = clean_rdd(spark.sparkContext.parallelize(items, 3), errors="none").collect()
    assert none[3] is None


def test_clean_rdd_loads_the_model_once_per_python_worker(spark, tmp_path):
    from boilerstrip.batch import _model_spec, model_loads, process_id
    from boilerstrip.integrations.spark import clean_rdd
    from boilerstrip.model import default_model_path

    path = tmp_path / "m.json"
    path.write_bytes(default_model_path().read_bytes())
    items = (EXAMPLES * 8)
    got = clean_rdd(spark.sparkContext.parallelize(items, 12), model=path).collect()
    assert got == [boilerstrip.clean(x) for x in items]
    spec = _model_spec(path)
    probes = spark.sparkContext.parallelize(range(8), 8).map(
        lambda _: (process_id(), model_loads().get(spec, 0))).collect()
    assert all(n <= 1 for _, n in probes) and any(n == 1 for _, n in probes)


def test_clean_dataframe_string_and_binary(spark):
    from boilerstrip.integrations.spark import clean_dataframe

    rows = [(t, f"https://n.example/{i}") for i, t in enumerate(TEXTS)] + [(None, "x")]
    df = spark.createDataFrame(rows, "html string, url string").coalesce(1)
    out = clean_dataframe(df, url_column="url", output="markdown").collect()
    by_url = {r["url"]: r for r in out}
    for i, t in enumerate(TEXTS):
        r = by_url[f"https://n.example/{i}"]
        assert r["text"] == boilerstrip.clean(t, output="markdown") and r["error"] is None
    assert by_url["x"]["text"] is None and by_url["x"]["error"].startswith("TypeError")

    bdf = spark.createDataFrame([(bytearray(b),) for b in EXAMPLES], "html binary").coalesce(1)
    texts = [r["text"] for r in clean_dataframe(bdf, error_column=None).collect()]
    assert sorted(texts) == sorted(boilerstrip.clean(b) for b in EXAMPLES)
    with pytest.raises(KeyError):
        clean_dataframe(df, "body")
