"""Fuzz ``boilerstrip.clean`` for a set time, with atheris or with hypothesis.

    # coverage-guided (libFuzzer via atheris; pip install atheris), 30 minutes:
    nice -n 19 python fuzz/fuzz_clean.py --seconds 1800

    # no atheris: hypothesis at scale (generated pages, tag soup, raw bytes)
    nice -n 19 python fuzz/fuzz_clean.py --engine hypothesis --seconds 1800

Every input goes through ``clean`` in one output format chosen by the input,
as ``str`` or as ``bytes``, and must give a ``str`` that is valid UTF-8 with
no NUL, valid JSON for ``output="json"``, and the same result twice (checked
on one input in eight).  Any exception is a finding; so is an input that
takes more than ``--timeout`` seconds (libFuzzer's per-input timeout), which
is how super-linear behaviour shows up.

Work files (the evolving corpus, crash and timeout inputs) go to
``--workdir`` (default: ``$TMPDIR/boilerstrip-fuzz``), never into the
repository.  Seeds come from the adversarial corpus (small cases) and the
example pages.  Turn a finding into a regression test by copying the input to
``tests/adversarial/regressions/<name>.bin``: ``tests/test_adversarial.py``
runs every file there in all formats, as str and as bytes.

The atheris engine passes remaining arguments to libFuzzer (e.g. ``-jobs``,
``-max_len``).  The model is the bundled one, or ``--model PATH``.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "adversarial"))

FORMATS = ("text", "markdown", "html", "json")
_STATE: dict = {}


def check_one(data: bytes) -> None:
    """Run ``clean`` on one fuzz input and check the invariants (raises on a finding)."""
    from boilerstrip import clean

    model = _STATE["model"]
    if not data:
        html: str | bytes = b""
        fmt = "text"
        twice = False
    else:
        ctl = data[0]
        fmt = FORMATS[ctl & 3]
        twice = (ctl >> 5) == 0
        body = data[1:]
        if ctl & 8:  # as str; with lone surrogates for invalid bytes when bit 2 is set
            html = body.decode("utf-8", "surrogateescape" if ctl & 4 else "replace")
        else:
            html = bytearray(body) if ctl & 16 else body
    out = clean(html, output=fmt, model=model)
    if not isinstance(out, str):
        raise AssertionError(f"clean returned {type(out).__name__}")
    out.encode("utf-8")
    if "\x00" in out:
        raise AssertionError("NUL in output")
    if fmt == "json":
        doc = json.loads(out)
        if not isinstance(doc.get("blocks"), list):
            raise AssertionError("JSON without blocks")
    if twice and clean(html, output=fmt, model=model) != out:
        raise AssertionError("non-deterministic result")


def seeds(directory: Path) -> int:
    """Write the seed corpus (small adversarial cases, example pages) to ``directory``."""
    import corpus

    directory.mkdir(parents=True, exist_ok=True)
    n = 0
    for case in corpus.CASES:
        if case.big:
            continue
        raw = corpus.as_bytes(case.make())[:200_000]
        for ctl in (0x00, 0x0B):  # text/bytes, markdown/str
            (directory / f"seed-{case.name}-{ctl:02x}").write_bytes(bytes([ctl]) + raw)
            n += 1
    for page in sorted((ROOT / "examples" / "pages").glob("*.html")):
        (directory / f"seed-example-{page.stem}").write_bytes(b"\x03" + page.read_bytes()[:200_000])
        n += 1
    return n


def run_atheris(args, extra: list[str]) -> int:
    import atheris

    work = Path(args.workdir)
    corpus_dir = work / "corpus"
    artifacts = work / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    if not corpus_dir.exists() or not any(corpus_dir.iterdir()):
        print(f"seeded {seeds(corpus_dir)} inputs into {corpus_dir}", flush=True)
    dict_path = Path(__file__).with_name("html.dict")
    argv = [sys.argv[0], str(corpus_dir), f"-max_total_time={args.seconds}",
            f"-timeout={args.timeout}", f"-rss_limit_mb={args.rss_mb}", f"-max_len={args.max_len}",
            f"-artifact_prefix={artifacts}/", f"-dict={dict_path}", "-print_final_stats=1"] + extra

    def test_one(data: bytes) -> None:
        check_one(data)

    atheris.Setup(argv, test_one)
    atheris.Fuzz()
    return 0


class _TimeUp(Exception):
    """Raised inside the hypothesis test to end the run."""


def run_hypothesis(args) -> int:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    import htmlgen

    deadline = time.monotonic() + args.seconds
    stats = {"inputs": 0, "findings": 0}
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    tags = ("<p>", "</p>", "<div>", "</div>", "<b>", "<table>", "<tr>", "<td>", "<li>", "<ul>",
            "<script>", "</script>", "<style>", "<!--", "-->", "<![CDATA[", "<br>", "<a href=x>",
            "<select>", "<option>", "<svg>", "<math>", "<template>", "<noscript>", "<h1>", "<pre>",
            "<title>", "<meta charset=shift_jis>", "&amp;", "&#x", "<", ">", '"', "=", "\x00", "\ud800")

    def as_bytes(doc_html: str) -> bytes:
        return doc_html.encode("utf-8", "surrogatepass")

    inputs = st.one_of(
        htmlgen.documents(max_depth=6).map(lambda d: d.html.encode("utf-8")),
        st.lists(st.one_of(st.sampled_from(tags), st.text(max_size=20)), max_size=200)
        .map(lambda t: as_bytes("".join(t))),
        st.binary(max_size=4000),
    )

    @settings(max_examples=10**9, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.integers(0, 255), inputs)
    def fuzz(ctl, body):
        if time.monotonic() > deadline:
            raise _TimeUp
        stats["inputs"] += 1
        data = bytes([ctl]) + body
        try:
            check_one(data)
        except Exception:
            stats["findings"] += 1
            path = work / f"finding-{stats['findings']:04d}.bin"
            path.write_bytes(data)
            print(f"finding saved to {path}", flush=True)
            raise

    while time.monotonic() < deadline:
        try:
            fuzz()
        except _TimeUp:
            break
        except Exception as exc:  # keep going after a finding; it is saved
            print(f"{type(exc).__name__}: {exc}"[:300], flush=True)
    print(json.dumps({"engine": "hypothesis", "seconds": args.seconds, **stats}), flush=True)
    return 1 if stats["findings"] else 0


def run_rounds(args, extra: list[str]) -> int:
    """Run atheris in child processes of at most ``--round-seconds`` and
    ``--round-runs`` inputs each, sharing the corpus, until ``--seconds`` are
    used.  The atheris process itself grows with every input it runs (about
    0.3 MB each, measured: 4 GB after 12,400 inputs; boilerstrip does not grow
    a process, tests/test_threads.py checks it), so one long run would end on
    libFuzzer's memory limit, reported as an ``oom-`` finding, rather than on a
    real one.  Rounds are bounded by inputs, not only by time, because the
    growth follows the inputs run, and their rate differs between machines."""
    import subprocess

    deadline = time.monotonic() + args.seconds
    rounds = 0
    while True:
        left = int(deadline - time.monotonic())
        if left < 30:
            break
        rounds += 1
        cmd = [sys.executable, __file__, "--child", "--seconds", str(min(left, args.round_seconds)),
               "--timeout", str(args.timeout), "--rss-mb", str(args.rss_mb),
               "--max-len", str(args.max_len), "--workdir", args.workdir,
               f"-runs={args.round_runs}"] + (
            ["--model", args.model] if args.model else []) + extra
        print(f"round {rounds}: {' '.join(cmd[1:])}", flush=True)
        proc = subprocess.run(cmd)
        print(f"round {rounds} exited with {proc.returncode}", flush=True)
    findings = sorted(p.name for p in (Path(args.workdir) / "artifacts").glob("*"))
    print(json.dumps({"engine": "atheris", "seconds": args.seconds, "rounds": rounds,
                      "artifacts": findings}), flush=True)
    return 1 if findings else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("atheris", "hypothesis"), default="atheris")
    parser.add_argument("--seconds", type=int, default=600, help="how long to fuzz")
    parser.add_argument("--timeout", type=int, default=60,
                        help="seconds one input may take (instrumented code runs several times slower)")
    parser.add_argument("--rss-mb", type=int, default=4096, help="memory limit (atheris)")
    parser.add_argument("--max-len", type=int, default=262144, help="largest input (atheris)")
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "boilerstrip-fuzz"))
    parser.add_argument("--model", default=None, help="model file (default: the bundled model)")
    parser.add_argument("--round-seconds", type=int, default=600,
                        help="atheris: restart the fuzzer process this often (see run_rounds)")
    parser.add_argument("--round-runs", type=int, default=5000,
                        help="atheris: restart the fuzzer process after this many inputs too")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args, extra = parser.parse_known_args()

    if args.engine == "atheris" and not args.child:
        return run_rounds(args, extra)
    if args.engine == "atheris":
        import atheris

        # Instrument boilerstrip for coverage feedback (import it inside the
        # block), except encoding.py: its per-character scoring loops run ~50x
        # slower instrumented, which starves the fuzzer (it has its own
        # hypothesis tests, and still runs here, just without coverage).
        with atheris.instrument_imports(include=["boilerstrip"], exclude=["boilerstrip.encoding"]):
            import boilerstrip  # noqa: F401
            from boilerstrip import (api, decode, encoding, features, limits, model,  # noqa: F401
                                     parse, render, segment)
    from boilerstrip import load_model

    _STATE["model"] = load_model(args.model)
    if args.engine == "atheris":
        return run_atheris(args, extra)
    return run_hypothesis(args)


if __name__ == "__main__":
    sys.exit(main())
