"""Shared test helpers.

``require_dataset(name)`` returns the folder of a shared dataset; when it is
missing the test is skipped on a developer machine but FAILS under CI
(``CI=true``), as the developers' guide requires.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from boilerstrip.datasets import dataset_path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def require_dataset(name: str) -> Path:
    path = dataset_path(name)
    if not (path / "gold.jsonl").is_file():
        msg = f"dataset {name!r} not found at {path} (set BOILERSTRIP_DATASETS)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return path


@pytest.fixture
def fixture_html() -> str:
    return (EXAMPLES / "news-with-appeal.html").read_text(encoding="utf-8")
