"""``boilerstrip warc`` and :mod:`boilerstrip.warc` on WARC files the tests write themselves."""
from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import uuid
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

fastwarc = pytest.importorskip("fastwarc")
from fastwarc.stream_io import GzipWriter  # noqa: E402
from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType  # noqa: E402

import boilerstrip  # noqa: E402
from boilerstrip.cli import main  # noqa: E402
from boilerstrip.encoding import decode_html  # noqa: E402
from boilerstrip.warc import (WarcPage, WarcStats, clean_warc, dechunk, decompress,  # noqa: E402
                              iter_warc_pages, page_title)

PAGES = Path(__file__).resolve().parent.parent / "examples" / "pages"
REPO = PAGES.parent.parent

GREEK_TITLE = "Νέα γέφυρα στο λιμάνι της πόλης"
GREEK_PAGE = f"""<html><head><title>{GREEK_TITLE}</title></head><body>
<nav><a href="/">Αρχική</a> <a href="/news">Ειδήσεις</a></nav>
<article><h1>{GREEK_TITLE}</h1>
<p>Η νέα γέφυρα στο λιμάνι άνοιξε σήμερα το πρωί για τα αυτοκίνητα και τους πεζούς, μετά από δύο χρόνια εργασιών.</p>
<p>Οι κάτοικοι της περιοχής περίμεναν πολύ καιρό αυτή τη στιγμή, γιατί η παλιά γέφυρα ήταν κλειστή από τον χειμώνα.</p>
<p>Ο δήμαρχος είπε ότι το έργο κόστισε λιγότερο από ό,τι είχε προβλεφθεί αρχικά.</p>
</article><footer>© 2024 Εφημερίδα του Λιμανιού</footer></body></html>"""


def page_bytes(name: str) -> bytes:
    data = (PAGES / name).read_bytes()
    return gzip.decompress(data) if name.endswith(".gz") else data


def http(body: bytes, content_type: str | None = "text/html; charset=utf-8", status: int = 200,
         headers: tuple = ()) -> bytes:
    head = [f"HTTP/1.1 {status} {'OK' if status == 200 else 'Other'}"]
    if content_type is not None:
        head.append(f"Content-Type: {content_type}")
    head += list(headers)
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def record(kind: str, block: bytes, url: str = "http://example.test/",
           content_type: str = "application/http; msgtype=response") -> WarcRecord:
    rec = WarcRecord()
    rec.init_headers(getattr(WarcRecordType, kind), f"uuid:{uuid.uuid4()}".encode())
    rec.headers["WARC-Target-URI"] = url
    rec.headers["Content-Type"] = content_type
    rec.set_bytes_content(block)
    return rec


def warc_bytes(records: list[WarcRecord], gz: bool = True) -> bytes:
    buf = io.BytesIO()
    if gz:
        writer = GzipWriter(buf)
        for rec in records:
            rec.write(writer, checksum_data=True)
            writer.finish()
        writer.close()
    else:
        for rec in records:
            rec.write(buf, checksum_data=True)
    return buf.getvalue()


def chunked(body: bytes, size: int = 100) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size])
             for i in range(0, len(body), size)]
    return b"".join(parts) + b"0\r\n\r\n"


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> tuple[Path, dict]:
    """A gzipped WARC with every kind of record the command must tell apart."""
    harbour = page_bytes("harbour-bridge.html")
    market = page_bytes("night-market.html")  # windows-1252, declared in <meta>
    garden = page_bytes("school-garden.html.gz")
    greek = GREEK_PAGE.encode("iso-8859-7")  # declared only in the HTTP header
    recs = {
        "warcinfo": record("warcinfo", b"software: test\r\n", content_type="application/warc-fields"),
        "request": record("request", b"GET / HTTP/1.1\r\nHost: example.test\r\n\r\n",
                          content_type="application/http; msgtype=request"),
        "harbour": record("response", http(harbour), url="http://example.test/harbour"),
        "png": record("response", http(b"\x89PNG\r\n\x1a\n....", "image/png"), url="http://example.test/a.png"),
        "market_gzip": record("response", http(gzip.compress(market), "text/html",
                                               headers=("Content-Encoding: gzip",)),
                              url="http://example.test/market"),
        "greek": record("response", http(greek, "text/html; charset=iso-8859-7"), url="http://example.test/gr"),
        "garden_chunked": record("response", http(chunked(garden), "text/html; charset=utf-8",
                                                  headers=("Transfer-Encoding: chunked",)),
                                 url="http://example.test/garden"),
        "not_found": record("response", http(b"<html><p>Not found</p></html>", status=404),
                            url="http://example.test/missing"),
        "no_type": record("response", http(harbour, None), url="http://example.test/untyped"),
        "bad_gzip": record("response", http(b"this is not gzip", "text/html",
                                            headers=("Content-Encoding: gzip",)),
                           url="http://example.test/badgz"),
        "bad_chunks": record("response", http(b"5\r\n<p>ab\r\nzz\r\nmore\r\n", "text/html",
                                              headers=("Transfer-Encoding: chunked",)),
                             url="http://example.test/badchunk"),
        "not_http": record("response", b"\x00\x01 no HTTP here", url="http://example.test/nohttp"),
        "resource": record("resource", garden, url="file:///garden.html", content_type="text/html"),
        "metadata": record("metadata", b"via: x\r\n", content_type="application/warc-fields"),
        "css": record("resource", b"body{}", url="file:///a.css", content_type="text/css"),
    }
    ids = {k: r.record_id for k, r in recs.items()}
    path = tmp_path_factory.mktemp("warc") / "crawl.warc.gz"
    path.write_bytes(warc_bytes(list(recs.values())))
    expected = {
        "harbour": boilerstrip.clean(harbour),
        "market_gzip": boilerstrip.clean(market),
        "greek": boilerstrip.clean(GREEK_PAGE),
        "garden_chunked": boilerstrip.clean(garden),
        "no_type": boilerstrip.clean(harbour),
        "resource": boilerstrip.clean(garden),
    }
    return path, {"ids": ids, "expected": expected}


def test_archive_pages_are_cleaned_in_order_and_others_counted(archive):
    path, info = archive
    stats = WarcStats()
    lines = list(clean_warc([path], stats=stats))
    ids = info["ids"]
    by_id = {v: k for k, v in ids.items()}
    kinds = [by_id[line["record_id"]] for line in lines]
    assert kinds == ["harbour", "market_gzip", "greek", "garden_chunked", "no_type",
                     "bad_gzip", "bad_chunks", "not_http", "resource"]
    for line in lines:
        kind = by_id[line["record_id"]]
        assert set(line) == {"url", "record_id", "date", "title", "text", "error"}
        assert line["date"] and line["date"].endswith("Z")
        if kind in info["expected"]:
            assert line["error"] is None
            assert line["text"] == info["expected"][kind]
        else:
            assert line["error"] and line["text"] is None
    assert stats.records == 15 and stats.files == 1
    assert stats.pages == 9 and stats.cleaned == 6 and stats.broken == 3
    assert stats.non_html == 2  # png response, css resource
    assert stats.bad_status == 1
    assert stats.other_types == 3  # warcinfo, request, metadata
    assert stats.unreadable_files == []
    assert "6 pages cleaned" in stats.summary() and "3 broken" in stats.summary()


def test_http_charset_is_honoured(archive):
    path, info = archive
    # without the header the bytes would not read as Greek: the header matters
    assert GREEK_TITLE not in decode_html(GREEK_PAGE.encode("iso-8859-7"))
    line = next(x for x in clean_warc([path]) if x["record_id"] == info["ids"]["greek"])
    assert line["title"] == GREEK_TITLE
    assert line["text"] == boilerstrip.clean(GREEK_PAGE)


def test_titles_and_urls(archive):
    path, info = archive
    lines = {x["record_id"]: x for x in clean_warc([path])}
    harbour = lines[info["ids"]["harbour"]]
    assert harbour["url"] == "http://example.test/harbour"
    assert harbour["title"] == "Harbour bridge reopens after two years of repairs"  # og:title
    assert lines[info["ids"]["market_gzip"]]["title"] == "Night market returns to the old tram depot"


def test_error_messages_name_the_problem(archive):
    path, info = archive
    lines = {x["record_id"]: x for x in clean_warc([path])}
    assert "gzip" in lines[info["ids"]["bad_gzip"]]["error"]
    assert "chunked" in lines[info["ids"]["bad_chunks"]]["error"]
    assert "HTTP" in lines[info["ids"]["not_http"]]["error"]


def test_two_jobs_give_the_same_lines(archive):
    path, _ = archive
    assert list(clean_warc([path, path], n_jobs=2, chunksize=2)) == list(clean_warc([path, path]))


def test_cli_jsonl_and_warc_output(archive, tmp_path, capsys):
    path, info = archive
    out = tmp_path / "out.jsonl"
    wout = tmp_path / "out.warc.gz"
    rc = main(["warc", str(path), "-o", str(out), "--warc-output", str(wout), "--no-progress"])
    assert rc == 0
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 9
    err = capsys.readouterr().err
    assert "15 records" in err and "6 pages cleaned" in err and "3 broken" in err
    assert "2 non-HTML" in err and "1 non-2xx" in err and "3 other record types" in err

    # the WARC output: a warcinfo, then one conversion record per cleaned page
    raw = wout.read_bytes()
    members, rest = 0, raw
    while rest:
        d = zlib.decompressobj(31)
        d.decompress(rest)
        rest, members = d.unused_data, members + 1
    records = []
    for rec in ArchiveIterator(io.BytesIO(raw), parse_http=False):
        digest_ok = rec.verify_block_digest()  # reads the block, then rewinds it
        records.append((rec.record_type, dict(rec.headers.items()), rec.reader.read(), digest_ok))
    assert members == len(records) == 7  # one gzip member per record
    assert records[0][0] == WarcRecordType.warcinfo
    good = [x for x in lines if x["error"] is None]
    for (kind, headers, block, digest_ok), line in zip(records[1:], good):
        assert kind == WarcRecordType.conversion
        assert headers["WARC-Refers-To"] == line["record_id"]
        assert headers["WARC-Target-URI"] == line["url"]
        assert headers["WARC-Date"] == line["date"]
        assert headers["Content-Type"] == "text/plain; charset=utf-8"
        assert block.decode("utf-8") == line["text"]
        assert digest_ok


def test_cli_markdown_format(archive, tmp_path):
    path, info = archive
    out = tmp_path / "md.jsonl"
    assert main(["warc", str(path), "-o", str(out), "-f", "markdown", "-q"]) == 0
    line = next(json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()
                if json.loads(x)["record_id"] == info["ids"]["harbour"])
    assert line["text"] == boilerstrip.clean(page_bytes("harbour-bridge.html"), output="markdown")


def test_uncompressed_warc_and_stdout_via_python_m(tmp_path):
    body = page_bytes("harbour-bridge.html")
    path = tmp_path / "plain.warc"
    path.write_bytes(warc_bytes([record("response", http(body), url="http://x.test/")], gz=False))
    proc = subprocess.run([sys.executable, "-m", "boilerstrip", "warc", str(path)],
                          capture_output=True, cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    lines = proc.stdout.decode("utf-8").splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["text"] == boilerstrip.clean(body)


def test_truncated_record_and_cut_file(tmp_path):
    body = page_bytes("harbour-bridge.html")
    data = warc_bytes([record("response", http(body), url="http://x.test/1"),
                       record("response", http(body), url="http://x.test/2")], gz=False)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[:-200])
    stats = WarcStats()
    lines = list(clean_warc([cut], stats=stats))
    assert [x["url"] for x in lines] == ["http://x.test/1", "http://x.test/2"]
    assert lines[0]["error"] is None
    assert "truncated" in lines[1]["error"]
    assert stats.broken == 1 and stats.cleaned == 1


class _UnreadableRecord:
    """A record whose body read fails, as a damaged compressed member can."""

    headers = {"WARC-Target-URI": "file:///x.html", "Content-Type": "text/html",
               "WARC-Date": "2026-01-01T00:00:00Z"}
    http_headers = None
    record_id = "uuid:1"
    content_length = 100

    class reader:
        @staticmethod
        def read():
            raise OSError("invalid compressed data")


def test_unreadable_body_is_a_page_error_for_responses_and_resources():
    from boilerstrip import warc

    for page in (warc._resource_page(_UnreadableRecord(), WarcStats()),
                 warc._read_body(_UnreadableRecord())):
        error = page.error if isinstance(page, WarcPage) else page[1]
        assert error == "unreadable: invalid compressed data"
    rec = _UnreadableRecord()
    rec.content_length = warc.MAX_PAGE_BYTES + 1   # too large: not even read
    assert warc._read_body(rec) == (None, f"record too large: {warc.MAX_PAGE_BYTES + 1} bytes")


def test_garbage_between_records_is_skipped(tmp_path):
    body = page_bytes("harbour-bridge.html")
    one = warc_bytes([record("response", http(body), url="http://x.test/1")], gz=False)
    two = warc_bytes([record("response", http(body), url="http://x.test/2")], gz=False)
    path = tmp_path / "junk.warc"
    path.write_bytes(one + b"JUNK JUNK\r\n\r\n" + two)
    assert [x["url"] for x in clean_warc([path])] == ["http://x.test/1", "http://x.test/2"]


def test_not_a_warc_is_reported_and_exit_status_is_1(tmp_path, capsys):
    bad = tmp_path / "page.html"
    bad.write_bytes(page_bytes("harbour-bridge.html"))
    out = tmp_path / "o.jsonl"
    assert main(["warc", str(bad), "-o", str(out)]) == 1
    assert out.read_text() == ""
    assert "page.html" in capsys.readouterr().err


def test_missing_input_is_a_usage_error(tmp_path, capsys):
    assert main(["warc", str(tmp_path / "nope.warc.gz"), "-o", str(tmp_path / "o")]) == 2
    assert "nope.warc.gz" in capsys.readouterr().err


def test_bad_options_raise_at_once(archive):
    path, _ = archive
    with pytest.raises(ValueError):
        clean_warc([path], output="json")
    with pytest.raises(ValueError):
        clean_warc([path], output="pdf")


def test_page_title_reads_the_head_only():
    assert page_title("<html><head><title>A &amp; B</title></head><body><h1>x</h1>") == "A & B"
    assert page_title("<HTML><HEAD><TITLE>Up</TITLE></HEAD><BODY>") == "Up"
    assert page_title("<p>no head at all</p>") is None


# --- decoding helpers ------------------------------------------------------


@given(st.binary(max_size=2000), st.integers(min_value=1, max_value=300))
def test_dechunk_inverts_chunking(body, size):
    assert dechunk(chunked(body, size)) == body


def test_dechunk_leaves_unchunked_bodies_alone():
    assert dechunk(b"<html>already plain</html>") == b"<html>already plain</html>"
    with pytest.raises(ValueError):
        dechunk(b"3\r\nabc\r\nxyz\r\n")


@given(st.binary(max_size=2000))
def test_decompress_round_trips(body):
    import brotli

    assert decompress(gzip.compress(body), "gzip") == body
    assert decompress(zlib.compress(body), "deflate") == body
    raw = zlib.compressobj(wbits=-15)
    assert decompress(raw.compress(body) + raw.flush(), "deflate") == body
    assert decompress(brotli.compress(body), "br") == body


def test_decompress_rejects_unknown_and_bombs(monkeypatch):
    with pytest.raises(ValueError, match="unsupported"):
        decompress(b"x", "compress")
    import boilerstrip.warc as w

    monkeypatch.setattr(w, "MAX_PAGE_BYTES", 1000)
    with pytest.raises(ValueError, match="larger"):
        decompress(gzip.compress(b"a" * 5000), "gzip")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600),
       st.sampled_from([None, "gzip", "deflate", "br", "gzip, br", "zstd"]),
       st.sampled_from([None, "chunked"]))
def test_any_body_gives_bytes_or_value_error(body, coding, te):
    page = WarcPage(url=None, record_id=None, date=None, content_type="text/html", body=body,
                    transfer_encoding=te, content_encoding=coding)
    try:
        assert isinstance(page.html_bytes(), bytes)
    except ValueError:
        pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_crash_the_reader(data):
    stats = WarcStats()
    lines = list(clean_warc([io.BytesIO(data)], stats=stats))
    assert len(lines) == stats.pages == stats.cleaned + stats.broken


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(min_size=1, max_size=400), st.integers(min_value=0, max_value=10_000))
def test_corrupted_archive_never_crashes(noise, where):
    good = warc_bytes([record("response", http(b"<p>" + b"word " * 30 + b"</p>"))] * 1, gz=True)
    pos = where % len(good)
    data = good[:pos] + noise + good[pos + len(noise):]
    stats = WarcStats()
    lines = list(clean_warc([io.BytesIO(data)], stats=stats))
    assert len(lines) == stats.cleaned + stats.broken


def test_oversized_record_is_broken_without_being_read(tmp_path, monkeypatch):
    import boilerstrip.warc as w

    monkeypatch.setattr(w, "MAX_PAGE_BYTES", 500)
    body = page_bytes("harbour-bridge.html")
    path = tmp_path / "big.warc"
    path.write_bytes(warc_bytes([record("response", http(body), url="http://x.test/big"),
                                 record("response", http(b"<p>small</p>"), url="http://x.test/s")],
                                gz=False))
    lines = list(clean_warc([path]))
    assert "too large" in lines[0]["error"] and lines[1]["error"] is None


def test_warc_from_stdin():
    body = page_bytes("night-market.html")
    data = warc_bytes([record("response", http(body, "text/html"), url="http://x.test/m")])
    proc = subprocess.run([sys.executable, "-m", "boilerstrip", "warc", "-", "-q"], input=data,
                          capture_output=True, cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    (line,) = [json.loads(x) for x in proc.stdout.decode("utf-8").splitlines()]
    assert line["url"] == "http://x.test/m" and line["text"] == boilerstrip.clean(body)
    bad = subprocess.run([sys.executable, "-m", "boilerstrip", "warc", "-"], input=b"nonsense",
                         capture_output=True, cwd=REPO, timeout=120)
    assert bad.returncode == 1 and b"<stdin>: no WARC record found" in bad.stderr
