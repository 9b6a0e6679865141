"""A read-only SPARQL 1.1 Protocol endpoint over the built store (`kg serve`).

`GET /query?query=...`, `POST /query` with a form (`query=...`) or an `application/sparql-query`
body. Results by the Accept header: SPARQL JSON (the default), XML, CSV or TSV for SELECT and
ASK; Turtle (the default), N-Triples or RDF/XML for CONSTRUCT and DESCRIBE. Updates get
403 Forbidden. When `kg build` swaps in a new store, the next request opens it.
"""
from __future__ import annotations

import os
import sys
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.store import open_store, query

__all__ = ["make_server"]

MAX_QUERY_BYTES = 1 << 20

_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPHS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}
_MEDIA_TYPE = {
    ox.QueryResultsFormat.JSON: "application/sparql-results+json",
    ox.QueryResultsFormat.XML: "application/sparql-results+xml",
    ox.QueryResultsFormat.CSV: "text/csv; charset=utf-8",
    ox.QueryResultsFormat.TSV: "text/tab-separated-values; charset=utf-8",
    ox.RdfFormat.TURTLE: "text/turtle; charset=utf-8",
    ox.RdfFormat.N_TRIPLES: "application/n-triples",
    ox.RdfFormat.RDF_XML: "application/rdf+xml",
}

_HELP = """kg: a read-only SPARQL 1.1 endpoint over {store}

  GET  /query?query=SELECT...
  POST /query   (form field query=..., or a body of type application/sparql-query)

Results: Accept application/sparql-results+json (default), application/sparql-results+xml,
text/csv or text/tab-separated-values; CONSTRUCT/DESCRIBE: text/turtle (default),
application/n-triples or application/rdf+xml. Updates are refused.
"""


class _Store:
    """The store, reopened when `kg build` has swapped a new folder in (it has a new inode)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.lock = threading.Lock()
        self.store = open_store(folder)
        self.ident = self._ident()

    def _ident(self):
        try:
            st = os.stat(self.folder / "CURRENT")
            return (os.stat(self.folder).st_ino, st.st_ino, st.st_mtime_ns)
        except OSError:
            return None

    def get(self) -> ox.Store:
        ident = self._ident()
        with self.lock:
            if ident is not None and ident != self.ident:
                try:
                    self.store, self.ident = open_store(self.folder), ident
                except KgError:
                    pass  # mid-swap: keep answering from the store we have
            return self.store


def _negotiate(accept: str, offers: dict, default):
    """The format of the best match of the Accept header among `offers` (None when nothing fits)."""
    ranges = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if media:
            ranges.append((-q, i, media))
    if not ranges:
        return default
    for negq, _, media in sorted(ranges):
        if negq == 0:
            break  # q=0: "not this"; the rest are no better
        if media in offers:
            return offers[media]
        if media == "*/*":
            return default
        if media.endswith("/*"):
            kind = media[:-1]
            if _MEDIA_TYPE[default].startswith(kind):
                return default
            for mt, fmt in offers.items():
                if mt.startswith(kind):
                    return fmt
    return None


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    server_version = "kg-sparql"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        if self.server.log is not None:
            self.server.log.write("%s - %s\n" % (self.address_string(), format % args))

    # --- routing ---

    def do_OPTIONS(self):
        self.send_response(HTTPStatus.NO_CONTENT)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path in ("/", ""):
            return self._text(HTTPStatus.OK, _HELP.format(store=self.server.store.folder))
        if url.path != "/query":
            return self._refuse_update() if url.path == "/update" else self._text(HTTPStatus.NOT_FOUND, "not found; the endpoint is /query\n")
        if "update" in params:
            return self._refuse_update()
        self._answer(params)

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/update":
            return self._refuse_update()
        if url.path != "/query":
            return self._text(HTTPStatus.NOT_FOUND, "not found; the endpoint is /query\n")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:  # rfile.read(-1) would wait for the client to hang up
            self.close_connection = True
            return self._text(HTTPStatus.BAD_REQUEST, "bad Content-Length\n")
        if length > MAX_QUERY_BYTES:
            self.close_connection = True  # the unread body would be taken for the next request
            return self._text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "query too long\n")
        body = self.rfile.read(length)
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            return self._refuse_update()
        if ctype == "application/sparql-query":
            params["query"] = [body.decode("utf8", "replace")]
        elif ctype == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body.decode("utf8", "replace"), keep_blank_values=True)
            if "update" in form:
                return self._refuse_update()
            for k, v in form.items():
                params.setdefault(k, []).extend(v)
        else:
            return self._text(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "send the query as application/sparql-query or application/x-www-form-urlencoded\n",
            )
        self._answer(params)

    # --- answers ---

    def _answer(self, params: dict[str, list[str]]):
        queries = params.get("query") or []
        if len(queries) != 1:
            return self._text(HTTPStatus.BAD_REQUEST, "give exactly one query parameter\n")
        options = {}
        if params.get("default-graph-uri"):
            options["default_graph"] = [ox.NamedNode(g) for g in params["default-graph-uri"]]
        if params.get("named-graph-uri"):
            options["named_graphs"] = [ox.NamedNode(g) for g in params["named-graph-uri"]]
        try:
            result = query(self.server.store.get(), queries[0], **options)
        except KgError as e:
            return self._text(HTTPStatus.BAD_REQUEST, f"{e}\n")
        except ValueError as e:  # a bad graph IRI
            return self._text(HTTPStatus.BAD_REQUEST, f"{e}\n")
        accept = self.headers.get("Accept") or "*/*"
        if isinstance(result, ox.QueryTriples):
            fmt = _negotiate(accept, _GRAPHS, ox.RdfFormat.TURTLE)
        else:
            fmt = _negotiate(accept, _RESULTS, ox.QueryResultsFormat.JSON)
        if fmt is None:
            return self._text(HTTPStatus.NOT_ACCEPTABLE, f"cannot answer in {accept}\n")
        try:
            body = result.serialize(format=fmt)
        except OSError as e:
            return self._text(HTTPStatus.INTERNAL_SERVER_ERROR, f"the query failed: {e}\n")
        self._send(HTTPStatus.OK, _MEDIA_TYPE[fmt], body)

    def _refuse_update(self):
        self._text(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL updates are refused\n")

    def _text(self, status: HTTPStatus, text: str):
        self._send(status, "text/plain; charset=utf-8", text.encode("utf8"))

    def _cors(self):
        self.send_header("Access-Control-Allow-Origin", "*")

    def _send(self, status: HTTPStatus, content_type: str, body: bytes):
        self.send_response(status)
        self._cors()
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, store: _Store, log):
        self.store = store
        self.log = log
        super().__init__(address, _Handler)


def make_server(out: str | os.PathLike = "output", host: str = "127.0.0.1", port: int = 7878, log=sys.stderr) -> _Server:
    """An HTTP server answering SPARQL queries on the store of `out` (`OUT/store`); not started.

    Call `serve_forever()` on it (and `shutdown()` from another thread to stop). Port 0 picks a
    free port: read it back from `server.server_address`. `log=None` silences the request log.
    """
    store = _Store(Path(out) / "store")
    try:
        return _Server((host, port), store, log)
    except OSError as e:
        raise KgError(f"cannot listen on {host}:{port}: {e.strerror or e}; try another --port") from None
