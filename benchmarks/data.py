"""Which pages a benchmark scores, how their bytes become text, and their gold.

Datasets are folders in the ``gold.jsonl`` layout read by
:mod:`boilerstrip.datasets`.  The four evaluation-only sets are scored on
their evaluation split (dragnet ``test``, cleaneval ``final``, all of l3s_gn1
and cleanportaleval); every other folder is scored on all of its pages.
A per-set page cap draws a *seeded* sample (stable across runs and machines),
kept in corpus order.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from boilerstrip import datasets as bsd

#: Display order: evaluation-only sets first, then the sets the model trains on.
KNOWN_ORDER = bsd.EVALUATION_SETS + bsd.TRAINABLE_SETS

#: Default page cap per set for ``run`` so that the full comparison of every
#: installed extractor stays under 30 minutes on a 2-core machine, even one
#: shared with other jobs (all 2718 pages of the previous caps took 33 minutes
#: at a load average of 7).  ``None`` means every page of the evaluation split.
#: On the sets boilerstrip trains on, the cap is filled with every held-out
#: page first (wcxb 204, trafilatura_eval 157, mozilla_readability 21).
DEFAULT_LIMITS: dict[str, int | None] = {
    "dragnet": None,          # all 415 test pages
    "cleaneval": 450,         # of 681 final pages
    "l3s_gn1": 450,           # of 621 pages
    "cleanportaleval": None,  # all 71 pages
    "mozilla_readability": None,  # all 130 pages
    "wcxb": 250,              # of 1261
    "trafilatura_eval": 200,  # of 990
}

#: Seed of every page sample (run limits, speed sample, gate subset).
DEFAULT_SEED = 20240901


def default_root() -> Path:
    return bsd.datasets_root()


def root_arg(path: str | os.PathLike | None) -> Path:
    """The datasets folder a command was given (``--datasets-root``), or the default."""
    return Path(path) if path else default_root()


def discover(root: str | os.PathLike) -> list[str]:
    """Names of the dataset folders under ``root``: known sets first, then A-Z."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = sorted(p.name for p in root.iterdir() if (p / "gold.jsonl").is_file())
    known = [n for n in KNOWN_ORDER if n in found]
    return known + [n for n in found if n not in known]


def dataset_folder(root: str | os.PathLike, name: str) -> Path:
    """A dataset given by name (under ``root``) or by its own folder path."""
    p = Path(name)
    if (p / "gold.jsonl").is_file() and (os.sep in name or name.startswith(".")):
        return p
    return Path(root) / name


def dataset_label(name: str) -> str:
    """The display name of a dataset given by name or path."""
    return Path(name).name if (os.sep in name) else name


def evaluation_split(name: str) -> str | None:
    return bsd.EVALUATION_SPLITS.get(dataset_label(name))


def is_trainable(name: str) -> bool:
    """True for the sets the bundled model may be trained on (in-sample scores)."""
    return dataset_label(name) in bsd.TRAINABLE_SETS


def _sample_key(seed: int, page_id: str) -> str:
    return hashlib.sha1(f"{seed}:{page_id}".encode("utf-8")).hexdigest()


def sample(pages: list, limit: int | None, seed: int = DEFAULT_SEED) -> list:
    """At most ``limit`` pages chosen by a seeded hash order, in corpus order."""
    if limit is None or limit <= 0 or len(pages) <= limit:
        return list(pages)
    chosen = set(sorted(range(len(pages)), key=lambda i: _sample_key(seed, pages[i].id))[:limit])
    return [p for i, p in enumerate(pages) if i in chosen]


def select_pages(root: str | os.PathLike, name: str, limit: int | None = None,
                 seed: int = DEFAULT_SEED, prefer=None) -> tuple[list[bsd.Page], int]:
    """The pages of ``name`` to score, and the size of its evaluation split.

    With ``prefer`` (a predicate on pages), those pages are all kept and the
    cap is filled with a seeded sample of the others.
    """
    pages = bsd.load_corpus(dataset_folder(root, name), split=evaluation_split(name))
    if prefer is not None:
        return sample_preferring(pages, limit, prefer, seed), len(pages)
    return sample(pages, limit, seed), len(pages)


# --- decoding --------------------------------------------------------------

try:  # the library's own decoder, when present
    from boilerstrip.encoding import decode_html as _lib_decode
except ImportError:  # pragma: no cover - depends on the library version
    _lib_decode = None

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _fallback_decode(data: bytes) -> str:
    """BOM, then ``<meta charset>``, then strict UTF-8, then Windows-1252."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                       (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(codec, "replace")
    m = _META_CHARSET.search(data[:4096])
    if m:
        try:
            return data.decode(m.group(1).decode("ascii"), "replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def decode(data: bytes) -> str:
    """Decode page bytes once; every extractor receives the resulting ``str``."""
    if _lib_decode is not None:
        return _lib_decode(data)
    return _fallback_decode(data)


def decoder_id() -> str:
    """Identifies the decoder (recorded with the results)."""
    if _lib_decode is None:
        return "fallback-1"
    import boilerstrip.encoding as enc

    src = Path(enc.__file__).read_bytes()
    return "boilerstrip.encoding-" + hashlib.sha1(src).hexdigest()[:10]


# --- page language (for jusText's stoplist) ---------------------------------

_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?\s*([A-Za-z]{2,3})""", re.I)
_META_LANG = re.compile(
    r"""<meta[^>]+http-equiv\s*=\s*["']?content-language["']?[^>]+content\s*=\s*["']?\s*([A-Za-z]{2,3})""",
    re.I)


def page_language(html: str) -> str | None:
    """The ISO 639 code declared by ``<html lang>`` (or Content-Language meta)."""
    head = html[:20000]
    m = _HTML_LANG.search(head) or _META_LANG.search(head)
    return m.group(1).lower() if m else None


# --- gold ----------------------------------------------------------------

@dataclass
class GoldInfo:
    has_text: bool
    has_snippets: bool


def dataset_gold_kinds(pages: list[bsd.Page]) -> GoldInfo:
    """Which metrics apply to a set: shingle if any page has a ``text`` field
    (null on snippet-only sets), snippet if any page has with/without snippets."""
    return GoldInfo(has_text=any(p.text is not None for p in pages),
                    has_snippets=any(p.has_snippets for p in pages))


def gold_text(page: bsd.Page) -> str:
    return bsd.gold_text(page)


def text_sha1(text: str) -> str:
    """Hash of a decoded page (the cache key's input part)."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


# --- the bundled model's held-out pages ------------------------------------------

def holdout_rule():
    """``is_held_out(dataset, page_id) -> bool`` for the bundled model's validation
    split, or ``None`` when it cannot be determined.

    The training command holds out a page when a hash of ``corpus/id`` falls
    below the share recorded in the model's metadata (or, failing that, in
    ``models/train_config.json``).  Scores on these pages are out-of-sample for
    boilerstrip even on the sets it trains on.
    """
    share, corpora = None, None
    try:
        from boilerstrip.model import load_model

        meta = load_model().meta
        share, corpora = meta.get("holdout"), meta.get("corpora")
    except Exception:  # noqa: BLE001 - no model yet, or an older format
        pass
    if share is None:
        cfg_path = Path(bsd.__file__).resolve().parent.parent / "models" / "train_config.json"
        try:
            import json

            cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
            share, corpora = cfg.get("holdout"), cfg.get("corpora")
        except (OSError, ValueError):
            return None
    try:
        from boilerstrip.train_cli import is_holdout
    except ImportError:
        return None
    if share is None:
        return None
    trained = {Path(str(c)).name for c in (corpora or bsd.TRAINABLE_SETS)}

    def is_held_out(dataset: str, page_id: str) -> bool:
        return dataset in trained and is_holdout(dataset, page_id, float(share))
    is_held_out.share = float(share)  # type: ignore[attr-defined]
    return is_held_out


def sample_preferring(pages: list, limit: int | None, prefer, seed: int = DEFAULT_SEED) -> list:
    """Every page with ``prefer(page)`` true, then a seeded sample of the others up
    to ``limit`` pages in all; corpus order kept."""
    if limit is None or limit <= 0 or len(pages) <= limit:
        return list(pages)
    first = [p for p in pages if prefer(p)][:limit]
    rest = sample([p for p in pages if not prefer(p)], limit - len(first), seed) \
        if limit > len(first) else []
    keep = {id(p) for p in first} | {id(p) for p in rest}
    return [p for p in pages if id(p) in keep]
