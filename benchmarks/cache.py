"""On-disk cache of extractor outputs, so a rerun only computes what changed.

One SQLite file per extractor (workers run in parallel, one per extractor, so
no two processes write the same file).  The key is (extractor, version,
dataset, page id, input hash) where the input hash is that of the decoded
page every extractor receives, so a new library version, a new boilerstrip
model, a changed page or a decoder change that alters a page's text all miss
the cache.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

#: Default cache folder (``.cache/`` is ignored by git).
DEFAULT_CACHE = Path(__file__).resolve().parent / ".cache"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outputs (
    extractor TEXT NOT NULL,
    version TEXT NOT NULL,
    dataset TEXT NOT NULL,
    page_id TEXT NOT NULL,
    input_hash TEXT NOT NULL,
    status TEXT NOT NULL,        -- ok | error | timeout
    output TEXT NOT NULL,
    error TEXT,
    seconds REAL,
    PRIMARY KEY (extractor, version, dataset, page_id, input_hash)
)
"""


@dataclass
class Entry:
    status: str
    output: str
    error: str | None
    seconds: float | None          # wall time
    cpu_seconds: float | None = None  # process CPU time (not stored in the cache)


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:80]


class OutputCache:
    @staticmethod
    def path_for(folder: str | Path, extractor: str) -> Path:
        """The file holding an extractor's outputs (it may not exist yet)."""
        return Path(folder) / f"outputs-{_safe(extractor)}.sqlite"

    def __init__(self, folder: str | Path, extractor: str):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.path_for(self.folder, extractor)
        self.db = sqlite3.connect(self.path, timeout=60)
        self.db.execute(_SCHEMA)
        self.db.commit()

    def get(self, extractor, version, dataset, page_id, input_hash) -> Entry | None:
        row = self.db.execute(
            "SELECT status, output, error, seconds FROM outputs WHERE extractor=? AND version=?"
            " AND dataset=? AND page_id=? AND input_hash=?",
            (extractor, version, dataset, page_id, input_hash)).fetchone()
        return Entry(*row) if row else None

    def put(self, extractor, version, dataset, page_id, input_hash, entry: Entry) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (extractor, version, dataset, page_id, input_hash, entry.status, entry.output,
             entry.error, entry.seconds))

    def commit(self) -> None:
        self.db.commit()

    def close(self) -> None:
        self.db.commit()
        self.db.close()
