#!/usr/bin/env python3
"""Clean HTML pages with PySpark on ``local[2]`` (or any master).

    pip install 'boilerstrip[spark]'     # needs Java 17+
    python examples/spark_example.py                  # the pages in examples/pages
    python examples/spark_example.py 'pages/*.html.gz' --master spark://host:7077

The Python workers must be able to import boilerstrip (installed on every node;
for this local example the script puts the checkout on their PYTHONPATH).
"""
from __future__ import annotations

import argparse
import glob
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
try:
    import boilerstrip  # noqa: F401
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(HERE.parent))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="*", default=[str(HERE / "pages" / "*")])
    ap.add_argument("--master", default="local[2]")
    args = ap.parse_args(argv)
    paths = sorted({p for pat in args.inputs for p in glob.glob(pat, recursive=True)})
    if not paths:
        print("no input files", file=sys.stderr)
        return 2

    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(HERE.parent)] + [p for p in [os.environ.get("PYTHONPATH")] if p])
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from boilerstrip.batch import read_html_file
    from boilerstrip.integrations.spark import clean_dataframe, clean_rdd

    spark = (SparkSession.builder.master(args.master).appName("boilerstrip-example")
             .config("spark.ui.enabled", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        # RDD: read and clean inside mapPartitions
        rdd = spark.sparkContext.parallelize(paths, min(len(paths), 8)).map(read_html_file)
        for path, text in zip(paths, clean_rdd(rdd, errors="none").collect()):
            print(f"{Path(path).name}: {len((text or '').split())} words")
        # DataFrame: a pandas UDF adds "text" and "error" columns
        rows = [(Path(p).name, bytearray(read_html_file(p))) for p in paths]
        df = spark.createDataFrame(rows, "name string, html binary")
        clean_dataframe(df, "html").select("name", "text", "error").show(truncate=60)
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
