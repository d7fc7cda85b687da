"""The labeling server (boilerstrip/label.py) without a browser: session, saving, HTTP rules."""
from __future__ import annotations

import gzip
import http.client
import json
import re
import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from boilerstrip import label as bl
from boilerstrip.corpus import validate_corpus
from boilerstrip.datasets import load_corpus

PAGES = Path(__file__).resolve().parent.parent / "corpus" / "example" / "pages"
LIBRARY = PAGES / "library-reopens.html"


@pytest.fixture
def page(tmp_path) -> Path:
    p = tmp_path / "in" / "Library Reopens!.html"
    p.parent.mkdir()
    shutil.copy(LIBRARY, p)
    return p


def test_session_shows_the_models_decisions(page, tmp_path):
    s = bl.LabelSession(page, tmp_path / "corp")
    data = s.page_data()
    assert data["id"] == "Library-Reopens"
    assert data["title"] == "Millbrook library reopens after two-year rebuild"
    blocks = data["blocks"]
    assert [b["text"] for b in blocks] == s.blocks.text
    # the decisions clean() makes, rules past the threshold included (here the
    # byline and date under the headline: decode.lede)
    from boilerstrip import clean
    kept = [b["kept"] for b in json.loads(clean(LIBRARY.read_bytes(), output="json"))["blocks"]]
    assert [b["model"] for b in blocks] == [int(k) for k in kept]
    assert any(b["model"] and b["score"] < s.threshold for b in blocks)
    assert [b["label"] for b in blocks] == [b["model"] for b in blocks]
    assert sum(b["headline"] for b in blocks) == 1
    by_text = {b["text"]: b for b in blocks}
    assert by_text["Log in | Register"]["model"] == 0
    assert by_text[next(t for t in by_text if t.startswith("The rebuild cost"))]["model"] == 1


def test_save_writes_page_and_labels_that_training_reads(page, tmp_path):
    from boilerstrip.train import prepare_page

    corp = tmp_path / "corp"
    s = bl.LabelSession(page, corp, url="https://courier.example/lib")
    labels = [b["model"] for b in s.page_data()["blocks"]]
    appeal = next(i for i, t in enumerate(s.blocks.text) if t.startswith("Independent local"))
    byline = next(i for i, t in enumerate(s.blocks.text) if t.startswith("By Agnes"))
    labels[appeal], labels[byline] = 0, 0
    out = s.save(labels)
    assert out["replaced"] is False and out["content"] == sum(labels)
    assert (corp / "pages" / "Library-Reopens.html").read_bytes() == page.read_bytes()
    recs = [json.loads(line) for line in (corp / "gold.jsonl").read_text().splitlines()]
    assert len(recs) == 1
    rec = recs[0]
    assert rec["id"] == "Library-Reopens" and rec["url"] == "https://courier.example/lib"
    assert [e["label"] for e in rec["labels"]] == labels
    assert [e["index"] for e in rec["labels"]] == list(range(len(labels)))
    assert "Independent local" not in rec["text"] and "The rebuild cost" in rec["text"]
    assert s.blocks.text[s.headline] not in rec["text"].split("\n")
    assert validate_corpus(corp).issues == []
    pd = prepare_page(load_corpus(corp)[0], "corp")
    assert pd.y.tolist() == labels


def test_saving_again_replaces_the_record(page, tmp_path):
    corp = tmp_path / "corp"
    (corp).mkdir()
    other = {"id": "other", "html": "pages/other.html", "text": "x"}
    (corp / "gold.jsonl").write_text(json.dumps(other))          # no trailing newline
    s = bl.LabelSession(page, corp)
    n = len(s.blocks)
    s.save([1] * n)
    r = s.save([0] * n)
    assert r["replaced"] is True
    recs = [json.loads(line) for line in (corp / "gold.jsonl").read_text().splitlines()]
    assert [x["id"] for x in recs] == ["other", "Library-Reopens"]
    assert all(e["label"] == 0 for e in recs[1]["labels"])
    # a new session on the same page starts from the saved labels
    again = bl.LabelSession(page, corp)
    assert again.page_id == "Library-Reopens"
    assert [b["label"] for b in again.page_data()["blocks"]] == [0] * n
    assert again.page_data()["saved"] is True                   # not "not saved yet"
    assert bl.LabelSession(page, tmp_path / "fresh").page_data()["saved"] is False


def test_a_different_page_with_the_same_name_gets_a_new_id(page, tmp_path):
    corp = tmp_path / "corp"
    s = bl.LabelSession(page, corp)
    s.save([1] * len(s.blocks))
    page.write_bytes((PAGES / "night-bus.html").read_bytes())
    s2 = bl.LabelSession(page, corp)
    assert s2.page_id == "Library-Reopens-2"
    s2.save([1] * len(s2.blocks))
    assert [p.id for p in load_corpus(corp)] == ["Library-Reopens", "Library-Reopens-2"]
    assert validate_corpus(corp).ok


def test_a_file_of_another_record_is_never_overwritten(page, tmp_path):
    corp = tmp_path / "corp"
    (corp / "pages").mkdir(parents=True)
    other = (PAGES / "night-bus.html").read_bytes()
    (corp / "pages" / "Library-Reopens.html").write_bytes(other)
    (corp / "gold.jsonl").write_text(json.dumps(
        {"id": "bus", "html": "pages/Library-Reopens.html", "text": "x"}) + "\n")
    s = bl.LabelSession(page, corp)
    assert s.page_id == "Library-Reopens-2"
    s.save([1] * len(s.blocks))
    assert (corp / "pages" / "Library-Reopens.html").read_bytes() == other
    assert (corp / "pages" / "Library-Reopens-2.html").read_bytes() == page.read_bytes()


def test_gzip_page_is_copied_as_is(tmp_path):
    src = tmp_path / "story.html.gz"
    src.write_bytes(gzip.compress(LIBRARY.read_bytes()))
    s = bl.LabelSession(src, tmp_path / "corp")
    assert s.page_id == "story"
    s.save([1] * len(s.blocks))
    assert (tmp_path / "corp" / "pages" / "story.html.gz").read_bytes() == src.read_bytes()
    assert load_corpus(tmp_path / "corp")[0].read_bytes() == LIBRARY.read_bytes()


@pytest.mark.parametrize("labels, msg", [
    ([1, 0], "expected a list of"), ("all", "expected a list of"), (None, "expected a list of"),
    ("fill2", "must be 0"), ("fillTrue", "must be 0"), ("fill0.5", "must be 0"),
])
def test_save_rejects_bad_labels(page, tmp_path, labels, msg):
    s = bl.LabelSession(page, tmp_path / "corp")
    n = len(s.blocks)
    if isinstance(labels, str) and labels.startswith("fill"):
        value = {"fill2": 2, "fillTrue": True, "fill0.5": 0.5}[labels]
        labels = [1] * (n - 1) + [value]
    with pytest.raises(ValueError, match=msg):
        s.save(labels)
    assert not (tmp_path / "corp" / "gold.jsonl").exists()


def test_pages_without_blocks_are_refused(tmp_path):
    for name, data in [("empty.html", b""), ("img.html", b"\x89PNG\r\n\x1a\n" + bytes(300)),
                       ("blank.html", b"<html><body><script>x()</script></body></html>")]:
        (tmp_path / name).write_bytes(data)
        with pytest.raises(ValueError, match="no text blocks"):
            bl.LabelSession(tmp_path / name, tmp_path / "corp")


@given(st.text(max_size=60))
def test_ids_from_file_names_are_safe(name):
    pid = bl.page_id_from_path(Path(name.replace("/", "_").replace("\0", "") or "x"))
    assert re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9._-]*", pid)
    assert not pid.endswith(".")


# --- HTTP ---------------------------------------------------------------------------

@pytest.fixture
def server(page, tmp_path):
    s = bl.LabelSession(page, tmp_path / "corp")
    srv = bl.LabelServer(s, 0)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def request(srv, method, path, body=None, headers=None, host=None):
    port = srv.server_address[1]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    h = {"Host": host or f"127.0.0.1:{port}"}
    h.update(headers or {})
    conn.request(method, path, body=body, headers=h)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp, data


def test_server_listens_on_loopback_only(server):
    assert server.server_address[0] == "127.0.0.1"
    assert server.url.startswith("http://127.0.0.1:")


def test_index_carries_token_and_strict_headers(server):
    resp, body = request(server, "GET", "/")
    assert resp.status == 200
    assert server.token.encode() in body and b"@TOKEN@" not in body
    csp = resp.getheader("Content-Security-Policy")
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert resp.getheader("X-Frame-Options") == "DENY"
    for name in ("label.js", "label.css"):
        r, b = request(server, "GET", f"/static/{name}")
        assert r.status == 200 and len(b) > 100


def test_unknown_paths_are_not_served(server):
    for path in ("/static/../label.py", "/static/label.py", "/gold.jsonl", "/api/nothing",
                 "/pages/Library-Reopens.html"):
        resp, _ = request(server, "GET", path)
        assert resp.status == 404, path


def test_wrong_host_is_refused(server):
    # a DNS-rebinding page would reach us under its own host name
    resp, _ = request(server, "GET", "/api/page", host="evil.example:80")
    assert resp.status == 403


def save_request(server, labels, **over):
    headers = {"Content-Type": "application/json", "X-Boilerstrip-Token": server.token}
    headers.update(over.pop("headers", {}))
    return request(server, "POST", over.pop("path", "/api/save"),
                   json.dumps({"labels": labels}).encode(), headers)


def test_save_needs_token_same_origin_and_json(server, tmp_path):
    n = len(server.session.blocks)
    gold = tmp_path / "corp" / "gold.jsonl"
    assert save_request(server, [1] * n, headers={"X-Boilerstrip-Token": "nope"})[0].status == 403
    assert save_request(server, [1] * n,
                        headers={"Origin": "https://evil.example"})[0].status == 403
    assert save_request(server, [1] * n, headers={"Content-Type": "text/plain"})[0].status == 415
    resp, body = save_request(server, [1, 0])
    assert resp.status == 400 and b"expected a list" in body
    assert not gold.exists()
    resp, body = save_request(server, [1] * n, headers={"Origin": server.url.rstrip("/")})
    assert resp.status == 200
    out = json.loads(body)
    assert out["content"] == n and out["id"] == "Library-Reopens"
    assert len(gold.read_text().splitlines()) == 1


def test_page_api_matches_session(server):
    resp, body = request(server, "GET", "/api/page")
    data = json.loads(body)
    assert resp.status == 200 and data["id"] == server.session.page_id
    assert len(data["blocks"]) == len(server.session.blocks)


# --- the command ----------------------------------------------------------------------

def test_command_errors(tmp_path, capsys):
    from boilerstrip.cli import main

    assert main(["label", str(tmp_path / "nope.html")]) == 2
    assert "boilerstrip label: error:" in capsys.readouterr().err
    bad = tmp_path / "model.json"
    bad.write_text("not a model")
    assert main(["label", str(LIBRARY), "--model", str(bad), "--corpus",
                 str(tmp_path / "c")]) == 2
    assert "not JSON" in capsys.readouterr().err
    assert main(["label", str(LIBRARY), "--port", "70000"]) == 2


def test_command_reports_a_busy_port(tmp_path, capsys):
    from boilerstrip.cli import main

    s = bl.LabelSession(LIBRARY, tmp_path / "c")
    srv = bl.LabelServer(s, 0)
    try:
        port = srv.server_address[1]
        assert main(["label", str(LIBRARY), "--port", str(port), "--corpus",
                     str(tmp_path / "c")]) == 2
        assert "cannot listen" in capsys.readouterr().err
    finally:
        srv.server_close()
