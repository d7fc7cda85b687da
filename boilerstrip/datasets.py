"""Read labeled corpora in the ``gold.jsonl`` + ``pages/`` layout.

A corpus is a folder holding ``gold.jsonl`` (one JSON object per page) and the
pages it points to.  Every record has an ``id`` and an ``html`` path relative to
the folder (``.gz`` pages are decompressed); gold comes as any mix of

* ``text``: the full gold article text, one block per line;
* ``with`` / ``without``: snippets that must / must not appear in the output;
* ``labels``: explicit block labels (see :mod:`boilerstrip.labels`).

This module only reads; :mod:`boilerstrip.labels` turns gold into block labels.
"""
from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

#: Environment variable naming the folder that holds the shared datasets.
DATASETS_ENV = "BOILERSTRIP_DATASETS"
#: Default location, relative to the project checkout (and to the working dir).
DEFAULT_DATASETS = Path("..") / "shared" / "datasets"

#: Sets the bundled model may be trained on (their terms allow it).
TRAINABLE_SETS = ("wcxb", "trafilatura_eval", "mozilla_readability")
#: Sets used for evaluation only (licence or terms forbid training on them).
EVALUATION_SETS = ("dragnet", "l3s_gn1", "cleaneval", "cleanportaleval")


@dataclass
class Page:
    """One labeled page of a corpus."""

    id: str
    path: Path
    url: str | None = None
    text: str | None = None
    title: str | None = None
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)
    labels: list | None = None
    extra: dict = field(default_factory=dict)

    def read_bytes(self) -> bytes:
        """The raw page bytes (decompressed when the file ends in ``.gz``)."""
        if self.path.suffix == ".gz":
            with gzip.open(self.path, "rb") as fh:
                return fh.read()
        return self.path.read_bytes()

    @property
    def has_text(self) -> bool:
        return bool(self.text and self.text.strip())

    @property
    def has_snippets(self) -> bool:
        return bool(self.with_snippets or self.without_snippets)


def datasets_root() -> Path:
    """The folder of shared datasets: ``$BOILERSTRIP_DATASETS`` or ``../shared/datasets``.

    The default is looked up relative to the working directory first, then to
    the source checkout this module lives in.
    """
    env = os.environ.get(DATASETS_ENV)
    if env:
        return Path(env)
    candidates = [Path.cwd() / DEFAULT_DATASETS,
                  Path(__file__).resolve().parent.parent / DEFAULT_DATASETS]
    for cand in candidates:
        if cand.is_dir():
            return cand.resolve()
    return candidates[0]


def dataset_path(name_or_path: str | os.PathLike) -> Path:
    """Resolve a dataset name (``"dragnet"``) or a folder path to a folder."""
    p = Path(name_or_path)
    if (p / "gold.jsonl").is_file():
        return p
    return datasets_root() / str(name_or_path)


def as_list(value) -> list[str]:
    """A gold field that may be absent, one string or a list, as a list of strings."""
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if v]


#: Record fields with a Page attribute of their own; the others go to ``extra``.
KNOWN_FIELDS = frozenset({"id", "html", "url", "text", "title", "with", "without", "labels"})


def page_from_record(folder: Path, rec: dict) -> Page:
    """A :class:`Page` from one gold.jsonl record of the corpus in ``folder``."""
    return Page(
        id=str(rec["id"]),
        path=folder / rec["html"],
        url=rec.get("url"),
        text=rec.get("text"),
        title=rec.get("title"),
        with_snippets=as_list(rec.get("with")),
        without_snippets=as_list(rec.get("without")),
        labels=rec.get("labels"),
        extra={k: v for k, v in rec.items() if k not in KNOWN_FIELDS},
    )


def load_corpus(name_or_path: str | os.PathLike, *, split: str | None = None,
                limit: int | None = None) -> list[Page]:
    """Load the records of a corpus (not the page bytes).

    ``split`` keeps only records whose ``split`` field equals it.  Raises
    ``FileNotFoundError`` when the folder has no ``gold.jsonl``.
    """
    folder = dataset_path(name_or_path)
    gold = folder / "gold.jsonl"
    if not gold.is_file():
        raise FileNotFoundError(f"no gold.jsonl in {folder}")
    pages: list[Page] = []
    with gold.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{gold}:{lineno}: invalid JSON: {exc}") from None
            if split is not None and rec.get("split") != split:
                continue
            pages.append(page_from_record(folder, rec))
            if limit is not None and len(pages) >= limit:
                break
    return pages


def iter_pages(name_or_path, **kwargs) -> Iterator[tuple[Page, bytes]]:
    """Yield ``(page, raw_bytes)`` for every page of a corpus."""
    for page in load_corpus(name_or_path, **kwargs):
        yield page, page.read_bytes()


#: Splits used for evaluation on each evaluation-only set (issue #2 / #3).
EVALUATION_SPLITS = {"dragnet": "test", "cleaneval": "final", "l3s_gn1": None,
                     "cleanportaleval": None}


def evaluation_pages(name: str, limit: int | None = None) -> list[Page]:
    """The evaluation split of an evaluation-only set."""
    return load_corpus(name, split=EVALUATION_SPLITS.get(name), limit=limit)


def gold_text(page: Page) -> str:
    """Gold text for scoring; drops CleanEval's leading ``URL:`` line."""
    text = page.text or ""
    if text.startswith("URL:"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
    return text
