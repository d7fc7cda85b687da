"""Check a labeled corpus before training on it or scoring with it.

A corpus is a folder with ``gold.jsonl`` and the pages it names (see
``corpus/README.md`` and ``docs/corpus.md``).  :func:`validate_corpus` reads
every record and every page and reports what is wrong *per page* -- it never
stops at the first problem and never raises on bad data:

errors (the page cannot be used; ``boilerstrip train`` skips it, except in the
    corpora of a training config, where gold that fits no block is reported and kept)
    a line that is not a JSON object, a record without ``id`` or ``html``,
    a field of the wrong type, a duplicate id, a page path outside the
    corpus folder, a page file that is missing or unreadable (a broken gzip
    file), a page that is not text (an image, a PDF, ...), a page without a
    single text block, gold text that matches no block of the page, ``with``
    snippets none of which occur in the page (when they are its only content
    gold; otherwise a warning), malformed block labels (an
    index out of range, a label other than 0/1, a CSS selector that does not
    parse or selects no block, a text that equals no block);

warnings (the page is used, but look at it)
    a page without any gold (nothing to learn or score), gold text only
    partly found in the page, some ``with`` snippets not found, a block
    label whose recorded text differs from the block at its index (the
    page was labeled with a different segmentation), replacement characters
    from decoding.

Command line: ``boilerstrip check CORPUS...`` (or ``python -m boilerstrip.corpus``) prints the report
and exits with status 1 when a corpus has errors.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .datasets import Page, dataset_path, page_from_record

#: Below this share of the gold text's trigrams found in the page: a warning.
GOLD_COVERAGE_WARN = 0.5
#: Above this share of U+FFFD in the decoded page: a warning.
REPLACEMENT_WARN = 0.001

#: Fields of a record with the types they must have (``None`` always allowed).
_FIELD_TYPES = {"text": (str,), "title": (str,), "url": (str,),
                "with": (str, list), "without": (str, list), "labels": (list,)}


@dataclass(frozen=True)
class Issue:
    """One problem found in a corpus."""

    severity: str          # "error" or "warning"
    code: str              # short machine-readable kind, e.g. "missing-file"
    message: str
    page: str | None = None
    line: int | None = None

    def where(self) -> str:
        if self.page is not None and self.line is not None:
            return f"page {self.page} (line {self.line})"
        if self.page is not None:
            return f"page {self.page}"
        if self.line is not None:
            return f"line {self.line}"
        return "corpus"

    def __str__(self) -> str:
        return f"{self.where()}: {self.severity}: {self.message}"

    def as_dict(self) -> dict:
        return {"severity": self.severity, "code": self.code, "message": self.message,
                "page": self.page, "line": self.line}


@dataclass
class CorpusReport:
    """Everything :func:`validate_corpus` found in one corpus."""

    corpus: str
    records: int = 0
    pages: list[Page] = field(default_factory=list)   # records that parsed
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def bad_pages(self) -> set[str]:
        """Ids of pages with at least one error (not usable)."""
        return {i.page for i in self.errors if i.page is not None}

    def usable_pages(self) -> list[Page]:
        """The parsed records without errors, in corpus order (every record of a
        duplicated id has an error: which one is right is not ours to guess)."""
        bad = self.bad_pages()
        return [p for p in self.pages if p.id not in bad]

    def summary(self) -> str:
        n_bad = len(self.bad_pages()) + sum(1 for i in self.errors if i.page is None)
        return (f"{self.corpus}: {self.records} records, {len(self.errors)} errors, "
                f"{len(self.warnings)} warnings, {n_bad} unusable")

    def format(self, warnings: bool = True) -> str:
        lines = [self.summary()]
        for i in self.issues:
            if warnings or i.severity == "error":
                lines.append(f"  {i}")
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {"corpus": self.corpus, "records": self.records, "ok": self.ok,
                "errors": len(self.errors), "warnings": len(self.warnings),
                "issues": [i.as_dict() for i in self.issues]}


# --- records --------------------------------------------------------------


def _record_problems(rec) -> list[str]:
    if not isinstance(rec, dict):
        return [f"a record must be a JSON object, not {type(rec).__name__}"]
    out = []
    rid = rec.get("id")
    if rid is None or isinstance(rid, bool) or not isinstance(rid, (str, int)) or str(rid) == "":
        out.append("record needs a non-empty 'id' (string or integer)")
    html = rec.get("html")
    if not isinstance(html, str) or not html:
        out.append("record needs 'html': the page's path relative to the corpus folder")
    for name, types in _FIELD_TYPES.items():
        v = rec.get(name)
        if v is not None and not isinstance(v, types):
            kinds = " or ".join("string" if t is str else "list" for t in types)
            out.append(f"field {name!r} must be a {kinds} or null, not {type(v).__name__}")
        elif name in ("with", "without") and isinstance(v, list) \
                and not all(isinstance(s, str) for s in v):
            out.append(f"field {name!r} must hold strings only")
    return out


def _inside(folder: Path, rel: str) -> bool:
    p = Path(rel)
    if p.is_absolute() or ".." in p.parts:
        return False
    return True


def read_records(folder: str | Path) -> CorpusReport:
    """Parse ``gold.jsonl`` and check every record and that its page file exists.

    Does not read the pages (see :func:`check_page`)."""
    folder = dataset_path(folder)
    report = CorpusReport(str(folder))
    gold = folder / "gold.jsonl"
    if not gold.is_file():
        report.issues.append(Issue("error", "no-gold-file",
                                   f"no gold.jsonl in {folder}"))
        return report
    try:
        raw_lines = gold.read_bytes().split(b"\n")
    except OSError as exc:
        report.issues.append(Issue("error", "unreadable", f"cannot read {gold}: {exc}"))
        return report
    first_line: dict[str, int] = {}
    for lineno, raw in enumerate(raw_lines, 1):
        if not raw.strip():
            continue
        report.records += 1
        try:
            rec = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            report.issues.append(Issue("error", "invalid-json",
                                       f"not UTF-8 ({exc.reason} at byte {exc.start})",
                                       line=lineno))
            continue
        except ValueError as exc:
            report.issues.append(Issue("error", "invalid-json", f"invalid JSON: {exc}",
                                       line=lineno))
            continue
        problems = _record_problems(rec)
        pid = str(rec["id"]) if isinstance(rec, dict) and isinstance(rec.get("id"), (str, int)) \
            and not isinstance(rec.get("id"), bool) else None
        if problems:
            for msg in problems:
                report.issues.append(Issue("error", "invalid-record", msg, pid, lineno))
            continue
        if pid in first_line:
            report.issues.append(Issue("error", "duplicate-id",
                                       f"id {pid!r} is also used on line {first_line[pid]} "
                                       "(ids must be unique; both records are skipped)",
                                       pid, lineno))
        else:
            first_line[pid] = lineno
        if not _inside(folder, rec["html"]):
            report.issues.append(Issue("error", "bad-path",
                                       f"page path {rec['html']!r} must be relative and "
                                       "inside the corpus folder", pid, lineno))
            continue
        page = page_from_record(folder, rec)
        page.extra["_line"] = lineno
        report.pages.append(page)
        if not page.path.is_file():
            report.issues.append(Issue("error", "missing-file",
                                       f"page file {rec['html']} not found", pid, lineno))
        elif not (page.has_text or page.has_snippets or page.labels):
            report.issues.append(Issue("warning", "no-gold",
                                       "no gold (text, with/without snippets or labels): "
                                       "nothing to learn or score", pid, lineno))
    return report


# --- pages ------------------------------------------------------------------

def read_page_bytes(page: Page) -> bytes:
    """The page bytes; raises ``OSError``/``ValueError`` with a readable message."""
    try:
        return page.read_bytes()
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise ValueError(f"cannot read {page.path.name}: {exc}") from None


def element_nodes(root) -> list:
    """The block-level elements :func:`boilerstrip.segment.segment` numbers, by
    element id: ``element_nodes(root)[blocks.owner[i]]`` is the DOM element that
    owns block ``i``.  Mirrors segment's walk (same skipped and hidden subtrees)."""
    from .segment import BLOCK_TAGS, SKIP_TAGS, _attr_string

    nodes = [root]
    node = root.child
    depth = 0
    while node is not None:
        tag = node.tag
        child = None
        if tag and tag != "-text" and tag[0] != "-" and tag not in SKIP_TAGS and tag != "br":
            child = node.child
            is_block = tag in BLOCK_TAGS
            if child is not None or is_block:
                attrs = node.attributes
                hidden = _attr_string(attrs)[1] if attrs else False
                if hidden:
                    child = None
                elif is_block:
                    nodes.append(node)
            else:
                child = None
        if child is not None:
            node = child
            depth += 1
            continue
        while True:
            nxt = node.next
            if nxt is not None:
                node = nxt
                break
            node = node.parent
            depth -= 1
            if node is None or depth < 0:
                node = None
                break
    return nodes


def owner_nodes(root, blocks) -> list:
    """The owner element of every block (see :func:`element_nodes`).  Raises
    ``RuntimeError`` if the walk and the segmentation disagree (a bug)."""
    nodes = element_nodes(root)
    if [n.tag for n in nodes[1:]] != list(blocks.element_tag[1:]) \
            or len(nodes) != len(blocks.element_tag):
        raise RuntimeError("block-to-element mapping disagrees with segment()")
    return [nodes[k] for k in blocks.owner]


def resolve_labels(entries, tree, root, blocks) -> tuple[list[dict], list[str]]:
    """Turn label entries into ``{"index", "label"}`` entries for :mod:`labels`.

    ``{"selector": CSS, "label": 0/1}`` marks every block whose owner element is
    matched by the selector or lies inside a matched element.  ``index`` and
    ``text`` entries pass through after checks.  Returns the entries and a list
    of problems (errors); entries with problems are dropped.
    """
    from .labels import _norm

    out: list[dict] = []
    problems: list[str] = []
    if not isinstance(entries, list):
        return [], ["'labels' must be a list"]
    n = len(blocks)
    by_text = None
    owners = None
    for k, e in enumerate(entries):
        where = f"labels[{k}]"
        if not isinstance(e, dict):
            problems.append(f"{where}: an entry must be an object, not {type(e).__name__}")
            continue
        lab = e.get("label")
        if lab not in (0, 1) or isinstance(lab, float):
            problems.append(f"{where}: 'label' must be 0 (boilerplate) or 1 (content), "
                            f"not {lab!r}")
            continue
        lab = int(lab)
        if "index" in e:
            i = e["index"]
            if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < n:
                problems.append(f"{where}: block index {i!r} out of range "
                                f"(the page has {n} blocks)")
                continue
            out.append({"index": i, "label": lab})
        elif "selector" in e:
            sel = e["selector"]
            if not isinstance(sel, str) or not sel.strip():
                problems.append(f"{where}: 'selector' must be a non-empty string")
                continue
            try:
                matched = {m.mem_id for m in tree.css(sel)}
            except Exception as exc:  # selectolax raises its own error type
                problems.append(f"{where}: invalid CSS selector {sel!r} ({exc})")
                continue
            if owners is None:
                owners = owner_nodes(root, blocks)
            hits = [i for i, node in enumerate(owners) if _under(node, matched)]
            if not hits:
                problems.append(f"{where}: selector {sel!r} selects no block "
                                "(select block-level elements such as div, p, li)")
                continue
            out.extend({"index": i, "label": lab} for i in hits)
        elif "text" in e:
            if by_text is None:
                by_text = {}
                for i, t in enumerate(blocks.text):
                    by_text.setdefault(_norm(t), []).append(i)
            hits = by_text.get(_norm(str(e["text"])), [])
            if not hits:
                problems.append(f"{where}: no block has the text {str(e['text'])[:60]!r}")
                continue
            out.extend({"index": i, "label": lab} for i in hits)
        else:
            problems.append(f"{where}: an entry needs 'index', 'selector' or 'text'")
    return out, problems


def _under(node, matched: set) -> bool:
    while node is not None:
        if node.mem_id in matched:
            return True
        node = node.parent
    return False


def _trigram_coverage(gold: str, block_texts: list[str]) -> float:
    from .labels import _ngrams, _tokens

    g = set(_ngrams(_tokens(gold), 3))
    if not g:
        return 1.0
    page = set()
    for t in block_texts:
        page.update(_ngrams(_tokens(t), 3))
    return len(g & page) / len(g)


def check_page(page: Page, raw: bytes | None = None) -> list[Issue]:
    """Read, decode and segment one page and check its gold against it."""
    from .encoding import sniff_binary, to_text

    line = page.extra.get("_line")

    def issue(sev, code, msg):
        return Issue(sev, code, msg, page.id, line)

    try:
        if raw is None:
            raw = read_page_bytes(page)
    except ValueError as exc:
        return [issue("error", "unreadable", str(exc))]
    if not raw.strip():
        return [issue("error", "empty-page", "the page file is empty")]
    kind = sniff_binary(raw)
    if kind is not None:
        return [issue("error", "undecodable", f"not an HTML page: looks like {kind}")]
    html = to_text(raw)
    if not html.strip():
        return [issue("error", "undecodable", "the page decodes to no text")]
    issues = []
    bad = html.count("\ufffd")
    if bad > max(3, REPLACEMENT_WARN * len(html)):
        issues.append(issue("warning", "decoding",
                            f"{bad} replacement characters after decoding: check the "
                            "page's encoding declaration"))
    try:
        from .api import parse_and_segment

        tree, root, blocks = parse_and_segment(html)
    except Exception as exc:  # the parser must not take the whole check down
        return issues + [issue("error", "unparsable", f"{type(exc).__name__}: {exc}")]
    if len(blocks) == 0:
        return issues + [issue("error", "no-blocks", "the page has no text blocks")]
    return issues + check_gold(page, blocks, tree, root)


def check_gold(page: Page, blocks, tree=None, root=None) -> list[Issue]:
    """Check a page's gold against its blocks (from :func:`boilerstrip.api.parse_and_segment`).

    Block labels are checked when ``tree`` and ``root`` are given (CSS
    selectors need the document)."""
    from .datasets import gold_text
    from .labels import MIN_SNIPPET_CHARS, _norm, from_text

    line = page.extra.get("_line")

    def issue(sev, code, msg):
        return Issue(sev, code, msg, page.id, line)

    issues = []
    texts = blocks.text
    gold = gold_text(page) if page.has_text else ""
    if gold.strip():
        labels = from_text(texts, gold)
        if not (labels == 1).any():
            issues.append(issue("error", "gold-unmatched",
                                "the gold text matches no block of the page (wrong page "
                                "file, or gold from another version of the page?)"))
        else:
            cov = _trigram_coverage(gold, texts)
            if cov < GOLD_COVERAGE_WARN:
                issues.append(issue("warning", "gold-partial",
                                    f"only {cov:.0%} of the gold text occurs in the page"))
    with_ = [s for s in (_norm(x) for x in page.with_snippets) if len(s) >= MIN_SNIPPET_CHARS]
    if with_:
        joined = _norm(" ".join(texts))
        missing = [s for s in with_ if s not in joined]
        if len(missing) == len(with_):
            # only an error when the snippets are all the page's content gold
            alone = not gold.strip() and not page.labels
            issues.append(issue("error" if alone else "warning", "snippets-unmatched",
                                f"none of the {len(with_)} 'with' snippets occurs in the page "
                                f"(first: {missing[0][:60]!r})"))
        elif missing:
            issues.append(issue("warning", "snippets-partial",
                                f"{len(missing)} of {len(with_)} 'with' snippets do not "
                                f"occur in the page (first: {missing[0][:60]!r})"))
    if page.labels is not None and tree is not None:
        _, problems = resolve_labels(page.labels, tree, root, blocks)
        for msg in problems:
            issues.append(issue("error", "bad-labels", msg))
        drift = _label_drift(page.labels, texts)
        if drift:
            issues.append(issue("warning", "labels-drift",
                                f"{drift} labeled blocks have other text than when they were "
                                "labeled (segmentation changed?); relabel the page"))
    return issues


def _label_drift(entries, texts) -> int:
    """Index entries that also record a ``text`` which no longer matches."""
    from .labels import _norm

    n = 0
    if not isinstance(entries, list):
        return 0
    for e in entries:
        if isinstance(e, dict) and isinstance(e.get("index"), int) and "text" in e \
                and not isinstance(e.get("index"), bool) and 0 <= e["index"] < len(texts):
            if _norm(str(e["text"])) != _norm(texts[e["index"]]):
                n += 1
    return n


def _check_one(page: Page) -> list[Issue]:
    try:
        return check_page(page)
    except Exception as exc:  # never let one page stop the report
        return [Issue("error", "internal", f"{type(exc).__name__}: {exc}", page.id,
                      page.extra.get("_line"))]


def validate_corpus(folder: str | Path, *, deep: bool = True, n_jobs: int = 1,
                    progress: bool = False) -> CorpusReport:
    """Check a corpus: records always, page contents too when ``deep``."""
    report = read_records(folder)
    if not deep:
        return report
    bad_before = report.bad_pages()
    todo = [p for p in report.pages if p.id not in bad_before]
    for found in parallel_map(_check_one, todo, n_jobs, batch_size=8, progress=progress,
                              desc="checking"):
        report.issues.extend(found)
    report.issues.sort(key=lambda i: (i.line or 0, i.severity != "error"))
    return report


def parallel_map(fn, items: list, n_jobs: int = 1, *, batch_size: int = 8,
                 progress: bool = False, desc: str = ""):
    """``fn`` over ``items``, results in order, in ``n_jobs`` joblib workers (1: in
    this process), with a tqdm bar on stderr when ``progress`` and tqdm is there."""
    if n_jobs == 1:
        results = map(fn, items)
    else:
        from joblib import Parallel, delayed

        results = Parallel(n_jobs=n_jobs, return_as="generator", batch_size=batch_size)(
            delayed(fn)(x) for x in items)
    if progress:
        try:
            from tqdm import tqdm

            results = tqdm(results, total=len(items), desc=desc, file=sys.stderr)
        except ImportError:
            pass
    return results


# --- command line -------------------------------------------------------------

def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("corpora", nargs="+", metavar="CORPUS",
                   help="corpus folders (with gold.jsonl) or dataset names")
    p.add_argument("--quick", action="store_true",
                   help="check records and files only, do not read the pages")
    p.add_argument("--errors-only", action="store_true", help="do not list warnings")
    p.add_argument("--json", action="store_true", help="print the reports as JSON")
    p.add_argument("--jobs", type=int, default=1, help="parallel page checks")


def run(args) -> int:
    status = 0
    out = []
    for c in args.corpora:
        rep = validate_corpus(c, deep=not args.quick, n_jobs=args.jobs)
        if not rep.ok:
            status = 1
        if args.json:
            out.append(rep.as_dict())
        else:
            print(rep.format(warnings=not args.errors_only))
    if args.json:
        print(json.dumps(out, indent=2))
    return status


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m boilerstrip.corpus",
                                description="check labeled corpora (gold.jsonl + pages)")
    add_arguments(p)
    return run(p.parse_args(argv))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
