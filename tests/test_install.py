"""The wheel carries the model: an installed boilerstrip works away from the checkout."""
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_installs_and_cleans_from_another_directory(tmp_path):
    wheels = tmp_path / "wheels"
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                        "-q", "-w", str(wheels), str(ROOT)], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    wheel = next(wheels.glob("boilerstrip-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # reuse this interpreter's packages (selectolax, numpy) without the checkout:
    # its site-packages go on the new venv's path, after the venv's own (so the
    # wheel's boilerstrip wins), and their .pth files (an editable install of
    # the checkout) are not run.  Not system_site_packages, which would give
    # the base interpreter's packages when the tests run inside a venv.
    paths = sysconfig.get_paths()
    (Path(site) / "parent_site.pth").write_text(
        "\n".join(dict.fromkeys((paths["purelib"], paths["platlib"]))) + "\n")
    import zipfile

    zipfile.ZipFile(wheel).extractall(site)
    work = tmp_path / "elsewhere"
    work.mkdir()
    page = work / "page.html"
    page.write_bytes((ROOT / "examples" / "news-with-appeal.html").read_bytes())
    script = ("import sys, boilerstrip; print(boilerstrip.__file__); "
              "print(boilerstrip.clean(open('page.html','rb').read()))")
    r = subprocess.run([str(py), "-I", "-c", script], cwd=work, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    first, _, text = r.stdout.partition("\n")
    assert str(ROOT) not in first and first.startswith(site)
    assert "Residents of Millbrook voted" in text
