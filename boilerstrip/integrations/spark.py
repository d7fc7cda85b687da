"""Clean pages with Apache Spark: ``clean_rdd`` (``mapPartitions``) and pandas UDFs.

Example (see ``docs/scale.md``)::

    from pyspark.sql import SparkSession
    from boilerstrip.integrations.spark import clean_dataframe

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    df = spark.read.parquet("pages.parquet")          # a column "html"
    clean_dataframe(df, "html").select("url", "text").write.parquet("texts.parquet")

boilerstrip must be importable by the Python workers (``pip install
boilerstrip`` on every node, or ``--py-files``).  The model reaches each Python
worker process once: ``model=None`` (the bundled model) and ``model=PATH`` are
loaded on first use and cached for the life of the process (Spark reuses its
Python workers by default, ``spark.python.worker.reuse``); an in-memory
:class:`boilerstrip.Model` is broadcast once.
"""
from __future__ import annotations

from ..batch import (ERROR_MODES, BatchError, CleanError, _check_options, _clean_chunk,
                     _model_spec, _Options)

__all__ = ["clean_rdd", "clean_udf", "clean_dataframe"]

#: Schema of the struct the dataframe UDF returns.
RESULT_SCHEMA = "text string, error string"


def _spec(model, spark_context=None) -> tuple:
    """A picklable model spec; in-memory models become a broadcast variable."""
    spec = _model_spec(model)
    if spec[0] == "object":
        if spark_context is None:
            from pyspark import SparkContext

            spark_context = SparkContext.getOrCreate()
        return ("broadcast", spark_context.broadcast(spec[1]))
    return spec


def _options(output, threshold, spec) -> _Options:
    if spec[0] == "broadcast":
        spec = ("object", spec[1].value)
    return _Options(output, None if threshold is None else float(threshold), spec)


def _check(output, threshold, errors="marker") -> None:
    _check_options(output, threshold)
    if errors not in ERROR_MODES:
        raise ValueError(f"errors must be one of {', '.join(ERROR_MODES)}; got {errors!r}")


def _partition(items, output, threshold, spec, errors):
    opts = _options(output, threshold, spec)
    results = _clean_chunk(list(enumerate(items)), opts)
    for r in results:
        if isinstance(r, CleanError):
            if errors == "none":
                r = None
            elif errors == "raise":
                raise BatchError(r)
        yield r


def clean_rdd(rdd, *, output: str = "text", threshold: float | None = None, model=None,
              errors: str = "marker"):
    """An RDD of cleaned pages, one per item (``str``/``bytes``/``bytearray`` or ``(html, url)``).

    The error rule is :func:`boilerstrip.clean_many`'s (``CleanError.index`` is
    the position inside the partition).
    """
    _check(output, threshold, errors)
    spec = _spec(model, rdd.context)
    return rdd.mapPartitions(lambda items: _partition(items, output, threshold, spec, errors))


def _clean_series(htmls, urls, opts: _Options):
    import pandas as pd

    items = []
    for h, u in zip(htmls, urls):
        if isinstance(h, bytearray):
            h = bytes(h)
        items.append((h, u if isinstance(u, str) else None))
    results = _clean_chunk(list(enumerate(items)), opts)
    return pd.DataFrame({
        "text": [None if isinstance(r, CleanError) else r for r in results],
        "error": [f"{r.type}: {r.message}" if isinstance(r, CleanError) else None for r in results],
    })


def clean_udf(*, output: str = "text", threshold: float | None = None, model=None,
              with_url: bool = False):
    """A pandas UDF: ``html`` column (string or binary) [, ``url`` column] -> struct<text, error>.

    ``df.withColumn("r", clean_udf()("html")).select("r.text", "r.error")``;
    a failing page gets a null ``text`` and ``"Type: message"`` in ``error``.
    """
    from pyspark.sql.functions import pandas_udf

    _check(output, threshold)
    spec = _spec(model)

    if with_url:
        @pandas_udf(RESULT_SCHEMA)
        def clean_pages(html, url):
            return _clean_series(html, url, _options(output, threshold, spec))
    else:
        @pandas_udf(RESULT_SCHEMA)
        def clean_pages(html):
            return _clean_series(html, [None] * len(html), _options(output, threshold, spec))
    return clean_pages


def clean_dataframe(df, column: str = "html", *, out_column: str = "text",
                    error_column: str | None = "error", url_column: str | None = None,
                    output: str = "text", threshold: float | None = None, model=None):
    """``df`` plus a column of cleaned pages (and one of error messages, unless ``None``)."""
    from pyspark.sql import functions as F

    for name in (column, url_column):
        if name is not None and name not in df.columns:
            raise KeyError(f"no column {name!r} in the dataframe")
    udf = clean_udf(output=output, threshold=threshold, model=model,
                    with_url=url_column is not None)
    args = [F.col(column)] + ([F.col(url_column)] if url_column else [])
    tmp = "__boilerstrip_result"
    out = df.withColumn(tmp, udf(*args)).withColumn(out_column, F.col(f"{tmp}.text"))
    if error_column:
        out = out.withColumn(error_column, F.col(f"{tmp}.error"))
    return out.drop(tmp)
