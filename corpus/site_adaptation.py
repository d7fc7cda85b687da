"""Site adaptation experiment: do a few labeled pages of one site fix that site?

    python corpus/site_adaptation.py [--site SITE] [--train-pages 8] [--user-weight 5 20] [--jobs 2]

1. Score the bundled model on each site of ``cleanportaleval`` (four news portals,
   12-30 pages each; the page ids carry the site) and take the worst one
   (or ``--site``).
2. Build a small corpus of ``--train-pages`` pages of that site (a seeded
   sample), under ``.cache/site_adaptation/`` (gitignored; the pages are
   symlinks into the shared datasets, nothing is copied).
3. Train ``boilerstrip train --base default SITE-CORPUS --user-holdout 0`` on it:
   the bundled model's recipe (models/train_config.json) plus these pages,
   each weighing ``--user-weight`` base pages (one model per weight given).
   As the baseline, train the recipe alone (``boilerstrip train --config
   models/train_config.json``): the same data and code without the site's
   pages, so that the comparison shows what the pages did and nothing else.
4. Score the baseline and the adapted models (and the bundled one, unless the
   baseline is byte-identical to it) on the rest of that
   site, on the other sites, on every other evaluation-only set (dragnet test,
   l3s_gn1, cleaneval final) and on the held-out pages of the training sets;
   F1 differences come with a paired bootstrap standard deviation over pages.

Models are kept in ``.cache/site_adaptation/`` under a name that covers the
recipe, the code and the settings, so a second run reuses them.

Prints a Markdown table (docs/corpus.md quotes it) and writes everything to
``.cache/site_adaptation/results.json``.  The adapted model is an
experiment's model: it is never shipped (evaluation-only pages must not go
into the bundled model) and lives in the gitignored folder only.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from boilerstrip import evaluate as ev  # noqa: E402
from boilerstrip.datasets import dataset_path, gold_text, load_corpus  # noqa: E402
from boilerstrip.model import load_model  # noqa: E402
from boilerstrip.train_cli import (bundled_config_path, default_cache_dir,  # noqa: E402
                                   model_predictor)

WORK = ROOT / ".cache" / "site_adaptation"
SET = "cleanportaleval"
OTHER_SETS = ("dragnet", "l3s_gn1", "cleaneval")
TRAINED_SETS = ("wcxb", "mozilla_readability")   # held-out pages with full gold text


def site_of(page_id: str) -> str:
    return page_id.split("_", 1)[0]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def pick_training_pages(pages, n: int, seed: int) -> list:
    """``n`` pages with gold text, chosen by a seeded hash of their ids."""
    usable = [p for p in pages if gold_text(p).strip()]
    key = (lambda p: hashlib.sha1(f"{seed}:{p.id}".encode()).hexdigest())
    return sorted(sorted(usable, key=key)[:n], key=lambda p: p.id)


def build_site_corpus(folder: Path, pages) -> None:
    """gold.jsonl with the pages' records; pages/ holds symlinks to the shared files."""
    src_gold = dataset_path(SET) / "gold.jsonl"
    wanted = {p.id for p in pages}
    (folder / "pages").mkdir(parents=True, exist_ok=True)
    lines = []
    for line in src_gold.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        if rec["id"] not in wanted:
            continue
        target = (dataset_path(SET) / rec["html"]).resolve()
        link = folder / "pages" / target.name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(target)
        rec["html"] = f"pages/{target.name}"
        lines.append(json.dumps(rec, ensure_ascii=False))
    (folder / "gold.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def score_groups(groups: dict, models: dict, jobs: int, cache) -> dict:
    """{group: {model: CorpusScore}} -- each group's pages prepared once, scored by each model."""
    preds = {name: (model_predictor(m), m.threshold) for name, m in models.items()}
    out = {}
    for group, (corpus, pages) in groups.items():
        log(f"scoring {group} ({len(pages)} pages)")
        items = ev.prepare(corpus, pages, n_jobs=jobs, cache_dir=cache)
        out[group] = {name: ev.score_prepared(group, items, pred, t)
                      for name, (pred, t) in preds.items()}
    return out


def fmt(x) -> str:
    return "-" if x is None else f"{x:.3f}"


def _f1(rows, idx) -> float:
    precs = [rows[i]["precision"] for i in idx if rows[i].get("precision") is not None]
    recs = [rows[i]["recall"] for i in idx if rows[i].get("recall") is not None]
    p = sum(precs) / len(precs) if precs else 0.0
    r = sum(recs) / len(recs) if recs else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def paired_delta_std(a, b, n_boot: int = 300, seed: int = 0) -> float:
    """Bootstrap standard deviation of F1(b) - F1(a) over pages resampled together."""
    import numpy as np

    ra = [r for r in a.per_page if "f1" in r]
    rb = [r for r in b.per_page if "f1" in r]
    if not ra:
        return 0.0
    rng = np.random.default_rng(seed)
    n = len(ra)
    deltas = []
    for _ in range(n_boot):
        idx = rng.integers(0, n, n)
        deltas.append(_f1(rb, idx) - _f1(ra, idx))
    return float(np.std(deltas))


def table(results: dict, names: list) -> str:
    """F1 of every model on every group; changes against the baseline with their
    paired bootstrap standard deviation."""
    head = "| pages scored | n | " + " | ".join(names) + " |"
    lines = [head, "|---|---|" + "---|" * len(names)]
    for group, by_model in results.items():
        base = by_model["baseline"]
        cells = []
        for m in names:
            f1 = by_model[m].shingle["f1"]
            cell = fmt(f1)
            if m not in ("bundled", "baseline"):
                d = f1 - base.shingle["f1"]
                cell += f" ({d:+.3f} ± {paired_delta_std(base, by_model[m]):.3f})"
            cells.append(cell)
        lines.append(f"| {group} | {base.pages} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def page_changes(before, after) -> dict:
    """How many pages got better / worse / stayed (page F1, 0.005 tolerance)."""
    b = {r["id"]: r.get("f1") for r in before.per_page}
    a = {r["id"]: r.get("f1") for r in after.per_page}
    up = sum(1 for k in b if a[k] is not None and a[k] > b[k] + 0.005)
    down = sum(1 for k in b if a[k] is not None and a[k] < b[k] - 0.005)
    return {"better": up, "worse": down, "same": len(b) - up - down}


def run_key() -> str:
    """Names the recipe + code + scikit-learn a model was trained with."""
    import sklearn

    from boilerstrip import train_cli

    h = hashlib.sha256(bundled_config_path().read_bytes())
    h.update(train_cli.code_fingerprint().encode() + sklearn.__version__.encode())
    h.update(Path(train_cli.__file__).read_bytes())
    return h.hexdigest()[:12]


def train_model(path: Path, args: list, jobs: int) -> None:
    """Run ``boilerstrip train ARGS -o PATH`` unless PATH exists (same key, same model)."""
    if path.is_file():
        log(f"reusing {path.name}")
        return
    cmd = [sys.executable, "-m", "boilerstrip", "train", *args, "-o", str(path),
           "--jobs", str(jobs), "--no-progress", "--report", str(path.with_suffix(".report.json"))]
    log("running: boilerstrip " + " ".join(cmd[3:]))
    t0 = time.time()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    log(f"trained in {time.time() - t0:.0f}s")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", help="site to adapt to (default: the bundled model's worst)")
    ap.add_argument("--train-pages", type=int, default=8)
    ap.add_argument("--user-weight", type=float, nargs="+", default=[20.0],
                    help="weight of each site page (several: one model each)")
    ap.add_argument("--seed", type=int, default=0, help="which pages of the site train")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    cache = default_cache_dir()
    from boilerstrip.model import Model, default_model_path

    bundled_bytes = default_model_path().read_bytes()   # as it is now, once
    bundled = Model.from_json(bundled_bytes, source="bundled model")
    all_pages = load_corpus(SET)
    sites = sorted({site_of(p.id) for p in all_pages})

    # 1. the bundled model on each site
    per_site = score_groups({s: (SET, [p for p in all_pages if site_of(p.id) == s])
                             for s in sites}, {"bundled": bundled}, args.jobs, cache)
    f1 = {s: r["bundled"].shingle["f1"] for s, r in per_site.items()}
    for s in sites:
        log(f"bundled model on {s}: F1 {f1[s]:.3f} ({per_site[s]['bundled'].pages} pages)")
    site = args.site or min(sites, key=lambda s: f1[s])
    if site not in sites:
        ap.error(f"--site must be one of {', '.join(sites)}")

    # 2. the site's training pages
    site_pages = [p for p in all_pages if site_of(p.id) == site]
    train = pick_training_pages(site_pages, args.train_pages, args.seed)
    train_ids = {p.id for p in train}
    tag = f"{site}-n{args.train_pages}-s{args.seed}"
    corpus_dir = WORK / f"site-{tag}"
    build_site_corpus(corpus_dir, train)
    log(f"site {site}: training on {len(train)} of {len(site_pages)} pages: "
        f"{', '.join(sorted(train_ids))}")

    # 3. the baseline (the recipe alone) and the site adaptation, with the documented commands
    key = run_key()
    base_path = WORK / f"base-{key}.json"
    train_model(base_path, ["--config", str(bundled_config_path()), "--no-card"], args.jobs)
    adapted = {}
    for w in args.user_weight:
        path = WORK / f"adapted-{tag}-w{w:g}-{key}.json"
        train_model(path, ["--base", "default", str(corpus_dir), "--user-weight", f"{w:g}",
                           "--user-holdout", "0"], args.jobs)
        adapted[f"site pages x{w:g}"] = load_model(path)
    same = base_path.read_bytes() == bundled_bytes
    if same:   # the recipe reproduces the bundled model: one column is enough
        log("the baseline is byte-identical to the bundled model")
    models = {"baseline": load_model(base_path), **adapted}
    if not same:
        models = {"bundled": bundled, **models}

    # 4. all models on everything else
    groups = {f"{site}: the other {len(site_pages) - len(train)} pages":
              (SET, [p for p in site_pages if p.id not in train_ids]),
              f"{SET}: the other sites": (SET, [p for p in all_pages if site_of(p.id) != site])}
    for name in OTHER_SETS:
        pages = ev.select_pages(name)
        groups[f"{name} ({pages[0].extra.get('split', 'all')})"] = (name, pages)
    share = bundled.meta.get("holdout")
    for name in TRAINED_SETS:
        groups[f"{name} (held out)"] = (name, ev.select_pages(
            name, held_out_share=share, trained_on={name}))
    results = score_groups(groups, models, args.jobs, cache)
    site_group = next(iter(groups))
    md = table(results, list(models))
    changes = {m: page_changes(results[site_group]["baseline"], results[site_group][m])
               for m in adapted}
    print(md)
    for m, c in changes.items():
        print(f"\n{site} pages not trained on, {m} vs baseline: {c['better']} better, "
              f"{c['worse']} worse, {c['same']} within 0.005 (page F1).")
    sha = (lambda b: hashlib.sha256(b).hexdigest()[:16])
    doc = {"site": site, "bundled_f1_per_site": f1, "train_pages": sorted(train_ids),
           "bundled_model_sha256": sha(bundled_bytes),
           "baseline_is_bundled_model": same,
           "train_config_sha256": sha(bundled_config_path().read_bytes()), "run_key": key,
           "user_weights": args.user_weight, "seed": args.seed,
           "command": "python corpus/site_adaptation.py " + " ".join(sys.argv[1:]),
           "groups": {g: {m: s.as_dict(per_page=True) for m, s in r.items()}
                      for g, r in results.items()},
           "site_page_changes": changes, "table": md}
    (WORK / "results.json").write_text(json.dumps(doc, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
