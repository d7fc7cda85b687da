"""Thread safety and the safety of the inference path.

* Many threads calling ``clean`` with one shared model get exactly the
  results one thread gets; the bundled model is loaded once even when the
  first calls race; a loaded model is immutable and ``clean`` leaves it as
  it was.
* Inference (``clean`` with a loaded model) opens no file, no socket, starts
  no process and evaluates no code; the modules it runs (traced) contain no pickle,
  ``eval``/``exec``, network or subprocess use (an AST scan).
"""
from __future__ import annotations

import ast
import builtins
import hashlib
import io
import json
import os
import random
import socket
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import boilerstrip
from boilerstrip import clean, load_model
from boilerstrip import model as model_module

sys.path.insert(0, str(Path(__file__).parent / "adversarial"))
import corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _generated_pages(n: int, seed: int = 7) -> list[str]:
    """Varied news-like pages from a fixed seed (no hypothesis: reproducible lists)."""
    rng = random.Random(seed)
    words = ("council budget schools roads library mayor residents transport plan parking debate "
             "night members services city vote month share subscribe home news sport").split()
    pages = []
    for _ in range(n):
        def sentence():
            return " ".join(rng.choice(words) for _ in range(rng.randint(4, 30))).capitalize() + "."
        body = []
        body.append("<nav><ul>" + "".join(f"<li><a href='/{i}'>{rng.choice(words)}</a></li>"
                                          for i in range(rng.randint(0, 8))) + "</ul></nav>")
        body.append(f"<h1>{sentence()}</h1>")
        for _ in range(rng.randint(1, 12)):
            kind = rng.random()
            if kind < 0.6:
                body.append(f"<p>{' '.join(sentence() for _ in range(rng.randint(1, 5)))}</p>")
            elif kind < 0.7:
                body.append(f"<h2>{sentence()}</h2>")
            elif kind < 0.8:
                body.append(f"<div class='share'><a href='#'>{sentence()}</a></div>")
            elif kind < 0.9:
                body.append("<ul>" + "".join(f"<li>{sentence()}</li>" for _ in range(3)) + "</ul>")
            else:
                body.append(f"<blockquote><p>{sentence()}</p></blockquote>")
        body.append(f"<footer><p>Copyright {rng.randint(1990, 2030)} {sentence()}</p></footer>")
        pages.append(corpus.page("".join(body), title=sentence()))
    return pages


def _pages() -> list[str | bytes]:
    pages: list[str | bytes] = [c.make() for c in corpus.CASES if not c.big]
    pages = [p for p in pages if len(p) < 100_000]
    pages += _generated_pages(60)
    pages += [p.read_bytes() for p in sorted((ROOT / "examples" / "pages").glob("*.html"))]
    return pages


PAGES = _pages()
FORMATS = ("text", "json", "markdown", "html")


def _job(model, i: int) -> tuple[int, str]:
    page = PAGES[i % len(PAGES)]
    fmt = FORMATS[i % len(FORMATS)]
    return i, clean(page, output=fmt, model=model)


def test_threads_share_one_model_and_agree_with_one_thread():
    model = load_model()
    jobs = list(range(len(PAGES) * 2))
    expected = dict(_job(model, i) for i in jobs)
    order = jobs * 2
    random.Random(1).shuffle(order)
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda i: _job(model, i), order))
    for i, out in results:
        assert out == expected[i], f"thread result differs for page {i % len(PAGES)}"


def test_threads_with_the_default_model_argument():
    expected = [clean(p) for p in PAGES[:40]]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(clean, PAGES[:40]))
    assert got == expected


def test_bundled_model_loads_once_under_a_race(monkeypatch):
    monkeypatch.setattr(model_module, "_DEFAULT", None)
    barrier = threading.Barrier(12)

    def first_call(_):
        barrier.wait()
        return load_model()

    with ThreadPoolExecutor(max_workers=12) as pool:
        models = list(pool.map(first_call, range(12)))
    assert all(m is models[0] for m in models)
    assert load_model() is models[0]


def _fingerprint(m) -> str:
    h = hashlib.sha256()
    for stage in (m.block, m.context):
        for arr in (stage.feature, stage.threshold, stage.left, stage.right, stage.value, stage.roots):
            h.update(arr.tobytes())
        h.update(repr(stage.baseline).encode())
    h.update(json.dumps([m.threshold, m.feature_names, m.context_feature_names]).encode())
    return h.hexdigest()


def test_model_is_immutable_and_untouched_by_clean():
    m = load_model()
    before = _fingerprint(m)
    for stage in (m.block, m.context):
        with pytest.raises(ValueError):
            stage.threshold[0] = 123.0
        with pytest.raises(ValueError):
            stage.value[...] = 0.0
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda i: _job(m, i), range(len(PAGES))))
    assert _fingerprint(m) == before


# --- no files, sockets, processes or code evaluation during inference ----------


class Forbidden(AssertionError):
    pass


def test_inference_touches_no_file_socket_process_or_eval(monkeypatch):
    model = load_model()
    clean(corpus.article_page(), model=model)  # warm every lazy import first

    def forbid(name):
        def _f(*args, **kwargs):
            raise Forbidden(f"{name} called during clean()")
        return _f

    for mod, name in ((builtins, "open"), (io, "open"), (os, "open"), (socket, "socket"),
                      (socket, "create_connection"), (subprocess, "Popen"), (os, "system"),
                      (builtins, "eval"), (builtins, "exec"), (builtins, "compile"),
                      (os, "fork")):
        monkeypatch.setattr(mod, name, forbid(f"{mod.__name__}.{name}"))
    import pickle
    monkeypatch.setattr(pickle, "loads", forbid("pickle.loads"))
    monkeypatch.setattr(pickle, "load", forbid("pickle.load"))
    for i in range(len(PAGES)):
        _job(model, i)


_TRACE = r"""
import gzip, os, sys
import boilerstrip
sys.path.insert(0, os.path.join(os.getcwd(), "tests", "adversarial"))
import corpus
pages = [c.make() for c in corpus.CASES if not c.big]
pages.append(gzip.compress(corpus.article_page().encode()))
boilerstrip.clean("<p>warm up</p>")
files = set()
def profile(frame, event, arg):
    if event == "call":
        files.add(frame.f_code.co_filename)
sys.setprofile(profile)
for page in pages:
    for fmt in ("text", "markdown", "html", "json"):
        boilerstrip.clean(page, output=fmt)
sys.setprofile(None)
root = os.path.dirname(boilerstrip.__file__)
for name in sorted(f for f in files if f.startswith(root)):
    print(name)
"""


def _inference_modules() -> list[Path]:
    """The boilerstrip modules whose code runs while ``clean`` cleans pages
    (every adversarial case, every format), traced with ``sys.setprofile``."""
    code = _TRACE
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=str(ROOT), timeout=120)
    assert proc.returncode == 0, proc.stderr
    return [Path(p) for p in proc.stdout.split()]


BANNED_IMPORTS = {"pickle", "cPickle", "dill", "joblib", "marshal", "shelve", "socket", "urllib",
                  "http", "requests", "ftplib", "smtplib", "subprocess", "ctypes", "multiprocessing"}
BANNED_CALLS = {"eval", "exec", "compile", "__import__", "open", "system", "popen"}


def test_inference_modules_have_no_pickle_eval_network_or_writes():
    modules = _inference_modules()
    names = {p.stem for p in modules}
    assert {"api", "parse", "segment", "features", "model", "decode", "render", "encoding"} <= names
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] not in BANNED_IMPORTS, f"{path.name} imports {alias.name}"
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                assert node.module.split(".")[0] not in BANNED_IMPORTS, f"{path.name} imports {node.module}"
            elif isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(
                    func, ast.Attribute) else None
                if isinstance(func, ast.Name):
                    assert name not in BANNED_CALLS, f"{path.name}:{node.lineno} calls {name}()"
                else:
                    assert name not in {"system", "popen", "urlopen", "open"}, \
                        f"{path.name}:{node.lineno} calls .{name}()"
                assert name not in {"write_text", "write_bytes", "mkdir", "unlink"}, \
                    f"{path.name}:{node.lineno} writes files ({name})"


def test_import_is_light():
    """Importing boilerstrip pulls in neither scikit-learn nor joblib."""
    code = "import sys, boilerstrip; print(any(m.split('.')[0] in ('sklearn', 'joblib') for m in sys.modules))"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=str(ROOT), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


# --- nothing leaks ----------------------------------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc (Linux)")
def test_no_memory_growth_across_many_pages():
    """Cleaning the same pages again and again does not grow the process
    (parser trees, caches and arrays are all released)."""
    import gc
    import tracemalloc

    model = load_model()
    rounds = iter(range(100))

    def one_round():
        r = next(rounds)
        # pages with new multi-hundred-KB class attributes every round: a
        # cache that kept them would grow by 1.5 MB per round
        big = [corpus.article_page("<div class='" + "x" * 300_000 + f" r{r}p{i}'>big</div>")
               for i in range(5)]
        for i, page in enumerate(PAGES + big):
            clean(page, output=FORMATS[i % len(FORMATS)], model=model)
        del big
        gc.collect()

    one_round()
    one_round()
    tracemalloc.start()
    rss_before = _rss_mb()
    traced_before = tracemalloc.get_traced_memory()[0]
    for _ in range(2):
        one_round()
    traced_growth = tracemalloc.get_traced_memory()[0] - traced_before
    rss_growth = _rss_mb() - rss_before
    tracemalloc.stop()
    assert traced_growth < 2_000_000, f"Python/numpy memory grew by {traced_growth} bytes"
    assert rss_growth < 20, f"process memory grew by {rss_growth:.1f} MB"
