"""The package promises Python >= 3.10 (pyproject.toml), but CI runs one
interpreter.  These checks catch the 3.11-only constructs that slipped in
once: regex syntax that 3.10's ``re`` rejects at import time."""
import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import boilerstrip

try:  # Python 3.11+
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse

PACKAGE_DIR = Path(boilerstrip.__file__).parent
#: Regex opcodes that Python 3.10's ``re`` does not know (atomic groups and
#: possessive quantifiers, new in 3.11).
NEW_IN_311 = {"ATOMIC_GROUP", "POSSESSIVE_REPEAT"}


def _module_patterns():
    for info in pkgutil.iter_modules([str(PACKAGE_DIR)]):
        if info.name == "__main__":  # importing it runs the command line
            continue
        module = importlib.import_module(f"boilerstrip.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                yield f"{info.name}.{name}", value


def _opcodes(parsed):
    for op, arg in parsed:
        yield str(op)
        args = arg if isinstance(arg, (list, tuple)) else [arg]
        for a in args:
            if isinstance(a, sre_parse.SubPattern):
                yield from _opcodes(a)
            elif isinstance(a, (list, tuple)):
                for b in a:
                    if isinstance(b, sre_parse.SubPattern):
                        yield from _opcodes(b)


def test_finds_new_regex_syntax():
    # the check itself can fail: both constructs are seen (on 3.11+)
    if not hasattr(sre_parse, "ATOMIC_GROUP"):  # pragma: no cover - Python 3.10
        pytest.skip("this Python's re knows no atomic groups (importing the package was the test)")
    assert NEW_IN_311 <= set(_opcodes(sre_parse.parse(r"(?:a*+(?>b))")))
    assert not NEW_IN_311 & set(_opcodes(sre_parse.parse(r"[*+](?:a*)+")))


def test_module_regexes_compile_on_python_310():
    patterns = dict(_module_patterns())
    assert len(patterns) > 20  # the search found the package's regexes
    found = {name: sorted(NEW_IN_311 & set(_opcodes(sre_parse.parse(p.pattern, p.flags))))
             for name, p in patterns.items()}
    assert {k: v for k, v in found.items() if v} == {}


def test_sources_parse_as_python_310():
    for path in sorted(PACKAGE_DIR.glob("*.py")):
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path), feature_version=(3, 10))
