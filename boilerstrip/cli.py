"""Command-line interface: ``boilerstrip COMMAND ...`` (also ``python -m boilerstrip``).

Each sub-command lives in the module that implements it; the module exposes
``add_arguments(parser)`` and ``run(args) -> int``.  Modules are imported only
when their command runs, so ``boilerstrip clean`` never imports training code.
"""
from __future__ import annotations

import argparse
import importlib
import sys

#: command name -> (module, one-line help)
COMMANDS = {
    "clean": ("boilerstrip.batch", "extract the article from HTML files, directories, globs or stdin"),
    "warc": ("boilerstrip.warc", "extract articles from the HTML records of WARC files"),
    "train": ("boilerstrip.train_cli", "train a model on labeled corpora"),
    "evaluate": ("boilerstrip.evaluate", "score a model on a labeled corpus"),
    "label": ("boilerstrip.label", "label the blocks of a page in the browser, append to a corpus"),
    "check": ("boilerstrip.corpus", "check labeled corpora (files, decoding, gold, labels)"),
}


def build_parser(load: str | None = None) -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(prog="boilerstrip", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"boilerstrip {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_) in COMMANDS.items():
        p = sub.add_parser(name, help=help_, description=help_)
        if name == load:
            importlib.import_module(module).add_arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    if command not in COMMANDS:
        build_parser().parse_args(argv or ["--help"])
        return 2
    parser = build_parser(load=command)
    args = parser.parse_args(argv)
    module = importlib.import_module(COMMANDS[command][0])
    return int(module.run(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
