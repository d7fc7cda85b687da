"""``python -m benchmarks diff DATASET PAGE_ID``: why do we lose on this page?

Prints the gold, the extractor's output, the gold lines it missed and the
lines it added, the page's scores, and (for boilerstrip) every block with its
score, kept/dropped decision and how much of it is in the gold, so a wrong
decision stands out: ``!`` marks a kept block that is mostly not gold, or a
dropped block that mostly is.
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from boilerstrip import metrics

from . import data, extractors
from .worker import run_one


def _shingle_set(text: str) -> set:
    return set(metrics.shingles(text))


def coverage(text: str, other: set) -> float:
    """Share of ``text``'s shingles present in the shingle set ``other``."""
    own = _shingle_set(text)
    if not own:
        return 1.0
    return len(own & other) / len(own)


def line_diff(gold: str, output: str) -> tuple[list, list]:
    """(missed, extra): gold lines not (fully) in the output and output lines
    not (fully) in the gold, each with its coverage by the other side."""
    g_lines = [ln for ln in (metrics.normalize_ws(x) for x in gold.splitlines()) if ln]
    o_lines = [ln for ln in (metrics.normalize_ws(x) for x in output.splitlines()) if ln]
    g_set, o_set = _shingle_set(gold), _shingle_set(output)
    g_flat, o_flat = " ".join(g_lines), " ".join(o_lines)
    missed = [(ln, coverage(ln, o_set)) for ln in g_lines
              if metrics.tokens(ln) and ln not in o_flat]
    extra = [(ln, coverage(ln, g_set)) for ln in o_lines
             if metrics.tokens(ln) and ln not in g_flat]
    return [m for m in missed if m[1] < 1.0], [e for e in extra if e[1] < 1.0]


def find_page(root, name: str, page_id: str):
    folder = data.dataset_folder(root, name)
    from boilerstrip.datasets import load_corpus

    for page in load_corpus(folder):
        if page.id == page_id:
            return page
    return None


def _clip(s: str, width: int) -> str:
    return s if len(s) <= width else s[: max(1, width - 1)] + "…"


def run(args) -> int:
    root = data.root_arg(args.datasets_root)
    try:
        page = find_page(root, args.dataset, args.page_id)
    except FileNotFoundError as exc:
        print(f"diff: {exc}", file=sys.stderr)
        return 2
    if page is None:
        print(f"diff: no page {args.page_id!r} in {args.dataset}", file=sys.stderr)
        return 2
    spec = args.extractor or "boilerstrip"
    ok, why = extractors.availability(spec)
    if not ok:
        print(f"diff: extractor {spec} unavailable: {why}", file=sys.stderr)
        return 2
    width = args.width or max(60, shutil.get_terminal_size((120, 20)).columns)
    html = data.decode(page.read_bytes())
    entry = run_one(extractors.make(spec), html, 60.0)
    output = entry.output
    gold = data.gold_text(page) if page.text is not None else ""
    w = sys.stdout.write

    w(f"# {args.dataset} / {page.id}" + (f"  ({page.url})" if page.url else "") + "\n")
    if entry.status != "ok":
        w(f"!! {spec} {entry.status}: {entry.error}\n")
    if page.text is not None:
        s = metrics.score_page(output, gold)
        w(f"score: P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}  "
          f"(tp {s.tp:.3f} fp {s.fp:.3f} fn {s.fn:.3f})\n")
    if page.has_snippets:
        c = metrics.score_snippets(output, page.with_snippets, page.without_snippets)
        w(f"snippets: with found {c.tp}/{c.tp + c.fn}, without found {c.fp}/{c.fp + c.tn}\n")
        out_n = metrics.normalize_ws(output)
        for s_ in page.with_snippets:
            if metrics.normalize_ws(s_) not in out_n:
                w(f"  missing with: {_clip(s_, width - 16)}\n")
        for s_ in page.without_snippets:
            if metrics.normalize_ws(s_) and metrics.normalize_ws(s_) in out_n:
                w(f"  found without: {_clip(s_, width - 17)}\n")

    if not args.brief:
        w(f"\n## gold ({len(gold.splitlines())} lines)\n{gold}\n")
        w(f"\n## {spec} output ({len(output.splitlines())} lines)\n{output}\n")
    if page.text is not None:
        missed, extra = line_diff(gold, output)
        w(f"\n## missed: gold lines not in the output ({len(missed)})\n")
        for ln, cov in missed:
            w(f"- [{cov:4.0%}] {_clip(ln, width - 10)}\n")
        w(f"\n## extra: output lines not in the gold ({len(extra)})\n")
        for ln, cov in extra:
            w(f"+ [{cov:4.0%}] {_clip(ln, width - 10)}\n")

    if spec == "boilerstrip":
        import boilerstrip

        doc = json.loads(boilerstrip.clean(html, output="json"))
        g_set = _shingle_set(gold) if page.text is not None else None
        w(f"\n## blocks (threshold {doc.get('threshold')}, title {doc.get('title')!r})\n")
        w("  idx  score kept tag        gold  text\n")
        for b in doc.get("blocks", []):
            cov = coverage(b["text"], g_set) if g_set is not None else None
            flag = " "
            if cov is not None and metrics.tokens(b["text"]):
                if (b["kept"] and cov < 0.5) or (not b["kept"] and cov >= 0.5):
                    flag = "!"
            gold_s = f"{cov:4.0%}" if cov is not None else "  – "
            w(f"{flag}{b['index']:>4} {b['score']:6.3f} {'yes' if b['kept'] else ' no'}  "
              f"{_clip(str(b.get('tag', '')), 10):<10} {gold_s}  "
              f"{_clip(metrics.normalize_ws(b['text']), width - 38)}\n")
    return 0
