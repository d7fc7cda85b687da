"""boilerstrip run with other options than the benchmark's default call, for
questions the main tables cannot answer.  Not in the default run; name one
with ``--extractors label=benchmarks.variants:NAME``.

``with_headline``: ``clean(html, output="markdown")``, the article *with* its
headline (and sub-headings, list items, quotes).  The metric reads ``\\w+``
tokens, so the Markdown marks (``#``, ``-``, ``>``, ``|``) do not count;
what this adds over the text output is the headline.  dragnet's and
cleanportaleval's gold keep the headline, which ``clean()``'s text output
leaves out by design; this variant measures what that choice costs there.
"""
from __future__ import annotations

import boilerstrip


def with_headline(html: str) -> str:
    return boilerstrip.clean(html, output="markdown")
