"""``boilerstrip label PAGE.html``: label a page's blocks in the browser.

    boilerstrip label saved-page.html --corpus my-site/ [--port 8765] [--open]

Starts a web server on 127.0.0.1 (never on another interface) that serves one
page: the document's blocks, as boilerstrip cut them (:func:`segment`), in
page order, each outlined and coloured by the model's decision (green:
content, red: boilerplate) with its score.  Clicking a block toggles it
(shift-click sets every block since the last one clicked the same way).
"Save" copies the page into the corpus's ``pages/`` folder and appends its
record to ``gold.jsonl``: ``labels`` lists every block as
``{"index": i, "label": 0/1, "text": ...}`` (the format
:mod:`boilerstrip.labels` reads; ``text`` lets ``boilerstrip check``
notice a later change of segmentation) and ``text`` holds the content
blocks (headline left out, as in ``clean()``'s text) for
``boilerstrip evaluate``.  Saving again replaces that record.

The page is shown re-rendered from its blocks, as plain text: the original
HTML is never served, so its scripts cannot run on the server's origin and
it loads nothing from the internet.  Requests must carry the server's own
``Host``; saving also needs a per-run token embedded in the page, so other
web pages open in the same browser cannot write to the corpus.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import secrets
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

from .render import body_text

DEFAULT_PORT = 8765
HOST = "127.0.0.1"
#: Largest request body accepted (a label list of a huge page fits easily).
MAX_BODY = 16 * 1024 * 1024
STATIC = {"label.js": "text/javascript; charset=utf-8",
          "label.css": "text/css; charset=utf-8"}
_ID_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _static(name: str) -> bytes:
    ref = resources.files("boilerstrip").joinpath("static", name)
    try:
        return ref.read_bytes()
    except (FileNotFoundError, OSError) as exc:
        raise RuntimeError(f"boilerstrip's labeling page asset {name} is missing "
                           f"(broken installation?): {exc}") from None


def _read_page(path: Path) -> bytes:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise ValueError(f"{path}: broken gzip file ({exc})") from None
    return data


def page_id_from_path(path: Path) -> str:
    """A corpus id from a file name: ``my page (2).html.gz`` -> ``my-page-2``."""
    name = path.name
    for suffix in (".gz", ".html", ".htm", ".xhtml"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    pid = _ID_SAFE.sub("-", name).strip("-.")
    return pid or "page"


class LabelSession:
    """One page being labeled for one corpus: the data behind the web page, and saving."""

    def __init__(self, page_path, corpus_dir, *, model=None, threshold: float | None = None,
                 page_id: str | None = None, url: str | None = None):
        from .api import analyse, keep_blocks
        from .encoding import to_text
        from .model import load_model

        self.page_path = Path(page_path)
        self.corpus = Path(corpus_dir)
        self.file_bytes = self.page_path.read_bytes()
        self.raw = _read_page(self.page_path)
        self.url = url
        self.model = load_model(model)
        self.threshold = self.model.threshold if threshold is None else float(threshold)
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError("threshold must be between 0 and 1")
        html = to_text(self.raw)
        self.analysis = analyse(html, self.model) if html.strip() else None
        a = self.analysis
        if a is None or len(a.blocks) == 0:
            raise ValueError(f"{self.page_path}: the page has no text blocks to label")
        self.title = a.shown_title
        self.blocks = a.blocks
        self.scores = [float(s) for s in a.scores]
        self.kept = [bool(k) for k in keep_blocks(a.scores, self.threshold, a.blocks, a.X, a.headline)]
        self.headline = a.headline
        self.lock = threading.Lock()
        self.page_id, self.initial, in_corpus = self._choose_id(
            page_id or page_id_from_path(self.page_path))
        # labels read back from the corpus are saved ones
        self.saved_as: str | None = self.page_id if in_corpus else None

    # -- corpus records ---------------------------------------------------------

    def _records(self) -> list[dict]:
        """The corpus's records (lines that do not parse are kept as raw strings)."""
        gold = self.corpus / "gold.jsonl"
        if not gold.is_file():
            return []
        out = []
        for line in gold.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                rec = line
            out.append(rec)
        return out

    def _same_page(self, rec: dict) -> bool:
        try:
            p = self.corpus / rec["html"]
            return p.is_file() and p.read_bytes() == self.file_bytes
        except (KeyError, TypeError, OSError):
            return False

    def _choose_id(self, wanted: str):
        """Keep ``wanted`` unless another page has it (then ``wanted-2``, ...); when
        the corpus already holds this very page, start from its saved labels.
        Returns ``(id, initial labels, whether they came from the corpus)``."""
        recs = {str(r.get("id")): r for r in self._records() if isinstance(r, dict)}

        def taken(pid: str) -> bool:
            if pid in recs and not self._same_page(recs[pid]):
                return True
            f = self.corpus / "pages" / self._file_name(pid)   # another page's file?
            return f.is_file() and f.read_bytes() != self.file_bytes

        pid, n = wanted, 1
        while taken(pid):
            n += 1
            pid = f"{wanted}-{n}"
        initial = list(int(k) for k in self.kept)
        in_corpus = False
        if pid in recs:
            labels = recs[pid].get("labels")
            if isinstance(labels, list) and len(labels) == len(self.blocks):
                ok = all(isinstance(e, dict) and e.get("index") == i and e.get("label") in (0, 1)
                         for i, e in enumerate(labels))
                if ok:
                    initial = [int(e["label"]) for e in labels]
                    in_corpus = True
        return pid, initial, in_corpus

    def _file_name(self, pid: str) -> str:
        return pid + (".html.gz" if self.file_bytes[:2] == b"\x1f\x8b" else ".html")

    # -- the web page's data ------------------------------------------------------

    def page_data(self) -> dict:
        b = self.blocks
        return {
            "id": self.page_id,
            "file": self.page_path.name,
            "corpus": str(self.corpus),
            "title": self.title,
            "threshold": self.threshold,
            "model": self.model.source,
            "saved": self.saved_as is not None,
            "blocks": [
                {"index": i, "text": b.text[i], "tag": b.tag[i],
                 "depth": b.block_depth[i], "score": round(self.scores[i], 4),
                 "model": int(self.kept[i]), "label": self.initial[i],
                 "headline": i == self.headline,
                 "link": round(b.link_chars[i] / max(len(b.text[i]), 1), 3)}
                for i in range(len(b))
            ],
        }

    # -- saving ---------------------------------------------------------------------

    def save(self, labels) -> dict:
        """Write the page and its labels to the corpus; returns a summary."""
        n = len(self.blocks)
        if not isinstance(labels, list) or len(labels) != n:
            raise ValueError(f"expected a list of {n} labels")
        if not all(isinstance(x, int) and not isinstance(x, bool) and x in (0, 1)
                   for x in labels):
            raise ValueError("labels must be 0 (boilerplate) or 1 (content)")
        with self.lock:
            pages = self.corpus / "pages"
            pages.mkdir(parents=True, exist_ok=True)
            fname = self._file_name(self.page_id)
            target = pages / fname
            if not (target.is_file() and target.read_bytes() == self.file_bytes):
                _write_atomic(target, self.file_bytes)
            text = body_text(self.blocks, [x == 1 for x in labels], self.headline)
            rec = {"id": self.page_id, "html": f"pages/{fname}", "url": self.url,
                   "title": self.title, "text": text,
                   "labels": [{"index": i, "label": lab, "text": self.blocks.text[i]}
                              for i, lab in enumerate(labels)],
                   "source": "boilerstrip label"}
            records = self._records()
            line = json.dumps(rec, ensure_ascii=False)
            gold = self.corpus / "gold.jsonl"
            replaced = False
            out = []
            for r in records:
                if isinstance(r, dict) and str(r.get("id")) == self.page_id:
                    if not replaced:
                        out.append(line)
                    replaced = True
                else:
                    out.append(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False))
            if replaced:
                _write_atomic(gold, ("\n".join(out) + "\n").encode("utf-8"))
            else:
                prefix = b""
                if gold.is_file() and gold.stat().st_size:
                    with gold.open("rb") as fh:
                        fh.seek(-1, os.SEEK_END)
                        prefix = b"" if fh.read(1) == b"\n" else b"\n"
                with gold.open("ab") as fh:
                    fh.write(prefix + line.encode("utf-8") + b"\n")
            self.saved_as = self.page_id
            self.initial = list(labels)
        return {"id": self.page_id, "gold": str(gold), "page": str(target),
                "content": sum(labels), "boilerplate": n - sum(labels), "replaced": replaced}


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


# --- the HTTP server -------------------------------------------------------------------

class _Handler(BaseHTTPRequestHandler):
    server_version = "boilerstrip-label"
    sys_version = ""

    def log_message(self, fmt, *args):  # quiet unless asked
        if getattr(self.server, "verbose", False):
            sys.stderr.write("label: " + (fmt % args) + "\n")

    def _host_ok(self) -> bool:
        port = self.server.server_address[1]
        return self.headers.get("Host", "") in (f"127.0.0.1:{port}", f"localhost:{port}")

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy",
                         "default-src 'none'; script-src 'self'; style-src 'self'; "
                         "connect-src 'self'; img-src 'self'; base-uri 'none'; "
                         "form-action 'none'; frame-ancestors 'none'")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, obj) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"),
                   "application/json; charset=utf-8")

    def do_GET(self):  # noqa: N802 - http.server's naming
        if not self._host_ok():
            return self._json(HTTPStatus.FORBIDDEN, {"error": "unexpected Host header"})
        path = self.path.split("?", 1)[0]
        session: LabelSession = self.server.session
        if path == "/":
            page = _static("label.html").replace(b"@TOKEN@", self.server.token.encode())
            return self._send(HTTPStatus.OK, page, "text/html; charset=utf-8")
        if path.startswith("/static/") and path[8:] in STATIC:
            return self._send(HTTPStatus.OK, _static(path[8:]), STATIC[path[8:]])
        if path == "/api/page":
            return self._json(HTTPStatus.OK, session.page_data())
        return self._json(HTTPStatus.NOT_FOUND, {"error": "not found"})

    do_HEAD = do_GET

    def do_POST(self):  # noqa: N802
        if not self._host_ok():
            return self._json(HTTPStatus.FORBIDDEN, {"error": "unexpected Host header"})
        origin = self.headers.get("Origin")
        port = self.server.server_address[1]
        if origin is not None and origin not in (f"http://127.0.0.1:{port}",
                                                 f"http://localhost:{port}"):
            return self._json(HTTPStatus.FORBIDDEN, {"error": "cross-origin request"})
        if not secrets.compare_digest(self.headers.get("X-Boilerstrip-Token", ""),
                                      self.server.token):
            return self._json(HTTPStatus.FORBIDDEN, {"error": "missing or wrong token"})
        if self.path != "/api/save":
            return self._json(HTTPStatus.NOT_FOUND, {"error": "not found"})
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            return self._json(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {"error": "send JSON"})
        try:
            length = int(self.headers.get("Content-Length", "-1"))
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            return self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "bad body size"})
        try:
            body = json.loads(self.rfile.read(length).decode("utf-8"))
            labels = body["labels"] if isinstance(body, dict) else None
            result = self.server.session.save(labels)
        except (ValueError, KeyError, UnicodeDecodeError) as exc:
            return self._json(HTTPStatus.BAD_REQUEST, {"error": str(exc)})
        except OSError as exc:
            return self._json(HTTPStatus.INTERNAL_SERVER_ERROR,
                              {"error": f"could not write the corpus: {exc}"})
        if self.server.on_save is not None:
            self.server.on_save(result)
        return self._json(HTTPStatus.OK, result)


class LabelServer(ThreadingHTTPServer):
    """The labeling page's server, bound to the loopback interface only."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, session: LabelSession, port: int = DEFAULT_PORT, verbose: bool = False,
                 on_save=None):
        super().__init__((HOST, port), _Handler)
        self.session = session
        self.token = secrets.token_urlsafe(24)
        self.verbose = verbose
        self.on_save = on_save

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


def add_arguments(p) -> None:
    p.add_argument("page", metavar="PAGE.html", help="the saved page (.html or .html.gz)")
    p.add_argument("--corpus", default="labeled",
                   help="corpus folder to add the page to (created if needed; default ./labeled)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"port on 127.0.0.1 (default {DEFAULT_PORT}; 0 picks a free one)")
    p.add_argument("--id", dest="page_id", help="page id in the corpus (default: file name)")
    p.add_argument("--url", help="the page's URL, recorded in gold.jsonl")
    p.add_argument("--model", metavar="PATH", help="model whose decisions are shown first")
    p.add_argument("--threshold", type=float, default=None)
    p.add_argument("--open", action="store_true", help="open the page in the web browser")
    p.add_argument("--verbose", action="store_true", help="log every request")


def run(args) -> int:
    from .model import ModelError

    prog = "boilerstrip label"
    if not 0 <= args.port <= 65535:
        print(f"{prog}: error: --port must be between 0 and 65535", file=sys.stderr)
        return 2
    try:
        session = LabelSession(args.page, args.corpus, model=args.model,
                               threshold=args.threshold, page_id=args.page_id, url=args.url)
    except (OSError, ValueError, ModelError) as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    try:
        server = LabelServer(session, args.port, verbose=args.verbose,
                             on_save=lambda r: print(
                                 f"saved {r['id']} to {r['gold']} ({r['content']} content, "
                                 f"{r['boilerplate']} boilerplate blocks)", flush=True))
    except OSError as exc:
        print(f"{prog}: error: cannot listen on {HOST}:{args.port}: {exc} "
              "(try another --port, or --port 0)", file=sys.stderr)
        return 2
    print(f"labeling {args.page} ({len(session.blocks)} blocks) for {args.corpus}: "
          f"open {server.url}  (Ctrl-C to stop)", flush=True)
    if args.open:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
