"""The fuzz harness's round runner (fuzz/fuzz_clean.py): each round is a child
process bounded by time *and* by inputs, so the fuzzer's own memory growth
ends a round, not the run with a false ``oom-`` finding."""
from __future__ import annotations

import argparse
import importlib.util
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _harness():
    spec = importlib.util.spec_from_file_location("fuzz_clean", ROOT / "fuzz" / "fuzz_clean.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_rounds_are_bounded_by_inputs_and_time(tmp_path, monkeypatch, capsys):
    fz = _harness()
    clock = [1000.0]
    calls = []

    def fake_run(cmd, *a, **k):
        calls.append(cmd)
        clock[0] += 250.0          # each round takes 250 s of the budget
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(fz.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(subprocess, "run", fake_run)
    args = argparse.Namespace(seconds=700, round_seconds=600, round_runs=1234, timeout=60,
                              rss_mb=4096, max_len=1000, workdir=str(tmp_path), model=None)
    assert fz.run_rounds(args, ["-jobs=1"]) == 0
    # 700 s: rounds at 0 s, 250 s and 500 s (200 s left), none at 750 s
    assert len(calls) == 3
    for cmd in calls:
        assert "--child" in cmd and "-runs=1234" in cmd and cmd[-1] == "-jobs=1"
    seconds = [int(c[c.index("--seconds") + 1]) for c in calls]
    assert seconds == [600, 450, 200]
    # an artifact left by a round is a finding: exit status 1
    (tmp_path / "artifacts").mkdir()
    (tmp_path / "artifacts" / "crash-1").write_bytes(b"x")
    clock[0] = 5000.0
    assert fz.run_rounds(args, []) == 1
    assert '"artifacts": ["crash-1"]' in capsys.readouterr().out


def test_atheris_always_runs_in_rounds(monkeypatch):
    fz = _harness()
    seen = []
    monkeypatch.setattr(fz, "run_rounds", lambda args, extra: seen.append(args) or 0)
    monkeypatch.setattr(fz.sys, "argv", ["fuzz_clean.py", "--seconds", "60"])
    assert fz.main() == 0
    assert len(seen) == 1 and seen[0].round_runs == 5000
