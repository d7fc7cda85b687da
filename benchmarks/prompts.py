"""``python -m benchmarks prompts``: how much prompt-like boilerplate each extractor keeps, on real pages.

The F1 tables weigh every word the same, so a kept "Support our journalism"
paragraph costs an extractor little there, and the evaluation sets hold few
of them.  This command counts them.  On every page with full gold text it
finds the *prompt blocks*: blocks of the page (boilerstrip's segmentation)
that the gold leaves out (the training labels' alignment,
:func:`boilerstrip.labels.from_text`), that are sentence-sized
(6-80 words), mostly not link text (menus are another matter), and that say
one of the phrases of :data:`boilerstrip.metrics.PROMPT_RE`: donate,
support us, subscribe, newsletter, sign up or in, log in, register, join the
discussion, comments, cookies, notifications, membership, advertising.  A
block is *kept* by an extractor when its words occur in that order, one
after the other, in the extractor's output.  The outputs are those of a
previous ``run``, read from the output cache; nothing is extracted again.

The phrase list defines the category; it is not the model's lexicon.  It
overlaps with the words boilerstrip's phrasing features count, so read the
numbers as "prompts that announce themselves", which is the kind users
complain about.  On the sets the bundled model trains on, only its held-out
pages are used.
"""
from __future__ import annotations

import sys
from pathlib import Path

from boilerstrip import metrics
from boilerstrip.text import WORD_RE

from . import data
from .cache import DEFAULT_CACHE, OutputCache
from .confidence import DEFAULT_EXTRACTORS, per_set
from .report import extractor_cells, md_table, read_results, share_cell


def prompt_blocks(html: str, gold: str) -> list[str]:
    """The prompt blocks of a page (:func:`boilerstrip.metrics.prompt_mask`), as texts."""
    from boilerstrip import labels
    from boilerstrip.parse import parse
    from boilerstrip.segment import segment

    tree = parse(html)
    blocks = segment(tree.body if tree.body is not None else tree.root)
    if not len(blocks):
        return []
    mask = metrics.prompt_mask(blocks.text, blocks.link_chars, labels.from_text(blocks.text, gold))
    return [t for t, m in zip(blocks.text, mask) if m]


def token_line(text: str) -> str:
    """The ``\\w+`` tokens of a text, space-separated and padded with spaces, so
    that one token line contains another only at token boundaries."""
    return " " + " ".join(WORD_RE.findall(text)) + " "


def kept(block: str, output: str) -> bool:
    """Whether ``output`` holds the block's words in order, one after the other."""
    return token_line(block) in token_line(output)


def count_kept(prompts: dict[str, list[str]], outputs: dict[str, str]) -> tuple[int, int]:
    """``(prompt blocks, kept)`` over pages: ``prompts`` maps page id -> its
    prompt blocks, ``outputs`` page id -> an extractor's output ('' if none)."""
    total = hits = 0
    for pid, blocks in prompts.items():
        output = outputs.get(pid) or ""
        total += len(blocks)
        hits += sum(kept(b, output) for b in blocks)
    return total, hits


def set_prompts(root, label: str, page_ids: list[str]) -> tuple[dict, dict]:
    """``(prompts, hashes)`` of the pages ``page_ids`` of set ``label`` that have
    full gold text: page id -> prompt blocks, page id -> the output cache's input hash."""
    from boilerstrip.datasets import load_corpus

    wanted = set(page_ids)
    prompts, hashes = {}, {}
    for p in load_corpus(data.dataset_folder(root, label), split=data.evaluation_split(label)):
        gold = data.gold_text(p) if p.id in wanted else ""
        if not gold.strip():
            continue
        html = data.decode(p.read_bytes())
        prompts[p.id] = prompt_blocks(html, gold)
        hashes[p.id] = data.text_sha1(html)
    return prompts, hashes


def cached_outputs(cache_dir, label: str, info: dict, dataset: str, hashes: dict) -> dict | None:
    """An extractor's outputs of a run, from the output cache (None if it has none)."""
    if not OutputCache.path_for(cache_dir, label).is_file():
        return None
    cache = OutputCache(cache_dir, label)
    try:
        outs = {}
        for pid, h in hashes.items():
            e = cache.get(info["spec"], info["version"], dataset, pid, h)
            if e is None:
                return None        # not the run that wrote results.json
            outs[pid] = e.output if e.status == "ok" else ""
        return outs
    finally:
        cache.close()


def format_table(rows: list[dict], extractors: list[str]) -> str:
    body = []
    for r in rows:
        cells = extractor_cells(r["kept"], extractors, lambda k: share_cell(k, r["blocks"]))
        body.append([r["set"], str(r["pages"]), str(r["blocks"])] + cells)
    return md_table(["set", "pages", "prompt blocks"] + list(extractors), body)


def run(args) -> int:
    results = read_results(args.results, "prompts")
    if results is None:
        return 2
    root = data.root_arg(args.datasets_root)
    cache_dir = Path(args.cache) if args.cache else DEFAULT_CACHE
    names = [n for n in (args.extractors or DEFAULT_EXTRACTORS) if n in results["extractors"]]
    rows = []
    found = per_set(results, "prompts", lambda label, ids: set_prompts(root, label, ids))
    for label, (prompts, hashes) in found.items():
        row = {"set": label, "pages": len(prompts), "blocks": sum(map(len, prompts.values())),
               "kept": {}}
        for name in names:
            outs = cached_outputs(cache_dir, name, results["extractors"][name], label, hashes)
            if outs is None:
                print(f"prompts: no cached outputs of {name} on {label} for this run",
                      file=sys.stderr)
                continue
            row["kept"][name] = count_kept(prompts, outs)[1]
        rows.append(row)
    print(f"Prompt blocks kept (outputs of the run at commit "
          f"{results['meta'].get('git_commit', '?')}; pages with full gold text, held-out "
          f"pages only on the sets the model trains on)\n")
    print(format_table(rows, names))
    return 0
