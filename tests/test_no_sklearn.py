"""Inference must work with scikit-learn (and joblib) absent."""
import subprocess
import sys
import textwrap
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent.parent / "examples" / "news-with-appeal.html"

SCRIPT = textwrap.dedent("""
    import sys
    class Block:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("sklearn", "joblib", "scipy"):
                raise ImportError("blocked for this test: " + name)
    sys.meta_path.insert(0, Block())
    import boilerstrip
    out = boilerstrip.clean(open(sys.argv[1], encoding="utf-8").read())
    assert "Residents of Millbrook voted" in out, out
    assert not any(m.split(".")[0] in ("sklearn", "joblib", "scipy") for m in sys.modules)
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("OK-NO-SKLEARN")
""")


def test_clean_runs_without_scikit_learn():
    r = subprocess.run([sys.executable, "-c", SCRIPT, str(FIXTURE)], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "OK-NO-SKLEARN" in r.stdout
