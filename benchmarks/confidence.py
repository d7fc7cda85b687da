"""``python -m benchmarks confidence``: accuracy on the pages boilerstrip is sure of, and on the rest.

``clean(html, output="json")`` reports a page ``confidence``: the highest
score any block gets from the block stage alone.  Below
:data:`boilerstrip.api.UNSURE_BELOW` no block looks like article text by
itself and the choice rests on context.  This command measures what that
means: it reads a run's ``results.json`` (each set's pages and every
extractor's per-page precision and recall), computes boilerstrip's confidence
on the same pages with the installed model, and prints each extractor's F1
on the sure and the unsure pages, aggregated the benchmark's way.  On the sets
the bundled model trains on, only its held-out pages are used.

It runs no extractor but boilerstrip, and only boilerstrip's analysis, so it
takes about as long as one boilerstrip pass over the pages.
"""
from __future__ import annotations

import json
import sys

from boilerstrip import metrics

from . import data
from .report import extractor_cells, md_table, read_results

#: Columns shown unless ``--extractors`` names others.
DEFAULT_EXTRACTORS = ("boilerstrip", "trafilatura", "readability")


def aggregate_f1(per_page: dict, positions: list[int]) -> float | None:
    """F1 of the pages at ``positions`` from a run's stored per-page precision
    and recall (``None`` where a page had no output or no gold), averaged like
    every benchmark table (:func:`boilerstrip.metrics.mean_prf`).  ``None``
    without pages."""
    if not positions:
        return None
    prec = [per_page["precision"][k] for k in positions if per_page["precision"][k] is not None]
    rec = [per_page["recall"][k] for k in positions if per_page["recall"][k] is not None]
    return metrics.mean_prf(prec, rec)[2]


def used_positions(ds: dict) -> list[int]:
    """Positions in ``ds["page_ids"]`` of the pages the split covers: all of an
    evaluation set, the held-out ones of a set the model trains on."""
    ids = ds["page_ids"]
    if not ds.get("trainable"):
        return list(range(len(ids)))
    held = set(ds.get("heldout", {}).get("page_ids", []))
    return [k for k, i in enumerate(ids) if i in held]


def per_set(results: dict, command: str, compute, full_gold: bool = True) -> dict:
    """``compute(label, page_ids)`` for every set of a run (with ``full_gold``,
    only those scored against full gold text), on the pages the split covers
    (:func:`used_positions`); a set whose folder is gone is skipped with a note
    on stderr.  Returns label -> result."""
    out = {}
    for label, ds in results["datasets"].items():
        if full_gold and "shingle" not in ds.get("metrics", []):
            continue
        try:
            out[label] = compute(label, [ds["page_ids"][k] for k in used_positions(ds)])
        except FileNotFoundError as exc:
            print(f"{command}: skipping {label}: {exc}", file=sys.stderr)
    return out


def split_rows(results: dict, part_of: dict[str, dict[str, str]], parts: list[str]) -> list[dict]:
    """One row per (set, part): page count and every extractor's F1.

    ``part_of`` maps set label -> page id -> the part the page falls in (one
    of ``parts``, in the order rows are made); pages without one are left out."""
    rows = []
    for label, ds in results["datasets"].items():
        if "shingle" not in ds.get("metrics", []) or label not in part_of:
            continue
        ids = ds["page_ids"]
        keep = used_positions(ds)
        which = part_of[label]
        for part in parts:
            pos = [k for k in keep if which.get(ids[k]) == part]
            f1 = {name: aggregate_f1(r["per_page"], pos) for name, r in ds["results"].items()
                  if "precision" in r.get("per_page", {})}
            rows.append({"set": label, "part": part, "pages": len(pos), "f1": f1})
    return rows


def split_table(results: dict, confidence: dict[str, dict[str, float]], below: float) -> list[dict]:
    """:func:`split_rows` into the ``sure`` and ``unsure`` pages (``confidence``:
    set label -> page id -> confidence)."""
    part_of = {label: {i: "sure" if c >= below else "unsure" for i, c in conf.items()}
               for label, conf in confidence.items()}
    return split_rows(results, part_of, ["sure", "unsure"])


def page_confidences(root, label: str, page_ids: list[str]) -> dict[str, float]:
    """boilerstrip's confidence on each of ``page_ids`` of set ``label``."""
    import boilerstrip
    from boilerstrip.datasets import load_corpus

    wanted = set(page_ids)
    pages = [p for p in load_corpus(data.dataset_folder(root, label),
                                    split=data.evaluation_split(label)) if p.id in wanted]
    out = {}
    for p in pages:
        doc = json.loads(boilerstrip.clean(data.decode(p.read_bytes()), output="json"))
        out[p.id] = doc["confidence"]
    return out


def format_table(rows: list[dict], extractors: list[str], below: float) -> str:
    """The sure/unsure table of :func:`split_table`'s rows."""
    return format_parts(rows, extractors, "boilerstrip confidence", _part_names(below))


def _part_names(below: float) -> dict[str, str]:
    return {"sure": f"≥ {below}", "unsure": f"< {below}"}


def format_parts(rows: list[dict], extractors: list[str], heading: str, names: dict[str, str]) -> str:
    """Markdown table of :func:`split_rows`' rows; ``names`` labels each part
    under ``heading``."""
    body = []
    for r in rows:
        cells = extractor_cells(r["f1"] if r["pages"] else {}, extractors, "{:.3f}".format)
        body.append([r["set"], str(r["pages"]), names[r["part"]]] + cells)
    return md_table(["set", "pages", heading] + list(extractors), body, left=(0, 2))


def run(args) -> int:
    from boilerstrip.api import UNSURE_BELOW

    below = UNSURE_BELOW if args.below is None else args.below
    return run_split(args, "confidence", page_confidences,
                     lambda c: "sure" if c >= below else "unsure", ["sure", "unsure"],
                     "boilerstrip's page confidence", "boilerstrip confidence", _part_names(below),
                     note="confidence from the installed model; ")


def run_split(args, command: str, compute, part, parts: list[str], what: str, heading: str,
              names: dict[str, str], note: str = "") -> int:
    """A split command: ``compute(root, label, page_ids) -> {page id: value}`` for
    every set of the run in ``args.results``, ``part(value)`` names each page's
    part (one of ``parts``), and the table of :func:`split_rows` is printed
    (:func:`print_split`).  Returns the exit status."""
    results = read_results(args.results, command)
    if results is None:
        return 2
    root = data.root_arg(args.datasets_root)
    values = per_set(results, command, lambda label, ids: compute(root, label, ids))
    part_of = {label: {i: part(v) for i, v in vals.items()} for label, vals in values.items()}
    print_split(results, split_rows(results, part_of, parts), args.extractors, what, heading,
                names, note)
    return 0


def print_split(results: dict, rows: list[dict], columns: list[str] | None, what: str,
                heading: str, names: dict[str, str], note: str = "") -> None:
    """Print :func:`split_rows`' rows under a line saying what they split by:
    the ``columns`` extractors (default :data:`DEFAULT_EXTRACTORS`) that the run has."""
    present = set(n for r in rows for n in r["f1"])
    extractors = [n for n in (columns or DEFAULT_EXTRACTORS) if n in present]
    print(f"F1 by {what} (extractor outputs of the run at commit "
          f"{results['meta'].get('git_commit', '?')}; {note}"
          f"held-out pages only on the sets the model trains on)\n")
    print(format_parts(rows, extractors, heading, names))
