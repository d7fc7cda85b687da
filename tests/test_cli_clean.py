"""``boilerstrip clean``: inputs, outputs, formats, jobs, progress and the error report."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import boilerstrip
from boilerstrip.batch import Source, assign_outputs, collect_sources
from boilerstrip.cli import main

PAGES = Path(__file__).resolve().parent.parent / "examples" / "pages"
REPO = PAGES.parent.parent
NAMES = ["harbour-bridge.html", "night-market.html", "school-garden.html.gz"]
STEMS = ["harbour-bridge", "night-market", "school-garden"]


def raw(name: str) -> bytes:
    data = (PAGES / name).read_bytes()
    return gzip.decompress(data) if name.endswith(".gz") else data


def printed(text: str) -> str:
    """What the command prints for one result: the text and a newline (nothing if empty)."""
    return text + "\n" if text else ""


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "boilerstrip", "clean", *args], input=stdin,
                          capture_output=True, cwd=REPO, timeout=120)


@pytest.fixture()
def tree(tmp_path) -> Path:
    """pages/ with the three examples, a nested copy, and files to ignore."""
    root = tmp_path / "pages"
    shutil.copytree(PAGES, root)
    (root / "sub").mkdir()
    shutil.copy(PAGES / "harbour-bridge.html", root / "sub" / "harbour-bridge.htm")
    (root / "notes.txt").write_text("not a page")
    (root / "style.css").write_text("body{}")
    return root


def test_one_file_to_stdout(capsys):
    assert main(["clean", str(PAGES / NAMES[0])]) == 0
    out, err = capsys.readouterr()
    assert out == printed(boilerstrip.clean(raw(NAMES[0])))
    assert err == ""  # one input: no progress bar, no summary


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_formats_to_stdout(capsys, fmt):
    assert main(["clean", "--format", fmt, str(PAGES / NAMES[1])]) == 0
    assert capsys.readouterr().out == printed(boilerstrip.clean(raw(NAMES[1]), output=fmt))


def test_many_files_to_stdout_have_headers_in_order(capsys):
    args = [str(PAGES / n) for n in reversed(NAMES)]
    assert main(["clean", "--no-progress", *args]) == 0
    out, err = capsys.readouterr()
    expected = "".join(f"==> {a} <==\n" + printed(boilerstrip.clean(raw(n)))
                       for a, n in zip(args, reversed(NAMES)))
    assert out == expected
    assert "3 of 3 inputs cleaned" in err and "0 errors" in err


def test_json_lines_with_source(capsys):
    args = [str(PAGES / n) for n in NAMES]
    assert main(["clean", "-q", "--format", "json", *args]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["source"] for x in lines] == args
    for line, name in zip(lines, NAMES):
        want = json.loads(boilerstrip.clean(raw(name), output="json"))
        assert {k: v for k, v in line.items() if k != "source"} == want


def test_directory_to_output_dir(tree, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["clean", str(tree), "--output", str(out), "--format", "markdown"]) == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["harbour-bridge.md", "night-market.md", "school-garden.md",
                       "sub/harbour-bridge.md"]
    for stem, name in zip(STEMS, NAMES):
        text = (out / f"{stem}.md").read_text(encoding="utf-8")
        want = boilerstrip.clean(raw(name), output="markdown")
        assert text == printed(want)
    assert capsys.readouterr().out == ""  # everything went to files


def test_glob_and_extension_per_format(tmp_path):
    out = tmp_path / "o"
    assert main(["clean", "-q", str(PAGES / "*.html"), "-o", str(out), "-f", "json"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["harbour-bridge.json", "night-market.json"]
    doc = json.loads((out / "night-market.json").read_text(encoding="utf-8"))
    assert doc == json.loads(boilerstrip.clean(raw("night-market.html"), output="json"))


def test_recursive_glob(tree, tmp_path):
    out = tmp_path / "o"
    assert main(["clean", "-q", str(tree / "**" / "*.htm*"), "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["harbour-bridge-2.txt", "harbour-bridge.txt",
                                                      "night-market.txt", "school-garden.txt"]


def test_stdin_with_python_m():
    proc = run_cli("-", stdin=raw(NAMES[1]))
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode("utf-8") == printed(boilerstrip.clean(raw(NAMES[1])))


def test_stdin_to_output_dir_and_url(tmp_path, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw(NAMES[0]))))
    url = "https://eastport.example/harbour"
    assert main(["clean", "-", "-o", str(tmp_path), "-f", "json", "--url", url]) == 0
    assert json.loads((tmp_path / "stdin.json").read_text(encoding="utf-8"))["url"] == url


def test_errors_are_reported_and_never_stop_the_batch(tree, tmp_path, capsys):
    (tree / "broken.html.gz").write_bytes(b"\x1f\x8b" + b"this is no gzip stream")
    errors = tmp_path / "errors.jsonl"
    out = tmp_path / "out"
    args = ["clean", str(tree), str(tmp_path / "missing.html"), str(tmp_path / "nothing-*.html"),
            "-o", str(out), "--errors", str(errors), "--jobs", "2"]
    assert main(args) == 1
    report = [json.loads(x) for x in errors.read_text().splitlines()]
    by_source = {r["source"]: r for r in report}
    assert set(by_source) == {str(tree / "broken.html.gz"), str(tmp_path / "missing.html"),
                              str(tmp_path / "nothing-*.html")}
    assert by_source[str(tmp_path / "missing.html")]["type"] == "FileNotFoundError"
    assert by_source[str(tmp_path / "nothing-*.html")]["message"] == "no file matches"
    assert by_source[str(tree / "broken.html.gz")]["type"] in ("BadGzipFile", "OSError", "EOFError")
    # the good pages were all written
    assert sorted(p.name for p in out.rglob("*.txt")) == [
        "harbour-bridge.txt", "harbour-bridge.txt", "night-market.txt", "school-garden.txt"]
    err = capsys.readouterr().err
    assert "3 errors" in err and str(errors) in err
    assert "4 of 6 inputs cleaned" in err


def test_errors_go_to_stderr_without_a_report_file(tmp_path, capsys):
    assert main(["clean", str(PAGES / NAMES[0]), str(tmp_path / "gone.html")]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"==> {PAGES / NAMES[0]} <==\n")
    assert "gone.html: FileNotFoundError" in err


def test_two_jobs_write_the_same_files(tree, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    assert main(["clean", "-q", str(tree), "-o", str(one), "--jobs", "1"]) == 0
    assert main(["clean", "-q", str(tree), "-o", str(two), "--jobs", "2", "--chunksize", "1"]) == 0
    files = sorted(p.relative_to(one) for p in one.rglob("*.txt"))
    assert files == sorted(p.relative_to(two) for p in two.rglob("*.txt"))
    for f in files:
        assert (one / f).read_bytes() == (two / f).read_bytes()


def test_threshold_and_model_options(tmp_path, capsys):
    from boilerstrip.model import default_model_path

    model = tmp_path / "m.json"
    model.write_bytes(default_model_path().read_bytes())
    page = str(PAGES / NAMES[0])
    for t in ("0.05", "0.95"):
        assert main(["clean", page, "--threshold", t, "--model", str(model)]) == 0
        assert capsys.readouterr().out == printed(
            boilerstrip.clean(raw(NAMES[0]), threshold=float(t)))


def test_forced_progress_bar_shows_pages_per_second(tmp_path, capsys):
    assert main(["clean", "--progress", str(PAGES), "-o", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "page/s" in err and "3/3" in err


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main(["clean", str(tmp_path / "no-*.html")]) == 2
    assert "no file matches" in capsys.readouterr().err
    assert main(["clean", str(PAGES / NAMES[0]), "--model", str(tmp_path / "none.json")]) == 2
    assert "none.json" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    assert main(["clean", str(PAGES / NAMES[0]), "--model", str(bad)]) == 2
    assert "bad.json" in capsys.readouterr().err
    assert main(["clean", str(PAGES / NAMES[0]), "--threshold", "nan"]) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["clean", str(empty)]) == 2


def test_broken_pipe_is_quiet():
    proc = subprocess.run(f"{sys.executable} -m boilerstrip clean {PAGES}/*.html {PAGES}/*.gz "
                          f"--no-progress | head -c 10", shell=True, capture_output=True,
                          cwd=REPO, timeout=120)
    assert b"Traceback" not in proc.stderr


def test_collect_sources_and_output_names(tree):
    sources, problems = collect_sources([str(tree), "-", "-"], stdin=b"<p>x</p>")
    assert problems == ["-: standard input given twice"]
    assert [s.rel for s in sources] == ["harbour-bridge", "night-market", "school-garden",
                                        "sub/harbour-bridge", "stdin"]
    named = assign_outputs(sources + [Source(name="x", path="x", rel="HARBOUR-BRIDGE")],
                           Path("/o"), "text")
    assert [os.path.basename(s.out_path) for s in named] == [
        "harbour-bridge.txt", "night-market.txt", "school-garden.txt", "harbour-bridge.txt",
        "stdin.txt", "HARBOUR-BRIDGE-2.txt"]


def test_progress_without_tqdm(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # "import tqdm" now raises ImportError
    assert main(["clean", "--progress", str(PAGES), "-o", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "3/3 pages" in err and "page/s" in err


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=2000),
                      st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass")),
                      st.binary(max_size=500).map(gzip.compress)))
def test_any_file_bytes_clean_like_clean(tmp_path, capsys, data):
    page = tmp_path / "page.html"
    page.write_bytes(data)
    try:
        if data[:2] == b"\x1f\x8b":  # a gzip file is read decompressed, whatever its name
            data = gzip.decompress(data)
    except (OSError, EOFError):  # gzip magic, broken stream: a reported error
        assert main(["clean", str(page)]) == 1
        assert "page.html" in capsys.readouterr().err
        return
    assert main(["clean", str(page)]) == 0
    assert capsys.readouterr().out == printed(boilerstrip.clean(data))
