"""The embedded triple store under `OUT/store/`, SPARQL queries over it, and pushing to a server.

The store is an Oxigraph (RocksDB) database written by pyoxigraph. `kg build` rebuilds it from
`graph.nt` each run: it is loaded into a temporary folder next to `OUT/store` and swapped in, so
a failed load leaves the previous store as it was and a re-run never adds to the old content.
Nothing writes to `OUT/store` once it is in place, which is what makes the read-only opens of
`query` (and of `kg serve`) safe while another process reads it or a build swaps in a new one.
The folder also opens in the Oxigraph server of the same version
(`oxigraph serve-read-only --location OUT/store`).
"""
from __future__ import annotations

import base64
import csv
import io
import json
import os
import re
import shutil
import sys
import tempfile
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Union

import pyoxigraph as ox

from kg.errors import KgError
from kg.files import plain_permissions
from kg.vocab import KG, PROV, RDF, RDFS, SDO, SKOS, XSD

__all__ = [
    "FORMATS",
    "PREFIXES",
    "PushResult",
    "display_width",
    "format_result",
    "format_table",
    "load_store",
    "open_store",
    "push",
    "query",
    "query_prefixes",
    "read_query",
    "write_result",
]

Result = Union[ox.QuerySolutions, ox.QueryBoolean, ox.QueryTriples]

FORMATS = ("table", "csv", "json")

# Prefixes a query may use without declaring them (the shipped .rq files still declare theirs,
# so they run unchanged on Fuseki or GraphDB). The table format also writes IRIs with them.
PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SDO),
    "skos": str(SKOS),
    "xsd": str(XSD),
}

_RDF_FORMATS = {".nt": ox.RdfFormat.N_TRIPLES, ".ttl": ox.RdfFormat.TURTLE, ".nq": ox.RdfFormat.N_QUADS}


# --- the store ------------------------------------------------------------------------------


def load_store(source: str | os.PathLike, store_dir: str | os.PathLike) -> int:
    """Replace the store at `store_dir` with the triples of `source` (.nt, .ttl or .nq).

    Loads into a fresh folder next to `store_dir` and swaps it in only when the load succeeded.
    Returns the number of triples in the new store.
    """
    source, store_dir = Path(source), Path(store_dir)
    fmt = _RDF_FORMATS.get(source.suffix.lower())
    if fmt is None:
        raise KgError(f"cannot load a {source.suffix or 'suffix-less'} file; give N-Triples (.nt) or Turtle (.ttl)", path=str(source))
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{store_dir.name}.", suffix=".part", dir=store_dir.parent))
    plain_permissions(tmp, folder=True)
    try:
        count = _bulk_load(source, fmt, tmp)
        _swap(tmp, store_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return count


def _bulk_load(source: Path, fmt: ox.RdfFormat, folder: Path) -> int:
    # A function of its own so the store is closed (dropped) before its folder is renamed.
    store = ox.Store(str(folder))
    try:
        store.bulk_load(path=str(source), format=fmt)
    except SyntaxError as e:
        raise KgError(f"not valid {fmt.name}: {e}", path=str(source)) from None
    except OSError as e:
        raise KgError(f"cannot load into {folder}: {e}", path=str(source)) from None
    store.flush()
    return len(store)


def _swap(new: Path, target: Path) -> None:
    old = None
    if target.exists():
        if not target.is_dir():
            raise KgError("is in the way of the store: move it away", path=str(target))
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        os.replace(target, old / target.name)
    try:
        os.replace(new, target)
    except BaseException:
        if old is not None:
            os.replace(old / target.name, target)  # put the previous store back
            old.rmdir()
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def open_store(store_dir: str | os.PathLike) -> ox.Store:
    """The store at `store_dir`, opened read-only; a clear error when there is none."""
    store_dir = Path(store_dir)
    if not (store_dir / "CURRENT").is_file():
        out = store_dir.parent
        raise KgError(
            f"no store here; build one first: kg build INPUT... --out {out}", path=str(store_dir)
        )
    try:
        return ox.Store.read_only(str(store_dir))
    except OSError as e:
        raise KgError(
            f"cannot open the store ({e}); rebuild it with kg build (a store written by another "
            "Oxigraph version may not open)",
            path=str(store_dir),
        ) from None


# --- queries --------------------------------------------------------------------------------


def read_query(query_or_file: str) -> tuple[str, str | None]:
    """The SPARQL text of a .rq file, of stdin (`-`) or of the argument itself, and its file name."""
    if query_or_file == "-":
        return sys.stdin.read(), "<stdin>"
    path = Path(query_or_file)
    looks_like_file = "\n" not in query_or_file and "{" not in query_or_file
    if looks_like_file and path.is_file():
        try:
            return path.read_text(encoding="utf-8-sig"), str(path)
        except UnicodeDecodeError:
            raise KgError("not UTF-8 text", path=str(path)) from None
        except OSError as e:
            raise KgError(f"cannot read: {e.strerror}", path=str(path)) from None
    if looks_like_file and path.suffix.lower() in (".rq", ".sparql"):
        raise KgError("no such query file", path=str(path))
    return query_or_file, None


def query(store: str | os.PathLike | ox.Store, sparql: str, source: str | None = None, **options) -> Result:
    """Run `sparql` on the store (a folder or an open store); `source` names the query in errors.

    Returns pyoxigraph's result: solutions (SELECT), a boolean (ASK) or triples
    (CONSTRUCT, DESCRIBE). The common prefixes (`PREFIXES`) need no declaration. `options` go
    to `pyoxigraph.Store.query` (e.g. `default_graph`).
    """
    if not isinstance(store, ox.Store):
        store = open_store(store)
    try:
        return store.query(sparql, prefixes=PREFIXES, **options)
    except SyntaxError as e:
        raise KgError(_syntax_message(str(e), sparql), path=source) from None
    except OSError as e:
        raise KgError(f"the query failed: {e}", path=source) from None


def _syntax_message(message: str, sparql: str) -> str:
    m = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if m:
        line, column, detail = int(m[1]), int(m[2]), " ".join(m[3].split())
        if len(detail) > 100:  # the parser lists every token it could take, character classes too
            detail = detail[:100].rsplit(",", 1)[0] + ", …"
        message = f"line {line}, column {column}: {detail}"
    if _UPDATE.match(sparql):
        message += " (this is a SPARQL update; the store is read-only: change the input and run kg build)"
    return f"not valid SPARQL: {message}"


_UPDATE = re.compile(
    r"(?is)\s*(?:(?:#[^\n]*\n|PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b"
)


def write_result(result: Result, fmt: str, out: IO[bytes], prefixes: dict[str, str] | None = None) -> None:
    """Write a query result to a binary stream as `table`, `csv` or `json`.

    json and csv are the SPARQL 1.1 results formats; CONSTRUCT/DESCRIBE triples come out as if
    they were the solutions of `SELECT ?subject ?predicate ?object`. table is plain text for a
    terminal: columns padded by display width (a Chinese character takes two), IRIs shortened
    with `prefixes` (plus `PREFIXES`), long values cut with "…" (csv and json keep them whole).
    """
    if fmt not in FORMATS:
        raise KgError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    try:
        if fmt == "table":
            out.write(format_table(result, prefixes).encode("utf8"))
        elif isinstance(result, ox.QueryTriples):
            _write_triples(result, fmt, out)
        else:
            qfmt = ox.QueryResultsFormat.JSON if fmt == "json" else ox.QueryResultsFormat.CSV
            if isinstance(result, ox.QueryBoolean) and fmt == "csv":
                # SPARQL CSV has no form for a boolean; write a one-cell table.
                out.write(f"boolean\r\n{'true' if result else 'false'}\r\n".encode())
                return
            result.serialize(out, format=qfmt)
            if fmt == "json":
                out.write(b"\n")
    except OSError as e:
        raise KgError(f"the query failed: {e}") from None


def format_result(result: Result, fmt: str, prefixes: dict[str, str] | None = None) -> str:
    """`write_result` into a string."""
    buf = io.BytesIO()
    write_result(result, fmt, buf, prefixes)
    return buf.getvalue().decode("utf8")


def query_prefixes(sparql: str) -> dict[str, str]:
    """The PREFIX declarations of a query, for shortening IRIs in a table."""
    return {m[1]: m[2] for m in re.finditer(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", sparql)}


_TRIPLE_VARS = ("subject", "predicate", "object")


def _write_triples(triples: Iterable[ox.Triple], fmt: str, out: IO[bytes]) -> None:
    text = io.TextIOWrapper(out, encoding="utf8", newline="", write_through=True)
    try:
        if fmt == "csv":
            w = csv.writer(text, lineterminator="\r\n")
            w.writerow(_TRIPLE_VARS)
            for t in triples:
                w.writerow([_csv_term(x) for x in (t.subject, t.predicate, t.object)])
        else:
            bindings = [
                {v: _json_term(x) for v, x in zip(_TRIPLE_VARS, (t.subject, t.predicate, t.object))}
                for t in triples
            ]
            json.dump({"head": {"vars": list(_TRIPLE_VARS)}, "results": {"bindings": bindings}}, text, ensure_ascii=False)
            text.write("\n")
    finally:
        text.detach()


def _csv_term(term) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return f"<< {term.subject} {term.predicate} {term.object} >>"
    return term.value


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {v: _json_term(x) for v, x in zip(_TRIPLE_VARS, term)}}
    d = {"type": "literal", "value": term.value}
    if term.language:
        d["xml:lang"] = term.language
    elif term.datatype.value != str(XSD.string):
        d["datatype"] = term.datatype.value
    return d


# --- the table format -----------------------------------------------------------------------

MAX_CELL = 60  # display columns; a sentence of 30 Chinese characters fits
_NUMERIC = {str(XSD[t]) for t in ("integer", "decimal", "double", "float", "long", "int")}


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: wide and full-width characters two, combining marks none."""
    # Ambiguous-width characters (“ ” …) count one, as in most terminals outside CJK locales.
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text
    )


def _truncate(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for c in text:
        w = display_width(c)
        if used + w > width - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * (width - display_width(text))
    return fill + text if right else text + fill


def format_table(result: Result, prefixes: dict[str, str] | None = None, max_cell: int = MAX_CELL) -> str:
    """A query result as an aligned plain-text table ending in a row count."""
    if isinstance(result, ox.QueryBoolean):
        return ("true" if result else "false") + "\n"
    names = dict(PREFIXES, **(prefixes or {}))
    # Longest namespace first, so `.../entity/` wins over a shorter namespace it extends.
    by_length = sorted(((ns, p) for p, ns in names.items() if ns), key=lambda x: -len(x[0]))

    def cell(term) -> tuple[str, bool]:
        if term is None:
            return "", False
        if isinstance(term, ox.NamedNode):
            for ns, p in by_length:
                if term.value.startswith(ns) and re.fullmatch(r"[\w.-]*", term.value[len(ns):]):
                    return f"{p}:{term.value[len(ns):]}", False
            return term.value, False
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}", False
        if isinstance(term, ox.Triple):
            return " ".join(cell(x)[0] for x in term), False
        text = " ".join(term.value.split("\n"))
        return _truncate(text, max_cell), term.datatype.value in _NUMERIC

    if isinstance(result, ox.QueryTriples):
        header = list(_TRIPLE_VARS)
        rows = [[cell(x) for x in t] for t in result]
    else:
        header = [v.value for v in result.variables]
        rows = [[cell(s[i]) for i in range(len(header))] for s in result]
    widths = [max([display_width(h)] + [display_width(r[i][0]) for r in rows]) for i, h in enumerate(header)]
    lines = [
        "  ".join(_pad(h, w) for h, w in zip(header, widths)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    for r in rows:
        lines.append("  ".join(_pad(t, w, right) for (t, right), w in zip(r, widths)).rstrip())
    lines.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(lines) + "\n"


# --- pushing to a server ----------------------------------------------------------------------


@dataclass(frozen=True)
class PushResult:
    url: str  # where the data went, without credentials
    method: str  # PUT (replace the graph) or POST (add to it)
    status: int
    triples: int


def push(
    source: str | os.PathLike,
    endpoint: str,
    graph: str | None = None,
    append: bool = False,
    timeout: float = 600,
) -> PushResult:
    """Send `source` (.nt or .ttl) to a SPARQL 1.1 Graph Store HTTP Protocol endpoint.

    PUT replaces the target graph (`?graph=IRI`, or `?default` for the default graph); with
    `append`, POST adds to it. Credentials may be given in the URL (`http://user:pw@host/...`):
    they are sent as HTTP basic authentication.
    """
    source = Path(source)
    content_type = {".nt": "application/n-triples", ".ttl": "text/turtle"}.get(source.suffix.lower())
    if content_type is None:
        raise KgError("can only push N-Triples (.nt) or Turtle (.ttl)", path=str(source))
    if not source.is_file():
        raise KgError("no such file; build the graph first: kg build INPUT... --out DIR", path=str(source))
    url, auth = _target_url(endpoint, graph)
    method = "POST" if append else "PUT"
    headers = {"Content-Type": f"{content_type}; charset=utf-8", "Content-Length": str(source.stat().st_size)}
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode("utf8")).decode("ascii")
    triples = _count_triples(source) if content_type == "application/n-triples" else _count_turtle(source)
    with open(source, "rb") as body:
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as e:
            detail = e.read(500).decode("utf8", "replace").strip()
            hint = " (check the user and password in the URL)" if e.code in (401, 403) else ""
            if e.code in (404, 405):
                hint = " (is this the store's Graph Store Protocol URL, e.g. Fuseki's /DATASET/data or Oxigraph's /store?)"
            raise KgError(f"{method} {url}: HTTP {e.code} {e.reason}{hint}" + (f": {detail}" if detail else "")) from None
        except urllib.error.URLError as e:
            reason = e.reason
            if isinstance(reason, ConnectionRefusedError):
                raise KgError(f"{endpoint}: connection refused; is the triple store running there?") from None
            raise KgError(f"{endpoint}: cannot connect: {reason}") from None
        except TimeoutError:
            raise KgError(f"{endpoint}: no answer within {timeout:g}s") from None
        except OSError as e:
            raise KgError(f"{endpoint}: {e}") from None
    return PushResult(url=url, method=method, status=status, triples=triples)


def _target_url(endpoint: str, graph: str | None) -> tuple[str, str | None]:
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KgError(f"endpoint {endpoint!r} is not an http(s) URL like http://localhost:3030/ds/data")
    auth = None
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, netloc = netloc.rsplit("@", 1)
        auth = urllib.parse.unquote(userinfo)
    target = f"graph={urllib.parse.quote(graph, safe='')}" if graph else "default"
    query = f"{parts.query}&{target}" if parts.query else target
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path or "/", query, "")), auth


def _count_triples(path: Path) -> int:
    n = 0
    with open(path, "rb") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith(b"#"):
                n += 1
    return n


def _count_turtle(path: Path) -> int:
    return sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
