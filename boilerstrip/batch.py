"""Clean many pages at once: :func:`clean_many` and the ``boilerstrip clean`` command.

:func:`clean_many` streams results back in input order while a process pool
(joblib's reusable ``loky`` executor) does the work.  Pages travel to the workers in
chunks; each worker process loads the model once and keeps it in a module-level
cache for as long as the process lives (loky reuses its workers across calls).

A page whose cleaning raises never stops the batch: its place in the output is
taken by a :class:`CleanError` (or ``None``, see *errors*).

The ``clean`` command reads files, directories (walked recursively for
``*.html``, ``*.htm``, ``*.xhtml``, ``*.shtml``, each optionally ``.gz``), glob
patterns or ``-`` (standard input).  The raw bytes go to :func:`boilerstrip.clean`,
which detects the encoding; gzip files are recognised by their magic bytes.
"""
from __future__ import annotations

import argparse
import glob as _glob
import itertools
import json
import math
import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

#: Output formats accepted by ``clean`` (kept in sync with ``boilerstrip.api``).
FORMATS = ("text", "markdown", "html", "json")
#: File extension written per output format by ``boilerstrip clean --output DIR``.
EXTENSIONS = {"text": ".txt", "markdown": ".md", "html": ".html", "json": ".json"}
#: Suffixes (before an optional ``.gz``) picked up when walking a directory.
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
#: What ``errors=`` accepts in :func:`clean_many`.
ERROR_MODES = ("marker", "none", "raise")

_GZIP_MAGIC = b"\x1f\x8b"


# --------------------------------------------------------------------------
# results


@dataclass(frozen=True)
class CleanError:
    """Stands in for the result of a page whose cleaning raised.

    It is *falsy*, so ``[r for r in results if r]`` keeps the pages that gave
    text; tell it apart from an empty page (``""``) with ``isinstance``.
    """

    index: int  #: position of the item in the input
    type: str  #: exception class name, e.g. ``"TypeError"``
    message: str  #: ``str(exception)``
    source: str | None = None  #: file name, URL or other origin, when known

    def __bool__(self) -> bool:
        return False

    def as_dict(self) -> dict:
        return {"index": self.index, "source": self.source, "type": self.type,
                "message": self.message}


class BatchError(RuntimeError):
    """Raised by ``clean_many(..., errors="raise")`` at the first failing item."""

    def __init__(self, error: CleanError):
        super().__init__(f"item {error.index}"
                         + (f" ({error.source})" if error.source else "")
                         + f": {error.type}: {error.message}")
        self.error = error


def _error(index: int, exc: BaseException, source: str | None = None) -> CleanError:
    return CleanError(index=index, type=type(exc).__name__, message=str(exc), source=source)


# --------------------------------------------------------------------------
# the model, once per process

#: Per-process model cache: ``("default",)`` or ``("path", abs_path)`` -> model.
_MODELS: dict[tuple, Any] = {}
#: How many times this process loaded each model (tests check "once per worker").
_LOADS: dict[tuple, int] = {}
_MODELS_LOCK = threading.Lock()


def _model_spec(model) -> tuple:
    """Turn the ``model=`` argument into something cheap to ship to workers.

    ``None`` and paths are loaded (once) by each worker process, and so is a
    model object read from a file (``Model.source``); any other model object is
    passed along with every chunk of pages.
    """
    if model is None:
        return ("default",)
    if isinstance(model, (str, os.PathLike)):
        path = Path(model)
        if not path.is_file():
            raise FileNotFoundError(f"model not found: {path}")
        return ("path", str(path.resolve()))
    source = getattr(model, "source", None)  # a Model read from a file knows its path
    if isinstance(source, str) and os.path.isfile(source):
        return ("path", os.path.abspath(source))
    return ("object", model)


def _get_model(spec: tuple):
    """The model for ``spec``, loaded at most once per process."""
    if spec[0] == "object":
        return spec[1]
    model = _MODELS.get(spec)
    if model is None:
        with _MODELS_LOCK:  # threads of one dask worker share the cache
            model = _MODELS.get(spec)
            if model is None:
                from . import load_model

                model = load_model(None if spec[0] == "default" else spec[1])
                _LOADS[spec] = _LOADS.get(spec, 0) + 1
                _MODELS[spec] = model
    return model


def model_loads() -> dict[tuple, int]:
    """How often *this* process loaded each model spec through the batch helpers."""
    return dict(_LOADS)


def process_id() -> int:
    """``os.getpid()``; a named function so tests can ask workers who they are."""
    return os.getpid()


# --------------------------------------------------------------------------
# workers


@dataclass(frozen=True)
class _Options:
    output: str
    threshold: float | None
    model: tuple


def _check_options(output: str, threshold) -> None:
    if output not in FORMATS:
        raise ValueError(f"output must be one of {', '.join(FORMATS)}; got {output!r}")
    if threshold is not None:
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
            raise TypeError(f"threshold must be a number or None, not {type(threshold).__name__}")
        if not (math.isfinite(threshold) and 0.0 <= threshold <= 1.0):
            raise ValueError(f"threshold must be between 0 and 1, got {threshold!r}")


def _clean_one(html, url, opts: _Options) -> str:
    from . import clean

    return clean(html, url=url, output=opts.output, threshold=opts.threshold,
                 model=_get_model(opts.model))


def _split_item(item) -> tuple[Any, str | None]:
    """An item is ``html`` or a ``(html, url)`` pair."""
    if isinstance(item, tuple) and len(item) == 2:
        html, url = item
        if url is not None and not isinstance(url, str):
            raise TypeError(f"url must be a str or None, not {type(url).__name__}")
        return html, url
    return item, None


def _clean_chunk(chunk: list[tuple[int, Any]], opts: _Options) -> list:
    """Worker task: clean a chunk of ``(index, item)``; errors become markers."""
    out = []
    for index, item in chunk:
        try:
            html, url = _split_item(item)
            out.append(_clean_one(html, url, opts))
        except Exception as exc:  # one bad page must not stop the batch
            out.append(_error(index, exc))
    return out


def read_html_file(path: str | os.PathLike) -> bytes:
    """The bytes of an HTML file, gunzipped when it starts with the gzip magic
    (bounded, like clean() itself: a gzip bomb cannot take all memory)."""
    with open(path, "rb") as fh:
        data = fh.read()
    if data[:2] == _GZIP_MAGIC:
        from .encoding import inflate

        data = inflate(data, strict=True)   # past the bound: cut, like max_bytes
    return data


def _clean_file_chunk(chunk: list[tuple[int, "Source"]], opts: _Options) -> list:
    """Worker task for the CLI: read, clean and (with ``--output``) write each file.

    Returns, per source, ``None`` when the result was written to its file, the
    cleaned string otherwise, or a :class:`CleanError`.
    """
    out = []
    for index, src in chunk:
        try:
            data = src.data if src.data is not None else read_html_file(src.path)
            text = _clean_one(data, src.url, opts)
            if src.out_path is not None:
                _write_text(Path(src.out_path), text)
                text = None
            out.append(text)
        except Exception as exc:
            out.append(_error(index, exc, src.name))
    return out


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if text and not text.endswith("\n"):
        text += "\n"
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)


# --------------------------------------------------------------------------
# the ordered, chunked process-pool map


def effective_jobs(n_jobs: int | None) -> int:
    """``n_jobs`` as a worker count: ``None``/``1`` -> 1, ``0`` or negative -> all CPUs."""
    if n_jobs is None:
        return 1
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int):
        raise TypeError(f"n_jobs must be an int, not {type(n_jobs).__name__}")
    if n_jobs >= 1:
        return n_jobs
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, cpus + 1 + n_jobs) if n_jobs < 0 else cpus


def _auto_chunksize(n_items: int | None, n_jobs: int) -> int:
    if n_jobs == 1:
        return 64
    if n_items is None:
        return 8
    # about 8 chunks per worker so the pool stays balanced, never huge chunks
    return max(1, min(32, n_items // (8 * n_jobs)))


def _chunks(items: Iterable, size: int) -> Iterator[list[tuple[int, Any]]]:
    it = enumerate(items)
    while True:
        chunk = list(itertools.islice(it, size))
        if not chunk:
            return
        yield chunk


#: Environment of the worker processes: one BLAS/OpenMP thread each, the pool
#: itself is the parallelism.
WORKER_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
#: Idle workers exit after this many seconds (and reload the model when respawned).
WORKER_IDLE_TIMEOUT = 300


def worker_pool(n_jobs: int):
    """joblib's reusable ``loky`` process pool with ``n_jobs`` workers.

    The same worker processes serve every call with the same settings, so the
    model each one caches is loaded once per process, not once per call.
    """
    try:
        from joblib.executor import get_memmapping_executor
    except ImportError:  # pragma: no cover - joblib is a runtime dependency
        raise ImportError("n_jobs > 1 needs joblib: pip install joblib") from None

    # joblib's own accessor for the shared loky pool: joblib.Parallel (used by
    # training) reuses the same pool in the same process and expects the state
    # this accessor sets up (a bare loky get_reusable_executor() broke it).
    return get_memmapping_executor(n_jobs, timeout=WORKER_IDLE_TIMEOUT, env=WORKER_ENV)


def _ordered_map(task, chunks: Iterable[list], opts: _Options, n_jobs: int,
                 fail=None) -> Iterator:
    """Run ``task(chunk, opts)`` over the chunks, yield the items back in order.

    With ``n_jobs > 1`` at most ``2 * n_jobs + 2`` chunks are in flight, so the
    input is read lazily.  A chunk whose task fails as a whole (a worker died,
    an item could not be pickled) is retried one item per task; an item that
    fails alone becomes ``fail(index, item, exc)`` (default: a :class:`CleanError`).
    """
    if n_jobs == 1:
        for chunk in chunks:
            yield from task(chunk, opts)
        return
    from collections import deque

    window = 2 * n_jobs + 2
    chunks = iter(chunks)
    pending: deque = deque()

    def submit(chunk):
        pending.append((chunk, _submit(task, chunk, opts, n_jobs)))

    try:
        for chunk in itertools.islice(chunks, window):
            submit(chunk)
        while pending:
            chunk, future = pending.popleft()
            nxt = next(chunks, None)
            if nxt is not None:
                submit(nxt)
            try:
                result = future.result()
            except Exception:
                result = _retry_singly(task, chunk, opts, n_jobs, fail or _fail)
            yield from result
    finally:
        for _, future in pending:
            future.cancel()


def _submit(task, chunk, opts, n_jobs):
    try:
        return worker_pool(n_jobs).submit(task, chunk, opts)
    except Exception as exc:  # the pool is gone: hand back a failed future
        from concurrent.futures import Future

        failed: Future = Future()
        failed.set_exception(exc)
        return failed


def _fail(index: int, item, exc: BaseException) -> CleanError:
    return _error(index, exc, item.name if isinstance(item, Source) else None)


def _retry_singly(task, chunk, opts, n_jobs, fail) -> list:
    out = []
    for index, item in chunk:
        try:
            out.extend(_submit(task, [(index, item)], opts, n_jobs).result())
        except Exception as exc:
            out.append(fail(index, item, exc))
    return out


def clean_many(items: Iterable, *, n_jobs: int = 1, output: str = "text",
               threshold: float | None = None, model=None, chunksize: int | None = None,
               errors: str = "marker") -> Iterator:
    """Clean many pages, yielding one result per item, in input order.

    ``items`` is any iterable (consumed lazily, so it may be endless) of
    ``str``/``bytes`` pages or ``(html, url)`` pairs.  ``output``,
    ``threshold`` and ``model`` mean what they mean for :func:`boilerstrip.clean`;
    ``model`` may also be a path, which each worker process loads once.

    ``n_jobs`` worker processes (joblib's reusable ``loky`` pool) do the work
    (``1``: in this process; ``0`` or ``-1``: one per CPU).  ``chunksize`` pages go to a worker at a time (default:
    chosen from the input length and ``n_jobs``).

    The error rule: when cleaning an item raises (a wrong type, say), the batch
    goes on and that item's result is, per ``errors``:

    * ``"marker"`` (default): a :class:`CleanError` with the item's index, the
      exception type and message.  It is falsy; an empty page gives ``""``.
    * ``"none"``: ``None``.
    * ``"raise"``: :class:`BatchError` is raised when that item's turn comes
      (stops the batch; meant for debugging).

    Invalid ``output``/``threshold``/``n_jobs`` raise at once, before any work.
    """
    _check_options(output, threshold)
    if errors not in ERROR_MODES:
        raise ValueError(f"errors must be one of {', '.join(ERROR_MODES)}; got {errors!r}")
    jobs = effective_jobs(n_jobs)
    if chunksize is None:
        chunksize = _auto_chunksize(len(items) if hasattr(items, "__len__") else None, jobs)
    elif isinstance(chunksize, bool) or not isinstance(chunksize, int) or chunksize < 1:
        raise ValueError(f"chunksize must be a positive int, got {chunksize!r}")
    opts = _Options(output, None if threshold is None else float(threshold), _model_spec(model))
    results = _ordered_map(_clean_chunk, _chunks(items, chunksize), opts, jobs)
    return _apply_error_rule(results, errors)


def _apply_error_rule(results: Iterator, errors: str) -> Iterator:
    for result in results:
        if isinstance(result, CleanError):
            if errors == "none":
                result = None
            elif errors == "raise":
                raise BatchError(result)
        yield result


# --------------------------------------------------------------------------
# the ``clean`` command


@dataclass(frozen=True)
class Source:
    """One input of the ``clean`` command."""

    name: str  #: as reported to the user (path, or ``-``)
    path: str | None = None  #: file to read (in the worker)
    data: bytes | None = None  #: bytes already read (standard input)
    rel: str | None = None  #: output name relative to ``--output``, without extension
    url: str | None = None
    out_path: str | None = None


def _has_magic(pattern: str) -> bool:
    return any(c in pattern for c in "*?[")


def _is_html_name(name: str) -> bool:
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return lower.endswith(HTML_SUFFIXES)


def _stem(name: str) -> str:
    """``a/b/page.html.gz`` -> ``a/b/page``."""
    if name.lower().endswith(".gz"):
        name = name[:-3]
    root, ext = os.path.splitext(name)
    return root if ext.lower() in HTML_SUFFIXES else name


def collect_sources(args: list[str], stdin: bytes | None = None,
                    url: str | None = None) -> tuple[list[Source], list[str]]:
    """Expand the command's arguments into sources (in order) and problems.

    A directory is walked recursively for HTML files (sorted); an argument that
    is no existing path but contains ``*``, ``?`` or ``[`` is a glob (``**``
    recurses); ``-`` is standard input.  An argument that names nothing is a
    problem, reported like a failing page.
    """
    sources: list[Source] = []
    problems: list[str] = []
    for arg in args:
        if arg == "-":
            if stdin is None:
                problems.append("-: standard input given twice")
                continue
            sources.append(Source(name="-", data=stdin, rel="stdin", url=url))
            stdin = None
            continue
        path = Path(arg)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _is_html_name(p.name))
            if not found:
                problems.append(f"{arg}: no HTML files in directory")
            for p in found:
                sources.append(Source(name=str(p), path=str(p), url=url,
                                      rel=_stem(p.relative_to(path).as_posix())))
        elif path.exists() or not _has_magic(arg):
            # a missing plain path becomes a per-page error (never stops the batch)
            sources.append(Source(name=arg, path=arg, rel=_stem(path.name), url=url))
        else:
            found = sorted(p for p in _glob.glob(arg, recursive=True) if os.path.isfile(p))
            if not found:
                problems.append(f"{arg}: no file matches")
            for p in found:
                sources.append(Source(name=p, path=p, rel=_stem(os.path.basename(p)), url=url))
    return sources, problems


def assign_outputs(sources: list[Source], out_dir: Path, fmt: str) -> list[Source]:
    """Give each source its own output file under ``out_dir`` (``-2``, ``-3``... on clashes)."""
    ext = EXTENSIONS[fmt]
    used: set[str] = set()
    result = []
    for src in sources:
        rel = src.rel or "page"
        candidate, n = rel, 1
        while candidate.lower() in used:
            n += 1
            candidate = f"{rel}-{n}"
        used.add(candidate.lower())
        result.append(Source(name=src.name, path=src.path, data=src.data, rel=candidate,
                             url=src.url, out_path=str(out_dir / (candidate + ext))))
    return result


class _PlainBar:
    """A minimal stand-in for tqdm (used when tqdm is not installed)."""

    def __init__(self, total: int | None, show: bool):
        self.total, self.show, self.n = total, show, 0
        self.start = self.last = time.perf_counter()
        self.postfix = ""

    def update(self, n: int = 1) -> None:
        self.n += n
        now = time.perf_counter()
        if self.show and (now - self.last >= 0.5 or self.n == self.total):
            self.last = now
            rate = self.n / (now - self.start) if now > self.start else 0.0
            of = f"/{self.total}" if self.total else ""
            sys.stderr.write(f"\r{self.n}{of} pages, {rate:.1f} page/s{self.postfix}")
            sys.stderr.flush()

    def set_postfix(self, refresh: bool = False, **kw) -> None:
        self.postfix = "".join(f", {k}={v}" for k, v in kw.items())

    def write(self, msg: str, file=None) -> None:
        print(("\n" if self.show and self.n else "") + msg, file=file or sys.stderr)

    def close(self) -> None:
        if self.show and self.n:
            sys.stderr.write("\n")
            self.show = False


def progress_bar(total: int | None, show: bool):
    """A tqdm bar on stderr counting pages (pages/s), or a plain one without tqdm."""
    try:
        from tqdm import tqdm
    except ImportError:  # tqdm is optional
        return _PlainBar(total, show)
    return tqdm(total=total, unit="page", file=sys.stderr, disable=not show,
                dynamic_ncols=True, smoothing=0.1, mininterval=0.5)


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """``--jobs``, ``--threshold`` and ``--model``: the options of every command
    that cleans many pages (``clean`` and ``warc``; see :func:`check_run_options`)."""
    parser.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                        help="worker processes (default 1; 0 = one per CPU)")
    parser.add_argument("--threshold", type=float, default=None,
                        help="keep blocks scoring at least this (default: the model's)")
    parser.add_argument("--model", metavar="PATH", default=None,
                        help="model file to use instead of the bundled one")


def add_progress_arguments(parser: argparse.ArgumentParser) -> None:
    """``--progress`` / ``--no-progress``; neither leaves ``args.progress`` None
    and the command decides (a bar only when standard error is a terminal)."""
    progress = parser.add_mutually_exclusive_group()
    progress.add_argument("--progress", dest="progress", action="store_true", default=None,
                          help="always show the progress bar")
    progress.add_argument("--no-progress", dest="progress", action="store_false",
                          help="never show the progress bar")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="HTML file (raw or .gz), directory (searched recursively), "
                             "glob pattern (quote it; ** recurses) or - for standard input")
    parser.add_argument("-f", "--format", choices=FORMATS, default="text",
                        help="output format (default: text)")
    parser.add_argument("-o", "--output", metavar="DIR", type=Path,
                        help="write one file per input into DIR (extension by format) "
                             "instead of printing to standard output")
    add_run_arguments(parser)
    parser.add_argument("--url", default=None, help="page URL passed to clean() for every input")
    parser.add_argument("--errors", metavar="FILE", type=Path, default=None,
                        help="write one JSON line per failed input to FILE "
                             "(default: report them on standard error)")
    add_progress_arguments(parser)
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no progress bar and no summary line")
    parser.add_argument("--chunksize", type=int, default=None, help=argparse.SUPPRESS)


def _stdout_write(text: str) -> None:
    buf = getattr(sys.stdout, "buffer", None)
    if buf is not None:
        sys.stdout.flush()
        buf.write(text.encode("utf-8"))
    else:  # pragma: no cover - replaced stdout without a buffer
        sys.stdout.write(text)


def _format_for_stdout(text: str, src: Source, fmt: str, many: bool) -> str:
    if fmt == "json":
        try:
            obj = json.loads(text)
        except ValueError:
            obj = {"text": text}
        if isinstance(obj, dict):
            obj = {"source": src.name, **obj}
        return json.dumps(obj, ensure_ascii=False) + "\n"
    head = f"==> {src.name} <==\n" if many else ""
    return head + text + ("\n" if text and not text.endswith("\n") else "")


def check_run_options(args: argparse.Namespace) -> tuple[int, tuple]:
    """``(jobs, model spec)`` of a ``clean``/``warc`` command line; raises on bad
    options, and loads a model file now so that a bad one fails with a clear message."""
    _check_options(args.format, args.threshold)
    jobs = effective_jobs(args.jobs)
    spec = _model_spec(args.model)
    if spec[0] == "path":
        _get_model(spec)
    return jobs, spec


def run(args: argparse.Namespace) -> int:
    """Run ``boilerstrip clean``; exit status 0 = all good, 1 = some inputs failed, 2 = usage."""
    prog = "boilerstrip clean"
    try:
        jobs, spec = check_run_options(args)
    except Exception as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    stdin = sys.stdin.buffer.read() if "-" in args.inputs else None
    sources, problems = collect_sources(args.inputs, stdin=stdin, url=args.url)
    if not sources:
        for p in problems:
            print(f"{prog}: error: {p}", file=sys.stderr)
        print(f"{prog}: error: no input to clean", file=sys.stderr)
        return 2
    if args.output is not None:
        sources = assign_outputs(sources, args.output, args.format)
    opts = _Options(args.format, args.threshold, spec)
    many = len(sources) > 1
    show = not args.quiet and (args.progress if args.progress is not None
                               else many and sys.stderr.isatty())
    chunksize = args.chunksize or _auto_chunksize(len(sources), jobs)

    errors_fh = open(args.errors, "w", encoding="utf-8") if args.errors else None
    n_errors = 0  # reported problems: failed inputs and arguments that matched nothing
    n_failed = 0  # inputs that failed
    n_done = 0  # inputs processed
    start = time.perf_counter()
    bar = progress_bar(len(sources), show)

    def report(err: CleanError) -> None:
        nonlocal n_errors
        n_errors += 1
        if errors_fh is not None:
            errors_fh.write(json.dumps(err.as_dict(), ensure_ascii=False) + "\n")
            errors_fh.flush()
        else:
            msg = f"{prog}: error: {err.source}: {err.type}: {err.message}"
            if show:
                bar.write(msg, file=sys.stderr)
            else:
                print(msg, file=sys.stderr)

    try:
        for i, problem in enumerate(problems):
            name, _, message = problem.partition(": ")
            report(CleanError(index=-1 - i, type="InputError", message=message, source=name))
        results = _ordered_map(_clean_file_chunk, _chunks(sources, chunksize), opts, jobs)
        for src, result in zip(sources, results):
            n_done += 1
            if isinstance(result, CleanError):
                n_failed += 1
                report(result)
                bar.set_postfix(errors=n_errors, refresh=False)
            elif result is not None:
                _stdout_write(_format_for_stdout(result, src, args.format, many))
            bar.update(1)
    except BrokenPipeError:  # e.g. ``boilerstrip clean DIR | head``
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:  # pragma: no cover
            pass
        return 1
    except KeyboardInterrupt:
        bar.close()
        print(f"{prog}: interrupted after {n_done} of {len(sources)} inputs", file=sys.stderr)
        return 130
    finally:
        bar.close()
        if errors_fh is not None:
            errors_fh.close()
    elapsed = time.perf_counter() - start
    if not args.quiet and (many or n_errors):
        rate = n_done / elapsed if elapsed > 0 else float("inf")
        where = f" (see {args.errors})" if args.errors and n_errors else ""
        print(f"{prog}: {n_done - n_failed} of {len(sources)} inputs cleaned "
              f"in {elapsed:.1f} s ({rate:.1f} pages/s, {jobs} job{'s' if jobs > 1 else ''}); "
              f"{n_errors} error{'s' if n_errors != 1 else ''}{where}", file=sys.stderr)
    return 1 if n_errors else 0
