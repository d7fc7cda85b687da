"""Write a run's results: ``results.json``, ``results.md`` and ``f1_vs_speed.png``."""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

OURS = "boilerstrip"
JSON_NAME = "results.json"
MD_NAME = "results.md"
PNG_NAME = "f1_vs_speed.png"


def _f(x, nd: int = 3, dash: str = "–") -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return dash
    return f"{x:.{nd}f}"


def _name(name: str) -> str:
    return f"**{name}**" if name == OURS else name


def _mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else None


def _fair(d: dict) -> dict:
    """Per-extractor results to compare on: the held-out pages when the set is
    one boilerstrip trains on, else all pages."""
    return d["heldout"]["results"] if d.get("heldout") else d["results"]


def summarise(results: dict) -> dict:
    """Per extractor: F1 per set, macro means, snippet F1, speed."""
    ds = results["datasets"]
    shingle_sets = [n for n, d in ds.items() if "shingle" in d["metrics"]]
    eval_sets = [n for n in shingle_sets if not ds[n]["trainable"]]
    snippet_sets = [n for n, d in ds.items() if "snippet" in d["metrics"]]
    out = {"shingle_sets": shingle_sets, "evaluation_sets": eval_sets,
           "snippet_sets": snippet_sets, "extractors": {}}
    out["heldout_sets"] = [n for n in ds if ds[n].get("heldout")]
    for name, info in results["extractors"].items():
        if info.get("status") != "ok":
            continue
        f1 = {n: _fair(ds[n])[name]["shingle"]["f1"] for n in shingle_sets
              if name in ds[n]["results"]}
        sf1 = {n: _fair(ds[n])[name]["snippet"]["f1"] for n in snippet_sets
               if name in ds[n]["results"]}
        fails = sum(ds[n]["results"][name]["status"].get("error", 0)
                    + ds[n]["results"][name]["status"].get("timeout", 0)
                    + ds[n]["results"][name]["status"].get("missing", 0)
                    for n in ds if name in ds[n]["results"])
        sp = results.get("speed", {}).get(name, {})
        out["extractors"][name] = {
            "f1": f1, "snippet_f1": sf1,
            "mean_f1_evaluation_sets": _mean([f1.get(n) for n in eval_sets]),
            "mean_f1_all_sets": _mean(list(f1.values())),
            "median_ms": sp.get("median_ms"), "p95_ms": sp.get("p95_ms"),
            "pages_per_s": sp.get("pages_per_s"), "peak_rss_mb": sp.get("peak_rss_mb"),
            "failed_pages": fails,
        }
    ours = out["extractors"].get(OURS, {}).get("median_ms")
    for v in out["extractors"].values():
        v["median_vs_boilerstrip"] = (v["median_ms"] / ours) if (ours and v["median_ms"]) else None
    return out


def plot_y(summary: dict) -> tuple[str, str]:
    """Which summary F1 the plot uses, and its axis label."""
    if summary["evaluation_sets"]:
        return ("mean_f1_evaluation_sets",
                "mean F1 over " + ", ".join(summary["evaluation_sets"]))
    return "mean_f1_all_sets", "mean F1 over " + ", ".join(summary["shingle_sets"])


# --- markdown ----------------------------------------------------------------

def md_table(header: list[str], rows: list[list[str]], left: tuple[int, ...] = (0,)) -> str:
    """A Markdown table; the columns in ``left`` are left-aligned, the others right."""
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" if i in left else "---:" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def extractor_cells(values: dict, extractors, fmt) -> list[str]:
    """One table cell per extractor: ``fmt(value)``, or "–" where it has none."""
    return ["–" if values.get(e) is None else fmt(values[e]) for e in extractors]


def share_cell(part: int, whole: int) -> str:
    """A percentage cell (one decimal), "–" when there is nothing to count."""
    return f"{100 * part / whole:.1f}%" if whole else "–"


def dataset_table(name: str, d: dict) -> str:
    split = d["split"]
    head = (f"### {name}\n\n{d['pages']} pages (split `{split}`: {d['available']} pages"
            + (f", seeded sample of {d['limit']}" if d["limit"] and d["limit"] < d["available"] else "")
            + "). Metrics: " + ", ".join(d["metrics"]) + ".")
    if d["trainable"]:
        head += (" boilerstrip's model is trained on this set (minus its held-out part), "
                 "so its score on all pages is largely in-sample.")
    text = head + "\n\n" + results_table(d["results"], d["metrics"])
    h = d.get("heldout")
    if h:
        text += (f"\n\nHeld-out pages only ({h['pages']} pages the model never saw in training: "
                 "the fair comparison on this set, used in the summary):\n\n"
                 + results_table(h["results"], d["metrics"]))
    return text


def results_table(res: dict, metrics: list[str]) -> str:
    has_sh, has_sn = "shingle" in metrics, "snippet" in metrics
    header = ["extractor"]
    if has_sh:
        header += ["P", "R", "F1 ± std", "exact"]
    if has_sn:
        header += ["snippet P", "snippet R", "snippet F1"]
    header += ["empty", "errors", "timeouts"]

    def key(item):
        r = item[1]
        return -(r["shingle"]["f1"] if r.get("shingle") else (r.get("snippet") or {}).get("f1", 0))
    rows = []
    for ext, r in sorted(res.items(), key=key):
        row = [_name(ext)]
        if has_sh:
            s = r["shingle"]
            row += [_f(s["precision"]), _f(s["recall"]),
                    f"{_f(s['f1'])} ± {_f(s['std']['f1'])}", _f(s["accuracy"])]
        if has_sn:
            s = r["snippet"]
            row += [_f(s["precision"]), _f(s["recall"]), _f(s["f1"])]
        st = r["status"]
        row += [str(st.get("empty", 0)), str(st.get("error", 0) + st.get("missing", 0)),
                str(st.get("timeout", 0))]
        rows.append(row)
    return md_table(header, rows)


def summary_tables(results: dict) -> str:
    s = results["summary"]
    ext = s["extractors"]
    parts = []
    cols = s["shingle_sets"]
    if cols or s["snippet_sets"]:
        held = set(s.get("heldout_sets", []))

        def col(c, what):
            return f"{c}{' held-out' if c in held else ''} {what}"
        header = (["extractor"] + [col(c, "F1") for c in cols]
                  + (["mean F1 (eval sets)"] if s["evaluation_sets"] else [])
                  + [col(c, "snippet F1") for c in s["snippet_sets"]])
        ykey = plot_y(s)[0]
        order = sorted(ext, key=lambda n: -(ext[n].get(ykey) or 0))
        rows = []
        for n in order:
            v = ext[n]
            row = [_name(n)] + [_f(v["f1"].get(c)) for c in cols]
            if s["evaluation_sets"]:
                row.append(_f(v["mean_f1_evaluation_sets"]))
            row += [_f(v["snippet_f1"].get(c)) for c in s["snippet_sets"]]
            rows.append(row)
        pages = ", ".join(f"{n} {d['heldout']['pages'] if d.get('heldout') else d['pages']}"
                          for n, d in results["datasets"].items())
        parts.append("### Accuracy\n\nPages per set: " + pages + ". Sets marked held-out are "
                     "scored on the pages held out from boilerstrip's training only."
                     "\n\n" + md_table(header, rows))
    sp = results.get("speed") or {}
    meta = results["meta"].get("speed", {})
    if sp and not meta.get("skipped"):
        rows = []
        order = sorted(sp, key=lambda n: sp[n].get("median_ms") or float("inf"))
        for n in order:
            v = sp[n]
            if not v.get("pages"):
                rows.append([_name(n), "0"] + ["–"] * 10)
                continue
            ratio = ext.get(n, {}).get("median_vs_boilerstrip")
            own = (v["peak_rss_mb"] - v["rss_with_pages_mb"]) if v.get("rss_with_pages_mb") else None
            rows.append([_name(n), str(v["pages"]), _f(v["median_ms"], 1), _f(v["p95_ms"], 1),
                         _f(v["mean_ms"], 1), _f(v["pages_per_s"], 1),
                         _f(v.get("wall_median_ms"), 1), _f(v["peak_rss_mb"], 0),
                         _f(own, 0), _f(ratio, 2), str(v["errors"]), str(v["timeouts"])])
        parts.append(
            f"### Speed and memory\n\n{meta.get('pages')} pages ({meta.get('pages_per_dataset')} "
            f"per set, seeded), each extractor in its own process pinned to core "
            f"{meta.get('core')}, after {meta.get('warmup')} warm-up pages, HTML decoded in memory; "
            f"per-page limit {meta.get('timeout_s'):g} s. Times are the process's CPU time "
            "per page (what other jobs on a shared machine do not inflate)"
            + (f", each page's median over {meta['rounds']} passes taken by the extractors "
               "in turns" if meta.get("rounds", 1) > 1 else "")
            + "; *wall median* is "
            "the elapsed time. Peak RSS is the process's VmHWM, "
            "which includes the decoded pages; *over pages* is peak RSS minus the RSS once "
            "the pages were loaded, before the extractor was imported.\n\n"
            + md_table(["extractor", "pages", "median ms", "p95 ms", "mean ms", "pages/s",
                      "wall median ms", "peak RSS MB", "over pages MB", "median ÷ boilerstrip",
                      "errors", "timeouts"], rows))
    return "\n\n".join(parts)


def extractor_table(results: dict) -> str:
    rows = []
    for n, i in results["extractors"].items():
        status = "ok" if i["status"] == "ok" else f"{i['status']}: {i.get('reason')}"
        rows.append([_name(n), i.get("version") or "–", i.get("note") or "–", status])
    return md_table(["extractor", "version", "settings", "status"], rows)


def _timing(m: dict) -> str:
    """Where the run's time went (wall and CPU), when recorded."""
    parts = []
    if m.get("accuracy_cpu_seconds") is not None:
        parts.append(f"accuracy {m['accuracy_seconds']:.0f} s wall / "
                     f"{m['accuracy_cpu_seconds']:.0f} s CPU in {m['accuracy_jobs']} workers")
    sp = m.get("speed") or {}
    if sp.get("seconds") is not None:
        parts.append(f"speed {sp['seconds']:.0f} s wall"
                     + (f" / {sp['cpu_seconds']:.0f} s CPU" if sp.get("cpu_seconds") is not None else ""))
    return f" ({'; '.join(parts)})" if parts else ""


def markdown(results: dict, level: int = 2) -> str:
    m = results["meta"]
    mach = m["machine"]
    h = "#" * level
    intro = (f"Command: `{m['command']}`  \n"
             f"Date: {m['date']}, commit {m.get('git_commit') or 'unknown'}  \n"
             f"Machine: {mach.get('cpu')}, {mach.get('cores')} cores, {mach.get('memory_gb')} GB, "
             f"{mach.get('platform')}, Python {mach.get('python')}; load average at start "
             f"{mach.get('load_avg_at_start')}  \n"
             f"Decoder: {m['decoder']}; seed {m['seed']}; bootstrap {m['bootstrap_resamples']} "
             f"resamples; run time {m['total_seconds']:.0f} s{_timing(m)}")
    body = [intro, f"{h} Extractors\n\n" + extractor_table(results),
            f"{h} Summary\n\n" + summary_tables(results).replace("### ", "#" * (level + 1) + " "),
            f"{h} Per dataset\n\n" + "\n\n".join(
                dataset_table(n, d).replace("### ", "#" * (level + 1) + " ")
                for n, d in results["datasets"].items())]
    return "\n\n".join(body) + "\n"


# --- plot ----------------------------------------------------------------------

def plot(results: dict, path: Path) -> Path | None:
    """Draw the F1-vs-speed plot; ``None`` when there is nothing to draw or
    matplotlib (in the ``bench`` extra) is not installed."""
    try:
        import matplotlib
    except ImportError:
        import sys

        print("matplotlib not installed: no plot (pip install -e '.[bench]')", file=sys.stderr)
        return None

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = results["summary"]
    ykey, ylabel = plot_y(s)
    pts = [(n, v["median_ms"], v[ykey]) for n, v in s["extractors"].items()
           if v.get("median_ms") and v.get(ykey) is not None]
    if not pts:
        return None
    fig, ax = plt.subplots(figsize=(7.5, 5), dpi=110)
    yspan = max(0.05, max(y for _, _, y in pts) - min(y for _, _, y in pts))
    for n, x, y in pts:
        # label below-right, unless a close neighbour sits below: then above-right
        crowded = any(abs(math.log10(x2 / x)) < 0.25 and 0 <= y - y2 < 0.06 * yspan
                      and n2 != n for n2, x2, y2 in pts)
        if n == OURS:
            ax.scatter([x], [y], s=220, marker="*", color="#d62728", zorder=3, label=OURS)
            ax.annotate(n, (x, y), textcoords="offset points", xytext=(8, 6),
                        fontsize=10, fontweight="bold", color="#d62728")
        else:
            ax.scatter([x], [y], s=50, color="#1f77b4", zorder=2)
            ax.annotate(n, (x, y), textcoords="offset points",
                        xytext=(6, 5) if crowded else (6, -12), fontsize=9)
    ax.set_xscale("log")
    ax.set_xlabel("median CPU ms per page (log scale, one core)")
    ax.set_ylabel(ylabel, fontsize=9 if len(ylabel) > 40 else 10)
    ys = [y for _, _, y in pts]
    ax.set_ylim(max(0.0, min(ys) - 0.05), min(1.0, max(ys) + 0.05))
    xs = [x for _, x, _ in pts]
    ax.set_xlim(min(xs) / 1.8, max(xs) * 1.8)
    ax.grid(True, which="both", alpha=0.3)
    m = results["meta"]
    ax.set_title(f"F1 vs speed ({m['date']}, {m['speed'].get('pages', '?')} timed pages)", fontsize=10)
    if any(n == OURS for n, _, _ in pts):
        ax.legend(loc="lower right", fontsize=9)
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def write_all(results: dict, out_dir: str | Path) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    p = out / JSON_NAME
    p.write_text(json.dumps(results, ensure_ascii=False, separators=(",", ":")) + "\n",
                 encoding="utf-8")
    paths.append(p)
    p = out / MD_NAME
    p.write_text("# Benchmark results\n\n" + markdown(results), encoding="utf-8")
    paths.append(p)
    png = plot(results, out / PNG_NAME)
    if png:
        paths.append(png)
    return paths


DOCS_MARKER = "## Latest full run"


def headline(results: dict, peers=("trafilatura", "readability")) -> str:
    """boilerstrip against the named peers: F1 per evaluation-only set, speed ratio."""
    s = results["summary"]
    ext = s["extractors"]
    if OURS not in ext:
        return ""
    present = [p for p in peers if p in ext]
    if not present:
        return ""
    lines = []
    for n in s["evaluation_sets"]:
        ours = ext[OURS]["f1"].get(n)
        others = ", ".join(f"{p} {_f(ext[p]['f1'].get(n))}" for p in present)
        best = max((ext[p]["f1"].get(n) or 0 for p in present), default=0)
        verdict = "" if ours is None else (" (ahead)" if ours >= best else " (behind)")
        lines.append(f"- {n} ({results['datasets'][n]['pages']} pages): boilerstrip F1 "
                     f"{_f(ours)}{verdict}; {others}")
    for p in present:
        r, ours_ms, theirs = ext[p].get("median_vs_boilerstrip"), ext[OURS].get("median_ms"), ext[p].get("median_ms")
        if r:
            lines.append(f"- speed: boilerstrip {_f(ours_ms, 1)} ms median per page, {p} "
                         f"{_f(theirs, 1)} ms: {p} takes {r:.2f}x as long")
    return "\n".join(lines)


def update_docs(results: dict, docs_path: str | Path, results_dir: str | Path | None = None) -> Path:
    """Replace the ``## Latest full run`` section (to the end) of the docs page."""
    import os

    path = Path(docs_path)
    text = path.read_text(encoding="utf-8")
    head = text.split(DOCS_MARKER)[0].rstrip() + "\n\n"
    intro = ""
    if results_dir is not None:
        rel = os.path.relpath(Path(results_dir).resolve(), path.resolve().parent)
        intro = (f"Files: [`results.md`]({rel}/{MD_NAME}), [`results.json`]({rel}/{JSON_NAME}) "
                 f"(per-page scores), plot below.\n\n![F1 vs speed]({rel}/{PNG_NAME})\n\n")
    top = headline(results)
    if top:
        intro += "Headline (evaluation-only sets; speed = median CPU ms per page, one core):\n\n" \
                 + top + "\n\n"
    body = markdown(results, level=3)
    path.write_text(head + DOCS_MARKER + "\n\n" + intro + body, encoding="utf-8")
    return path


def read_results(results_dir: str | Path | None, command: str) -> dict | None:
    """A run's results.json (``results_dir`` None: the default output folder), or
    None after telling on stderr why it cannot be read (the ``command`` names who asks)."""
    from .runner import DEFAULT_OUT

    path = Path(results_dir or DEFAULT_OUT) / JSON_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"{command}: cannot read {path}: {exc}", file=sys.stderr)
        return None


def rerender(results_dir: str | Path, docs_path: str | Path | None = None) -> list[Path]:
    """Rewrite results.md and the plot from results.json (and the docs section)."""
    results = json.loads((Path(results_dir) / JSON_NAME).read_text(encoding="utf-8"))
    results["summary"] = summarise(results)
    paths = write_all(results, results_dir)
    if docs_path:
        paths.append(update_docs(results, docs_path, results_dir))
    return paths
