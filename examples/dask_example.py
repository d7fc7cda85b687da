#!/usr/bin/env python3
"""Clean HTML pages (and WARC files) on a local Dask cluster.

    pip install 'boilerstrip[dask]'
    python examples/dask_example.py                   # the pages shipped in examples/pages
    python examples/dask_example.py 'crawl/*.warc.gz' # or WARC files
    python examples/dask_example.py --scheduler tcp://host:8786 'pages/**/*.html.gz'

Each worker process loads the model once (``ModelPlugin`` loads it as the
worker starts); pages are read by the workers, so on a real cluster the paths
must be visible to them (a shared disk, or URLs).
"""
from __future__ import annotations

import argparse
import glob
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
try:
    import boilerstrip  # noqa: F401
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(HERE.parent))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="*", default=[str(HERE / "pages" / "*")],
                    help="HTML files (raw or .gz) or WARC files (*.warc, *.warc.gz), globs allowed")
    ap.add_argument("--scheduler", help="address of a running scheduler (default: a LocalCluster)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--format", default="text", choices=["text", "markdown", "html"])
    args = ap.parse_args(argv)

    import dask.bag as db
    from distributed import Client, LocalCluster

    from boilerstrip.batch import read_html_file
    from boilerstrip.integrations.dask import ModelPlugin, clean_bag, clean_warc_bag

    paths = sorted({p for pattern in args.inputs for p in glob.glob(pattern, recursive=True)})
    warcs = [p for p in paths if ".warc" in Path(p).name]
    pages = [p for p in paths if p not in warcs and Path(p).is_file()]
    if not paths:
        print("no input files", file=sys.stderr)
        return 2

    if args.scheduler:
        client = Client(args.scheduler, set_as_default=False)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster, set_as_default=False)
    try:
        client.register_plugin(ModelPlugin())  # every worker loads the model once, now
        if pages:
            bag = db.from_sequence(pages, npartitions=min(len(pages), 8 * args.workers))
            texts = clean_bag(bag.map(read_html_file), output=args.format, errors="none")
            for path, text in zip(pages, client.compute(texts).result()):
                first = (text or "").split("\n", 1)[0]
                print(f"{Path(path).name}: {len((text or '').split())} words | {first[:70]}")
        if warcs:
            lines = clean_warc_bag(warcs, output=args.format)
            for line in client.compute(lines).result():
                status = line["error"] or f"{len((line['text'] or '').split())} words"
                print(f"{line['url']}: {status}")
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
