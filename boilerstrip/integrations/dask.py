"""Clean pages on a Dask cluster: ``clean_bag``, ``clean_dataframe``, ``clean_warc_bag``.

Example (see ``docs/scale.md`` and ``examples/dask_example.py``)::

    from distributed import Client, LocalCluster
    import dask.bag as db
    from boilerstrip.integrations.dask import clean_bag

    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster):
        pages = db.from_sequence(paths, npartitions=8).map(read_bytes)
        texts = clean_bag(pages).compute()

The model reaches each worker process once.  ``model=None`` (the bundled
model) and ``model=PATH`` are loaded by each worker on first use and cached for
the life of the process; a :class:`boilerstrip.Model` read from a file is
re-read from that file the same way; any other model object becomes a single
task in the graph, which Dask sends once to each worker that needs it.
:class:`ModelPlugin` (``client.register_plugin(ModelPlugin())``) loads the model
when each worker starts instead of on its first page.
"""
from __future__ import annotations

from typing import Any

import dask
import dask.bag as db

from ..batch import (ERROR_MODES, BatchError, CleanError, _check_options, _clean_chunk,
                     _get_model, _model_spec, _Options, model_loads, process_id)

__all__ = ["clean_bag", "clean_dataframe", "clean_warc_bag", "ModelPlugin", "worker_model_loads"]


def _spec_and_object(model) -> tuple[tuple, Any]:
    """Split ``model=`` into a cheap spec and, for in-memory models, a delayed object."""
    spec = _model_spec(model)
    if spec[0] == "object":
        return ("object", None), dask.delayed(spec[1], traverse=False)
    return spec, None


def _options(output, threshold, spec, model_obj) -> _Options:
    if spec[0] == "object":
        spec = ("object", model_obj)
    return _Options(output, None if threshold is None else float(threshold), spec)


def _clean_partition(items, output, threshold, spec, errors, model_obj=None) -> list:
    opts = _options(output, threshold, spec, model_obj)
    results = _clean_chunk(list(enumerate(items)), opts)
    for i, r in enumerate(results):
        if isinstance(r, CleanError):
            if errors == "none":
                results[i] = None
            elif errors == "raise":
                raise BatchError(r)
    return results


def _check(output, threshold, errors) -> None:
    _check_options(output, threshold)
    if errors not in ERROR_MODES:
        raise ValueError(f"errors must be one of {', '.join(ERROR_MODES)}; got {errors!r}")


def clean_bag(bag: db.Bag, *, output: str = "text", threshold: float | None = None,
              model=None, errors: str = "marker") -> db.Bag:
    """A bag of cleaned pages, one per item of ``bag`` (``str``/``bytes`` or ``(html, url)``).

    The error rule is :func:`boilerstrip.clean_many`'s: a failing item becomes a
    :class:`~boilerstrip.batch.CleanError` (``errors="marker"``, its ``index`` is
    the position inside its partition), ``None`` (``"none"``), or fails the
    computation (``"raise"``).
    """
    _check(output, threshold, errors)
    spec, obj = _spec_and_object(model)
    kwargs = {"model_obj": obj} if obj is not None else {}
    return bag.map_partitions(_clean_partition, output, threshold, spec, errors, **kwargs)


def _clean_frame(frame, column, url_column, out_column, error_column, output, threshold,
                 spec, model_obj=None):
    import pandas as pd

    opts = _options(output, threshold, spec, model_obj)
    htmls = frame[column].tolist()
    urls = frame[url_column].tolist() if url_column else [None] * len(htmls)
    items = [(h, u if isinstance(u, str) else None) for h, u in zip(htmls, urls)]
    results = _clean_chunk(list(enumerate(items)), opts)
    texts = [None if isinstance(r, CleanError) else r for r in results]
    out = frame.copy()
    out[out_column] = pd.Series(texts, index=frame.index, dtype=object)
    if error_column:
        errs = [f"{r.type}: {r.message}" if isinstance(r, CleanError) else None for r in results]
        out[error_column] = pd.Series(errs, index=frame.index, dtype=object)
    return out


def clean_dataframe(df, column: str = "html", *, out_column: str = "text",
                    error_column: str | None = "error", url_column: str | None = None,
                    output: str = "text", threshold: float | None = None, model=None):
    """``df`` with a column of cleaned pages added (and one of error messages).

    ``column`` holds ``str`` or ``bytes`` pages, ``url_column`` (optional) their
    URLs.  A failing page gets ``None`` in ``out_column`` and ``"Type: message"``
    in ``error_column`` (``None`` elsewhere); pass ``error_column=None`` to leave
    that column out.
    """
    _check(output, threshold, "marker")
    for name in (column, url_column):
        if name is not None and name not in df.columns:
            raise KeyError(f"no column {name!r} in the dataframe")
    spec, obj = _spec_and_object(model)
    args = (column, url_column, out_column, error_column, output, threshold, spec)
    meta = _clean_frame(df._meta, *args)
    kwargs = {"model_obj": obj} if obj is not None else {}
    return df.map_partitions(_clean_frame, *args, meta=meta, **kwargs)


def _clean_warc_files(paths, output, threshold, spec) -> list[dict]:
    from ..warc import WarcStats, clean_warc

    model = None if spec[0] == "default" else spec[1]
    return list(clean_warc(list(paths), n_jobs=1, output=output, threshold=threshold,
                           model=model, stats=WarcStats()))


def clean_warc_bag(paths, *, output: str = "text", threshold: float | None = None,
                   model=None, files_per_partition: int = 1) -> db.Bag:
    """A bag of :mod:`boilerstrip.warc` output lines (dicts), one partition per WARC file(s).

    The WARC files are read by the workers, so they must see the same paths
    (a shared disk, or URLs that FastWARC/fsspec can open).
    """
    _check(output, threshold, "marker")
    spec, obj = _spec_and_object(model)
    if obj is not None:
        raise TypeError("clean_warc_bag takes model=None or a model path")
    paths = [str(p) for p in paths]
    nparts = max(1, -(-len(paths) // max(1, files_per_partition)))
    return db.from_sequence(paths, npartitions=nparts).map_partitions(
        _clean_warc_files, output, threshold, spec)


def _warm(spec) -> int:
    _get_model(spec)
    return model_loads().get(spec, 0)


def worker_model_loads(client) -> dict[str, dict]:
    """``{worker address: {"pid": ..., "loads": {spec: count}}}`` for every worker."""
    return client.run(lambda: {"pid": process_id(), "loads": model_loads()})


try:  # pragma: no branch
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # pragma: no cover - dask without distributed
    WorkerPlugin = object  # type: ignore[misc,assignment]


class ModelPlugin(WorkerPlugin):
    """Load the model when each worker starts: ``client.register_plugin(ModelPlugin(path))``."""

    name = "boilerstrip-model"

    def __init__(self, model=None):
        spec = _model_spec(model)
        if spec[0] == "object":
            raise TypeError("ModelPlugin takes model=None or a model path")
        self.spec = spec

    def setup(self, worker) -> None:
        _get_model(self.spec)
