"""Clean the HTML pages of WARC archives: ``boilerstrip warc IN.warc[.gz]... -o OUT.jsonl``.

WARC parsing is FastWARC's job (:mod:`fastwarc`); this module decides which
records are pages, undoes the HTTP transfer and content encodings, decodes the
bytes with the HTTP ``Content-Type`` charset as a hint
(:func:`boilerstrip.encoding.decode_html`), and cleans them, in parallel with
the same ordered process pool as :func:`boilerstrip.clean_many`.

A record becomes a page when it is a ``response`` with HTTP status 2xx and an
HTML content type (``text/html``, ``application/xhtml+xml``; without a
``Content-Type`` the body is sniffed), or a ``resource`` record with an HTML
``Content-Type``.  Everything else is skipped and counted.  A page that cannot
be read (bad HTTP head, truncated block, broken chunked or gzip encoding) or
whose cleaning raises is *broken*: it is counted and gets an output line with an
``error``, and the run goes on.  A file whose WARC framing breaks is read up to
that point and reported.

Each output line (JSON) holds ``url``, ``record_id``, ``date`` (the WARC-Date),
``title``, ``text`` and ``error`` (``null`` unless broken).  ``--warc-output``
also writes a WARC of ``conversion`` records (one per cleaned page, like Common
Crawl's WET files) that refer back to the source records.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
import uuid
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .batch import (FORMATS, _auto_chunksize, _check_options, _chunks, _get_model,
                    _model_spec, _ordered_map, _Options, add_progress_arguments,
                    add_run_arguments, check_run_options, effective_jobs, progress_bar)

#: MIME types taken as HTML.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/vnd.wap.xhtml+xml"})
#: Pages larger than this (after content decoding) are broken, not cleaned.
MAX_PAGE_BYTES = 32 << 20
#: Formats the ``text`` field can take (``json`` makes no sense inside JSON lines).
TEXT_FORMATS = tuple(f for f in FORMATS if f != "json")
#: ``Content-Type`` of the conversion records, by format.
CONVERSION_TYPES = {"text": "text/plain; charset=utf-8",
                    "markdown": "text/markdown; charset=utf-8",
                    "html": "text/html; charset=utf-8"}


@dataclass
class WarcStats:
    """What happened to the records of a run (printed at the end of ``boilerstrip warc``)."""

    files: int = 0
    records: int = 0  #: every record read
    pages: int = 0  #: records taken as HTML pages (cleaned or broken)
    cleaned: int = 0  #: pages cleaned without error
    empty: int = 0  #: of those, pages with no article text
    non_html: int = 0  #: response/resource records of another content type
    bad_status: int = 0  #: HTML responses with a status other than 2xx
    other_types: int = 0  #: warcinfo, request, metadata, revisit, ... records
    broken: int = 0  #: pages that could not be read or cleaned
    unreadable_files: list = field(default_factory=list)  #: ``"file: error"`` per file cut short

    def summary(self) -> str:
        return (f"{self.files} file{'s' if self.files != 1 else ''}, {self.records} records: "
                f"{self.cleaned} pages cleaned ({self.empty} empty), {self.broken} broken; "
                f"skipped {self.non_html} non-HTML, {self.bad_status} non-2xx, "
                f"{self.other_types} other record types"
                + (f"; {len(self.unreadable_files)} file(s) cut short by a read error"
                   if self.unreadable_files else ""))


@dataclass
class WarcPage:
    """An HTML record as read from the archive, before any decoding."""

    url: str | None
    record_id: str | None
    date: str | None
    content_type: str | None  #: the full HTTP (or WARC, for resources) Content-Type
    body: bytes  #: the HTTP body as stored (maybe chunked and/or compressed)
    transfer_encoding: str | None = None
    content_encoding: str | None = None
    error: str | None = None  #: set when the record is broken before decoding

    def html_bytes(self) -> bytes:
        """The page bytes with transfer and content encodings undone (``ValueError`` if broken)."""
        data = self.body
        if self.transfer_encoding and "chunked" in self.transfer_encoding.lower():
            data = dechunk(data)
        for coding in reversed(_codings(self.content_encoding)):
            data = decompress(data, coding)
        return data


def _codings(header: str | None) -> list[str]:
    if not header:
        return []
    return [c.strip().lower() for c in header.split(",") if c.strip().lower() not in ("", "identity")]


def dechunk(data: bytes) -> bytes:
    """Undo HTTP/1.1 chunked transfer coding.

    Bodies whose first line is no chunk size are returned as they are (archives
    often keep the header after the crawler already de-chunked the body); a
    chunk that is cut short keeps what arrived, a malformed size line after the
    first raises ``ValueError``.
    """
    first = data.split(b"\n", 1)[0].split(b";", 1)[0].strip()
    try:
        int(first, 16)
    except ValueError:
        return data
    out = bytearray()
    pos = 0
    while pos < len(data):
        end = data.find(b"\n", pos)
        if end < 0:
            end = len(data)
        line = data[pos:end].split(b";", 1)[0].strip()
        if not line:  # blank line between chunks (lenient)
            pos = end + 1
            continue
        try:
            size = int(line, 16)
        except ValueError:
            raise ValueError(f"malformed chunked encoding at byte {pos}") from None
        if size < 0:
            raise ValueError(f"malformed chunked encoding at byte {pos}")
        if size == 0:
            break
        start = end + 1
        out += data[start:start + size]
        pos = start + size
        if len(out) > MAX_PAGE_BYTES:
            raise ValueError(f"page larger than {MAX_PAGE_BYTES} bytes")
    return bytes(out)


def decompress(data: bytes, coding: str) -> bytes:
    """Undo one HTTP content coding (gzip, deflate, br); ``ValueError`` when that fails."""
    try:
        if coding in ("gzip", "x-gzip"):
            return _inflate(data, 16 + zlib.MAX_WBITS)
        if coding == "deflate":
            try:
                return _inflate(data, zlib.MAX_WBITS)
            except zlib.error:  # servers often send raw deflate
                return _inflate(data, -zlib.MAX_WBITS)
        if coding == "br":
            import brotli  # installed with fastwarc

            out = brotli.decompress(data)
            if len(out) > MAX_PAGE_BYTES:
                raise ValueError(f"page larger than {MAX_PAGE_BYTES} bytes")
            return out
    except (zlib.error, OSError) as exc:
        raise ValueError(f"cannot undo content-encoding {coding}: {exc}") from None
    except ValueError:
        raise
    except Exception as exc:  # brotli.error and friends
        raise ValueError(f"cannot undo content-encoding {coding}: {exc}") from None
    raise ValueError(f"unsupported content-encoding {coding!r}")


def _inflate(data: bytes, wbits: int) -> bytes:
    d = zlib.decompressobj(wbits)
    out = d.decompress(data, MAX_PAGE_BYTES + 1)
    if len(out) > MAX_PAGE_BYTES:
        raise ValueError(f"page larger than {MAX_PAGE_BYTES} bytes")
    if not d.eof:
        raise zlib.error("truncated compressed data")
    return out


def _mime(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:].lstrip()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]


def iter_warc_pages(source, stats: WarcStats | None = None, name: str | None = None
                    ) -> Iterator[WarcPage]:
    """Yield the HTML pages of one WARC file (path or binary stream), updating ``stats``.

    Broken pages are yielded too, with ``error`` set.  A read error of the file
    itself ends the iteration and is noted in ``stats.unreadable_files``.
    """
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    stats = stats if stats is not None else WarcStats()
    if name is None:
        name = str(source) if isinstance(source, (str, os.PathLike)) else \
            str(getattr(source, "name", "<stream>"))
    stats.files += 1
    try:
        if isinstance(source, (str, os.PathLike)):
            stream = open(source, "rb")
        elif _seekable(source):
            stream = contextlib.nullcontext(source)
        else:  # a pipe: FastWARC wants tell(), which pipes lack
            stream = contextlib.nullcontext(_ForwardReader(source))
        with stream as fh:
            seen = 0
            for record in ArchiveIterator(fh, parse_http=False, quirks_mode=True):
                seen += 1
                stats.records += 1
                rtype = record.record_type
                if rtype == WarcRecordType.response:
                    page = _response_page(record, stats)
                elif rtype == WarcRecordType.resource:
                    page = _resource_page(record, stats)
                else:
                    stats.other_types += 1
                    continue
                if page is not None:
                    stats.pages += 1
                    yield page
            if not seen:
                stats.unreadable_files.append(f"{name}: no WARC record found")
    except (OSError, ValueError) as exc:
        stats.unreadable_files.append(f"{name}: {exc}")


def _seekable(stream) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, OSError, ValueError):
        return False


class _ForwardReader:
    """A read-only, forward-only view of a pipe that knows its position."""

    def __init__(self, raw):
        self.raw = raw
        self.pos = 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.pos += len(data)
        return data

    def tell(self) -> int:
        return self.pos

    def seekable(self) -> bool:
        return False

    def seek(self, offset: int, whence: int = 0) -> int:
        if (whence == 0 and offset == self.pos) or (whence == 1 and offset == 0):
            return self.pos
        raise OSError(29, "Illegal seek")


def _meta(record) -> dict:
    h = record.headers
    return {"url": h.get("WARC-Target-URI"), "record_id": record.record_id,
            "date": h.get("WARC-Date")}


def _read_body(record) -> tuple[bytes | None, str | None]:
    """``(body, error)`` of a record whose head has been read: ``(None, why)``
    when it is too large or cannot be read, ``(body, "truncated ...")`` when
    the file ends before the length its header gives."""
    expected = record.content_length
    if expected > MAX_PAGE_BYTES:
        return None, f"record too large: {expected} bytes"
    try:
        body = record.reader.read()
    except OSError as exc:
        return None, f"unreadable: {exc}"
    if len(body) < expected:
        return body, f"truncated record: {len(body)} of {expected} body bytes"
    return body, None


def _response_page(record, stats: WarcStats) -> WarcPage | None:
    meta = _meta(record)
    try:
        record.parse_http(auto_decode="none", quirks_mode=True)
        http = record.http_headers
        status = http.status_code if http is not None else None
    except (OSError, ValueError) as exc:
        return WarcPage(**meta, content_type=None, body=b"", error=f"bad HTTP head: {exc}")
    if status is None:
        return WarcPage(**meta, content_type=None, body=b"", error="not an HTTP response")
    content_type = http.get("Content-Type")
    mime = _mime(content_type)
    if mime and mime not in HTML_TYPES:
        stats.non_html += 1
        return None
    body, error = _read_body(record)
    if body is None:
        return WarcPage(**meta, content_type=content_type, body=b"", error=error)
    if not mime and not _looks_like_html(body):
        stats.non_html += 1
        return None
    if not 200 <= status < 300:
        stats.bad_status += 1
        return None
    return WarcPage(**meta, content_type=content_type, body=body, error=error,
                    transfer_encoding=http.get("Transfer-Encoding"),
                    content_encoding=http.get("Content-Encoding"))


def _resource_page(record, stats: WarcStats) -> WarcPage | None:
    meta = _meta(record)
    content_type = record.headers.get("Content-Type")
    if _mime(content_type) not in HTML_TYPES:
        stats.non_html += 1
        return None
    body, error = _read_body(record)
    return WarcPage(**meta, content_type=content_type, body=body or b"", error=error)


# --------------------------------------------------------------------------
# cleaning (runs in the workers)


def page_title(html: str) -> str | None:
    """The page title as ``clean(output="json")`` reports it, from the markup
    up to ``</head>`` alone.

    Parsing only that (or the first 64 KB) costs a small fraction of a
    second full pipeline run.
    """
    from .parse import document_title as _title, parse

    end = html.find("</head")
    if end < 0:
        end = html.lower().find("</head")
    head = html[:end] if end >= 0 else html[:1 << 16]
    return _title(parse(head))


def _title_and_text(html: str, url: str | None, opts: _Options) -> tuple[str | None, str]:
    from . import clean

    text = clean(html, url=url, output=opts.output, threshold=opts.threshold,
                 model=_get_model(opts.model))
    return page_title(html), text


def clean_page(page: WarcPage, opts: _Options) -> dict:
    """The output line (a dict) for one page; never raises."""
    out = {"url": page.url, "record_id": page.record_id, "date": page.date,
           "title": None, "text": None, "error": page.error}
    if page.error is None:
        try:
            from .encoding import decode_html

            html = decode_html(page.html_bytes(), page.content_type)
            out["title"], out["text"] = _title_and_text(html, page.url, opts)
        except Exception as exc:
            out["error"] = f"{type(exc).__name__}: {exc}"
    return out


def _clean_warc_chunk(chunk: list, opts: _Options) -> list[dict]:
    return [clean_page(page, opts) for _, page in chunk]


def clean_warc(sources: Iterable, *, n_jobs: int = 1, output: str = "text",
               threshold: float | None = None, model=None, chunksize: int | None = None,
               stats: WarcStats | None = None) -> Iterator[dict]:
    """Clean the HTML pages of WARC files (paths or binary streams), in archive order.

    Yields one dict per page: ``url``, ``record_id``, ``date``, ``title``,
    ``text`` (in ``output`` format) and ``error`` (``None`` unless the page was
    broken).  Pass a :class:`WarcStats` to learn what was skipped.
    """
    if output not in TEXT_FORMATS:
        raise ValueError(f"output must be one of {', '.join(TEXT_FORMATS)}; got {output!r}")
    _check_options(output, threshold)
    jobs = effective_jobs(n_jobs)
    stats = stats if stats is not None else WarcStats()
    opts = _Options(output, threshold, _model_spec(model))
    pages = (page for src in sources for page in iter_warc_pages(src, stats))
    chunks = _chunks(pages, chunksize or _auto_chunksize(None, jobs))
    return _count(_ordered_map(_clean_warc_chunk, chunks, opts, jobs, fail=_failed_line), stats)


def _failed_line(index: int, page: WarcPage, exc: BaseException) -> dict:
    """The output line of a page whose worker task failed (e.g. the worker died)."""
    return {"url": page.url, "record_id": page.record_id, "date": page.date,
            "title": None, "text": None, "error": f"{type(exc).__name__}: {exc}"}


def _count(lines: Iterator[dict], stats: WarcStats) -> Iterator[dict]:
    for line in lines:
        if line["error"] is None:
            stats.cleaned += 1
            stats.empty += not line["text"]
        else:
            stats.broken += 1
        yield line


# --------------------------------------------------------------------------
# WARC output


class ConversionWriter:
    """Writes ``conversion`` records (gzip per record when the name ends in ``.gz``)."""

    def __init__(self, path: str | os.PathLike, output: str = "text"):
        from fastwarc.stream_io import GzipWriter

        self.path = Path(path)
        self.content_type = CONVERSION_TYPES[output]
        self._fh = open(self.path, "wb")
        self._gz = GzipWriter(self._fh) if self.path.name.endswith(".gz") else None
        self.warcinfo_id = f"<urn:uuid:{uuid.uuid4()}>"
        from . import __version__

        info = (f"software: boilerstrip/{__version__}\r\n"
                f"format: WARC File Format 1.1\r\n"
                f"description: article text extracted by boilerstrip ({output})\r\n")
        self._write("warcinfo", info.encode(), {"Content-Type": "application/warc-fields",
                                                "WARC-Filename": self.path.name},
                    record_id=self.warcinfo_id)

    def _write(self, kind: str, block: bytes, headers: dict, record_id: str | None = None) -> None:
        from fastwarc.warc import WarcRecord, WarcRecordType

        rec = WarcRecord()
        rid = (record_id or f"<urn:uuid:{uuid.uuid4()}>")[5:-1]  # strip "<urn:" ">"
        rec.init_headers(getattr(WarcRecordType, kind), rid.encode())
        for key, value in headers.items():
            if value:
                rec.headers[key] = " ".join(str(value).split())  # one line, no CR/LF
        rec.set_bytes_content(block)
        if self._gz is not None:
            rec.write(self._gz, checksum_data=True)
            self._gz.finish()  # one gzip member per record, as the WARC spec advises
        else:
            rec.write(self._fh, checksum_data=True)

    def write(self, line: dict) -> None:
        """Write the conversion record of one cleaned page (broken pages are not written)."""
        if line.get("error") is not None or line.get("text") is None:
            return
        headers = {"WARC-Target-URI": line.get("url"), "WARC-Refers-To": line.get("record_id"),
                   "WARC-Warcinfo-ID": self.warcinfo_id, "Content-Type": self.content_type,
                   "Boilerstrip-Title": line.get("title")}
        if line.get("date"):
            headers["WARC-Date"] = line["date"]
        self._write("conversion", line["text"].encode("utf-8"), headers)

    def close(self) -> None:
        if self._gz is not None:
            self._gz.close()
        self._fh.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# --------------------------------------------------------------------------
# the ``warc`` command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="IN.warc[.gz]",
                        help="WARC files (plain, .gz, .zst or .lz4), or - for standard input")
    parser.add_argument("-o", "--output", metavar="OUT.jsonl", default="-",
                        help="JSON Lines output, one line per HTML page (default: standard output)")
    parser.add_argument("--warc-output", metavar="OUT.warc.gz", default=None,
                        help="also write a WARC of conversion records holding the text")
    parser.add_argument("-f", "--format", choices=TEXT_FORMATS, default="text",
                        help="format of the text field (default: text)")
    add_run_arguments(parser)
    add_progress_arguments(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary")


def run(args: argparse.Namespace) -> int:
    """Exit status: 0 = every file read to its end, 1 = some file cut short, 2 = usage."""
    prog = "boilerstrip warc"
    try:
        jobs, spec = check_run_options(args)
        missing = [p for p in args.inputs if p != "-" and not os.path.isfile(p)]
        if missing:
            raise FileNotFoundError(f"no such file: {', '.join(missing)}")
    except Exception as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    sources = [sys.stdin.buffer if p == "-" else p for p in args.inputs]
    stats = WarcStats()
    show = not args.quiet and (args.progress if args.progress is not None else sys.stderr.isatty())

    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    warc_out = ConversionWriter(args.warc_output, args.format) if args.warc_output else None
    start = time.perf_counter()
    bar = progress_bar(None, show)
    try:
        for line in clean_warc(sources, n_jobs=jobs, output=args.format,
                               threshold=args.threshold, model=spec_model(spec),
                               chunksize=None, stats=stats):
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            if warc_out is not None:
                warc_out.write(line)
            bar.update(1)
    except BrokenPipeError:
        return 1
    finally:
        bar.close()
        if out is not sys.stdout:
            out.close()
        else:
            with contextlib.suppress(BrokenPipeError):
                out.flush()
        if warc_out is not None:
            warc_out.close()
    elapsed = time.perf_counter() - start
    if not args.quiet:
        rate = stats.pages / elapsed if elapsed > 0 else 0.0
        for problem in stats.unreadable_files:
            print(f"{prog}: error: {problem}", file=sys.stderr)
        print(f"{prog}: {stats.summary()} in {elapsed:.1f} s ({rate:.1f} pages/s)", file=sys.stderr)
    return 1 if stats.unreadable_files else 0


def spec_model(spec: tuple):
    """The ``model=`` argument equivalent to an already-resolved model spec."""
    return None if spec[0] == "default" else spec[1]
