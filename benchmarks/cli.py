"""``python -m benchmarks {run,report,diff,confidence,goldsize,prompts,headlines,gate} ...`` (see docs/benchmarks.md)."""
from __future__ import annotations

import argparse
import sys

from . import data


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--datasets-root", metavar="PATH",
                   help="folder holding dataset folders in the gold.jsonl layout "
                        "(default: $BOILERSTRIP_DATASETS or ../shared/datasets)")


def _results(p: argparse.ArgumentParser) -> None:
    p.add_argument("--results", metavar="DIR", help="folder of results.json (default benchmarks/results)")


def _columns(p: argparse.ArgumentParser) -> None:
    p.add_argument("--extractors", nargs="+", metavar="NAME",
                   help="columns (default: boilerstrip trafilatura readability)")


def build_parser() -> argparse.ArgumentParser:
    from . import runner

    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description="boilerstrip benchmark suite")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("run", help="accuracy and speed of every installed extractor",
                       description="Run the extractors over the datasets; write results.md, "
                                   "results.json and f1_vs_speed.png.")
    _common(p)
    p.add_argument("--datasets", nargs="+", metavar="NAME",
                   help="dataset names under the root, or folder paths (default: all)")
    p.add_argument("--extractors", nargs="+", metavar="NAME",
                   help="extractor names, or [label=]module:function (default: all known)")
    p.add_argument("--limit", nargs="+", metavar="N|NAME=N",
                   help="page cap: N for every set, NAME=N for one set, 0 = no cap "
                        f"(default caps: {', '.join(f'{k}={v}' for k, v in data.DEFAULT_LIMITS.items() if v)})")
    p.add_argument("--out", metavar="DIR", help="output folder (default benchmarks/results)")
    p.add_argument("--cache", metavar="DIR", help="output cache folder (default benchmarks/.cache)")
    p.add_argument("--jobs", type=int, default=2, help="accuracy workers at a time (1 or 2)")
    p.add_argument("--speed-pages", type=int, default=runner.DEFAULT_SPEED_PAGES, metavar="N",
                   help="pages per set in the speed sample; 0 skips the speed runs")
    p.add_argument("--warmup", type=int, default=runner.DEFAULT_WARMUP, metavar="N",
                   help="pages run before timing starts")
    p.add_argument("--speed-rounds", type=int, default=runner.DEFAULT_SPEED_ROUNDS, metavar="N",
                   help="timed passes per extractor, taken in turns; each page's time is its "
                        f"median over them (default {runner.DEFAULT_SPEED_ROUNDS})")
    p.add_argument("--timeout", type=float, default=runner.DEFAULT_TIMEOUT, metavar="SECONDS",
                   help="per-page time limit")
    p.add_argument("--core", type=int, default=None,
                   help="core the speed runs are pinned to (default: highest available)")
    p.add_argument("--seed", type=int, default=data.DEFAULT_SEED)

    p = sub.add_parser("report", help="re-render results.md and the plot from results.json",
                       description="Re-render results.md and f1_vs_speed.png from a run's "
                                   "results.json; --docs also rewrites the 'Latest full run' "
                                   "section of docs/benchmarks.md.")
    _results(p)
    p.add_argument("--docs", metavar="FILE", nargs="?", const="docs/benchmarks.md",
                   help="docs page whose 'Latest full run' section to rewrite (default docs/benchmarks.md)")

    p = sub.add_parser("diff", help="gold vs output for one page, with per-block scores")
    _common(p)
    p.add_argument("dataset")
    p.add_argument("page_id")
    p.add_argument("--extractor", help="extractor to diff (default boilerstrip)")
    p.add_argument("--brief", action="store_true", help="omit the full gold and output")
    p.add_argument("--width", type=int, default=None, help="line width")

    for name, short, desc, option, kind, metavar, what in (
            ("confidence", "F1 on the pages boilerstrip is sure of, and on the rest",
             "boilerstrip's page confidence (clean(output='json')['confidence']).",
             "--below", float, "X",
             "confidence below which a page is unsure (default boilerstrip.api.UNSURE_BELOW)"),
            ("goldsize", "F1 on pages with a short gold text, and on the rest",
             "the number of words in each page's gold text.",
             "--words", int, "N",
             "gold texts of fewer words are short (default goldsize.DEFAULT_WORDS, 100)")):
        p = sub.add_parser(name, help=short, description="Split a run's per-page results by " + desc)
        _common(p)
        _results(p)
        p.add_argument(option, type=kind, default=None, metavar=metavar, help=what)
        _columns(p)

    p = sub.add_parser("prompts", help="share of prompt-like boilerplate each extractor keeps",
                       description="Count the left-out blocks of real pages that read as "
                                   "prompts (donate, subscribe, sign in, comments, cookies, "
                                   "...) and how many of them each extractor's output of a "
                                   "run keeps.")
    _common(p)
    _results(p)
    p.add_argument("--cache", metavar="DIR", help="output cache folder (default benchmarks/.cache)")
    _columns(p)

    p = sub.add_parser("headlines", help="how often boilerstrip's headline is the page's own",
                       description="On the pages of a run whose gold names the headline, "
                                   "check the block boilerstrip calls the headline.")
    _common(p)
    _results(p)

    p = sub.add_parser("gate", help="CI regression gate: F1 floors on a fixed subset")
    _common(p)
    p.add_argument("--extractor", metavar="NAME|module:function",
                   help="extractor to gate (default boilerstrip)")
    p.add_argument("--baseline", metavar="FILE", help="baseline file (default benchmarks/baseline.json)")
    p.add_argument("--update", action="store_true", help="re-measure and rewrite the floors")
    p.add_argument("--note", help="why the floors go down or the data changed (required then)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    args.argv = argv
    if args.command == "run":
        from . import runner

        return runner.run(args)
    if args.command == "report":
        from . import report, runner

        for p in report.rerender(args.results or runner.DEFAULT_OUT, args.docs):
            print(f"wrote {p}", file=sys.stderr)
        return 0
    if args.command == "diff":
        from . import diff

        return diff.run(args)
    if args.command == "confidence":
        from . import confidence

        return confidence.run(args)
    if args.command == "goldsize":
        from . import goldsize

        return goldsize.run(args)
    if args.command == "prompts":
        from . import prompts

        return prompts.run(args)
    if args.command == "headlines":
        from . import headlines

        return headlines.run(args)
    from . import gate

    return gate.run(args)
