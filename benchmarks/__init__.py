"""boilerstrip's benchmark suite: accuracy, speed and memory next to peer extractors.

Run ``python -m benchmarks run`` (full comparison), ``python -m benchmarks diff
DATASET PAGE_ID`` (why we lose on one page) or ``python -m benchmarks gate``
(the CI regression gate).  See ``docs/benchmarks.md``.
"""
