"""Read news text into `Article`s: newspaper pages (`.md`/`.txt`), feeds (`.jsonl`), folders of both.

A page is Markdown-ish text as it comes out of a PDF or an e-paper: headings start articles, blank
lines separate paragraphs, and the layout leaves its marks (paragraphs broken mid-sentence at column
ends, datelines, bylines, photo credits, continuation markers). `parse_page` undoes the layout and
keeps what it tells (reporters, date, photographers, captions); `.jsonl` texts get the same body rules.
Pure string work: every pattern is compiled once, and the same input always gives the same output.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator, Sequence

from kg.errors import KgError
from kg.records import Article, Context

SUFFIXES = (".md", ".txt", ".jsonl")

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_EMPTY_HEADING = re.compile(r"^#{1,6}[ \t]*$")

# Bylines and credits: role words and names. A name is 2-4 Han characters (or a transcribed name
# with a middle dot) that does not run into a role word; "记者景洋实习生李四" -> 景洋, 李四.
_ROLE_WORD = r"(?:记者|通讯员|实习生)"
_ROLE = (
    rf"(?:(?:本报|新华社|人民日报|中新社|[{_CJK}]{{2,6}}?(?:日报|晚报|报社|电视台|广播电视台|网))?"
    rf"(?:全媒体|融媒体|特约|见习|首席|摄影)?{_ROLE_WORD}|新华社发)"
)
_NAME = rf"(?:[{_CJK}]{{1,10}}(?:[·•．][{_CJK}]{{1,10}})+|(?:(?!{_ROLE_WORD}|摄)[{_CJK}]){{2,4}})"
_CREDIT_TOKEN = re.compile(rf"(?P<role>{_ROLE})|(?P<name>{_NAME})|(?P<sep>[\s、，,/／]+)")

_AGENCY = r"本报|新华社|中新社|中国新闻社|中新网|人民网|新华网|央视网|央广网|光明网"
_DATELINE = re.compile(
    rf"^(?P<agency>{_AGENCY})"
    rf"(?P<place>(?:(?!记者|通讯员)[{_CJK}]){{0,8}}?)"
    r"(?:(?:(?:(?P<year>\d{4})年)?(?P<month>\d{1,2})月)?(?P<day>\d{1,2})日)?"
    r"(?P<kind>讯(?!员)|电)"
    r"(?P<gap>[ \t\u3000:：]*)"
    r"(?:[（(](?P<credit>[^（）()]{1,60})[)）])?"
    r"[ \t\u3000:：,，]*"
)
_LEADING_CREDIT = re.compile(r"^[（(](?P<credit>[^（）()]{1,60})[)）][ \t\u3000:：,，]*")
_BYLINE_DECOR = re.compile(r"^[□■●◆▲★☆◇○\s]*(?:文[/／]\s*)?")
_CONTINUED = re.compile(
    r"^[（(]\s*上接\s*(?P<page>第?[A-Za-z]?[一二三四五六七八九十百零〇\d]{1,4}版)\s*[)）]\s*"
)
_CONTINUES_ON = re.compile(r"\s*[（(]\s*下转\s*第?[A-Za-z]?[一二三四五六七八九十百零〇\d]{1,4}版\s*[)）]\s*$")
_PHOTO = re.compile(r"^(?P<open>[（(])?\s*(?P<credit>.*?)(?P<space>\s*)摄\s*(?P<close>[)）])?$")
_SENTENCE_PUNCT = re.compile(r"[，,。；;：:！!？?“”\"]")
_CAPTION_START = re.compile(r"^(?:图为|上图|下图|左图|右图|图[①-⑳\d]|图片)")
_CAPTION_MARK = re.compile(r"图为|图片|上图|下图|左图|右图|图[①-⑳]|[（(]图[)）]")
_ENUMERATED = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d))"
)

# A paragraph is finished when it ends a sentence. The layout breaks paragraphs anywhere else: after
# a comma, a semicolon (a list of clauses), 、, a Han character or a digit.
_TERMINAL = "。！？!?…．"
_BRACKET_CLOSE = ")）】]"
_QUOTE_CLOSE = "”’」』\"'"
_COLON = ":："
_NO_START = "，,、；;：:。.！!？?)）】]”’」』》"


@dataclass
class _Head:
    """What the start of a body says: dateline, byline, continuation marker."""

    authors: list[str] = field(default_factory=list)
    agency: str | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    continued_from: str | None = None
    dateline: bool = False  # a dateline or a byline was found

    @property
    def marked(self) -> bool:
        return self.dateline or self.continued_from is not None


@dataclass
class _Draft:
    headings: list[str]
    line: int
    head: _Head
    items: list[tuple[str, str]]  # (kind, text); kind "text" or "heading" (an in-article section)


# --- files ---------------------------------------------------------------------------------


def read_paths(paths: Sequence[str | Path], context: Context = Context()) -> Iterator[Article]:
    """Articles of every file given and every .md/.txt/.jsonl file below every folder given.

    All paths are checked before anything is read (a typo fails at once); files are then read
    lazily, one at a time, folders in sorted path order.
    """
    files = _list_files(paths)
    return (article for path in files for article in _iter_file(path, context))


def read_file(path: Path, context: Context) -> list[Article]:
    """Articles of one `.md`, `.txt` or `.jsonl` file."""
    path = Path(path)
    _check_suffix(path)
    return list(_iter_file(path, context))


def _list_files(paths: Sequence[str | Path]) -> list[Path]:
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise KgError(f"no {', '.join(SUFFIXES)} files in this folder", str(given))
        elif path.is_file():
            _check_suffix(path)
            found = [path]
        else:
            raise KgError("no such file or folder", str(given))
        for p in found:
            key = p.resolve()
            if key not in seen:  # the same file named twice is read once
                seen.add(key)
                files.append(p)
    return files


def _check_suffix(path: Path) -> None:
    if path.suffix.lower() not in SUFFIXES:
        raise KgError(
            f"cannot read {path.suffix or 'files without an extension'}: "
            "give .md or .txt pages, .jsonl feeds (one JSON object a line), or a folder of them",
            str(path),
        )


def _iter_file(path: Path, context: Context) -> Iterator[Article]:
    if path.suffix.lower() == ".jsonl":
        yield from _iter_jsonl(path, context)
    else:
        yield from parse_page(_read_text(path), _source_name(path), context)


def _source_name(path: Path) -> str:
    """The path as text every output can hold: a name in another encoding than UTF-8 (a GBK
    name out of a Windows zip) keeps its undecodable bytes as `\\xd0` escapes."""
    return str(path).encode("utf8", "surrogateescape").decode("utf8", "backslashreplace")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise KgError(f"cannot read: {e.strerror}", str(path))


def _decode(data: bytes, path: Path, first_line: int = 1) -> str:
    try:
        return data.decode("utf-8-sig" if first_line == 1 else "utf-8")
    except UnicodeDecodeError as e:
        line = first_line + data.count(b"\n", 0, e.start)
        raise KgError(
            f"not UTF-8 text (byte 0x{data[e.start]:02x}); convert it first, "
            "e.g. iconv -f GB18030 -t UTF-8",
            str(path),
            line,
        )


def _read_text(path: Path) -> str:
    return _decode(_read_bytes(path), path)


# --- .jsonl --------------------------------------------------------------------------------

_JSON_FIELDS = ("id", "title", "text", "date", "source", "url")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$")


def _iter_jsonl(path: Path, context: Context) -> Iterator[Article]:
    try:
        f = path.open("rb")
    except OSError as e:
        raise KgError(f"cannot read: {e.strerror}", str(path))
    source = _source_name(path)
    with f:
        for lineno, raw in enumerate(f, 1):
            line = _decode(raw, path, lineno).strip()
            if line:
                yield _parse_record(line, source, lineno, context)


def _parse_record(line: str, source: str, lineno: int, context: Context) -> Article:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise KgError(
            f"not valid JSON ({e.msg}, column {e.colno}); write one JSON object a line", source, lineno
        )
    if not isinstance(record, dict):
        raise KgError(f'expected a JSON object like {{"text": "..."}}, got {type(record).__name__}',
                      source, lineno)
    values: dict[str, str | None] = {}
    for key in _JSON_FIELDS:
        value = record.get(key)
        if key == "id" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # numeric ids are common in feeds and convert losslessly
        if value is not None and not isinstance(value, str):
            raise KgError(f'field "{key}" must be a string, got {type(value).__name__}', source, lineno)
        if value is not None and (bad := _SURROGATE.search(value)):
            # json.loads lets a lone "\ud800" escape through; no UTF-8 output can hold it
            raise KgError(
                f'field "{key}": "\\u{ord(bad[0]):04x}" is half of a surrogate pair, not a character; '
                "fix the escape in the file",
                source,
                lineno,
            )
        values[key] = value.strip() if value is not None else None
    if "text" not in record:
        raise KgError('missing field "text" (the article body)', source, lineno)
    if not values["text"]:
        raise KgError('missing field "text": it is empty', source, lineno)

    given_date = None
    if values["date"]:
        m = _ISO_DATE.match(values["date"])
        try:
            given_date = date.fromisoformat(m.group(1)) if m else None
        except ValueError:
            given_date = None
        if given_date is None:
            raise KgError(f'field "date": expected YYYY-MM-DD, got "{values["date"]}"', source, lineno)

    paragraphs = [p.strip() for p in values["text"].splitlines()]
    items = [("text", p) for p in paragraphs if p]
    head, items = _parse_head(items)
    article = _make_article(
        _Draft([values["title"] or ""], lineno, head, items), source, context, explicit_title=True
    )
    changes: dict = {"external_id": values["id"] or None, "url": values["url"] or None}
    if given_date is not None:
        changes["date"] = given_date
    if values["source"]:
        changes["publisher"] = values["source"]  # a feed's "source" is the publication
    return replace(article, **changes)


# --- pages ---------------------------------------------------------------------------------


def parse_page(text: str, source: str, context: Context) -> list[Article]:
    """Articles of one newspaper page (or a single article) in Markdown or plain text."""
    groups = _groups(text)
    drafts: list[_Draft] = []
    parsed = []
    for headings, line, paragraphs in groups:
        head, items = _parse_head([("text", p) for p in paragraphs])
        parsed.append((headings, line, head, items))
    page_has_datelines = any(head.dateline for _, _, head, _ in parsed)

    for headings, line, head, items in parsed:
        prev = drafts[-1] if drafts else None
        # A heading whose body opens with no dateline, after a piece that had none either (a
        # continued commentary), is a section heading of that piece -- on pages where real
        # articles show datelines. On dateline-free pages (archives) every heading is an article.
        if (
            headings
            and page_has_datelines
            and not head.marked
            and prev is not None
            and not prev.head.dateline
            and (prev.headings or prev.head.continued_from)
        ):
            prev.items += [("heading", h) for h in headings] + items
            continue
        drafts.append(_Draft(headings, line, head, items))

    articles = []
    for draft in drafts:
        article = _make_article(draft, source, context)
        if draft.headings or article.paragraphs or article.captions:
            articles.append(article)
    return articles


def _groups(text: str) -> list[tuple[list[str], int, list[str]]]:
    """Split a page into (heading block, line, paragraphs); the first block may have no heading."""
    groups: list[tuple[list[str], int, list[str]]] = []
    headings: list[str] = []
    paragraphs: list[str] = []
    start = 0
    lines: list[str] = []  # lines of the paragraph being read

    def end_paragraph():
        if lines:
            paragraphs.append(_join_lines(lines))
            lines.clear()

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    for lineno, raw in enumerate(text.split("\n"), 1):
        stripped = raw.strip()
        m = _HEADING.match(stripped)
        if m and m.group(2).strip():
            end_paragraph()
            if paragraphs:
                groups.append((headings, start, paragraphs))
                headings, paragraphs = [], []
            if not headings:
                start = lineno
            headings.append(_Heading(m.group(2).strip(), len(m.group(1))))
        elif not stripped or _EMPTY_HEADING.match(stripped):
            end_paragraph()
        else:
            if not headings and not paragraphs and not lines and not start:
                start = lineno
            lines.append(stripped)
    end_paragraph()
    if headings or paragraphs:
        groups.append((headings, start, paragraphs))
    return groups


def _join_lines(lines: list[str]) -> str:
    """Lines of one paragraph: Chinese needs no space between them; Latin words and numbers do."""
    out = lines[0]
    for line in lines[1:]:
        if out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            out += " "
        out += line
    return out


# --- bodies --------------------------------------------------------------------------------


def _parse_head(items: list[tuple[str, str]]) -> tuple[_Head, list[tuple[str, str]]]:
    """Take the continuation marker, byline and dateline off the start of a body."""
    head = _Head()
    items = list(items)
    done: set[str] = set()
    while items and items[0][0] == "text":
        text = items[0][1]
        rest = None
        if "continued" not in done and (m := _CONTINUED.match(text)):
            done.add("continued")
            head.continued_from = m.group("page")
            rest = text[m.end():]
        elif "byline" not in done and "dateline" not in done and (names := _byline(text)):
            done.add("byline")
            head.authors += names
            head.dateline = True
            rest = ""
        elif "dateline" not in done and (m := _dateline(text)):
            done.update(("dateline", "credit"))
            head.dateline = True
            head.agency = m.group("agency")
            if m.group("day"):
                head.day = int(m.group("day"))
                head.month = int(m.group("month")) if m.group("month") else None
                head.year = int(m.group("year")) if m.group("year") else None
            credit = m.group("credit")
            names = _credit_names(credit) if credit else None
            if names is not None:
                head.authors += names
                rest = text[m.end():]
            elif credit:  # a bracket that is no credit stays in the text
                rest = text[m.start("credit") - 1:]
            else:
                rest = text[m.end():]
        elif "credit" not in done and (m := _LEADING_CREDIT.match(text)) and (
            (names := _credit_names(m.group("credit"), need_role=True))
        ):
            done.add("credit")
            head.dateline = True
            head.authors += names
            rest = text[m.end():]
        if rest is None:
            break
        rest = rest.strip()
        if rest:
            items[0] = ("text", rest)
        else:
            items.pop(0)
    head.authors = list(dict.fromkeys(head.authors))
    return head, items


def _dateline(text: str) -> re.Match | None:
    m = _DATELINE.match(text)
    if m is None:
        return None
    if m.group("kind") == "电" and not (m.group("day") or m.group("credit") or m.group("gap")):
        return None  # 本报从省电力公司获悉: 电 starts a word here, not a dateline
    if m.group("place") and not (m.group("day") or m.group("credit") or m.group("gap")):
        if m.group("agency") == "本报" and m.group("kind") == "讯":
            return m  # 本报长春讯
        return None
    return m


def _credit_names(text: str, need_role: bool = False) -> list[str] | None:
    """Names in a credit like `记者刘勃 张宽` or `记者 王明 通讯员 李华`; None if it is something else."""
    tokens = _credit_tokens(text)
    if tokens is None:
        return None
    names = [t for kind, t in tokens if kind == "name"]
    if not names or (need_role and not any(kind == "role" for kind, _ in tokens)):
        return None
    return names


def _credit_tokens(text: str) -> list[tuple[str, str]] | None:
    """Roles and names of a credit, or None when it holds anything else."""
    text = text.strip()
    if text.endswith("报道"):
        text = text[:-2].rstrip()
    tokens: list[tuple[str, str]] = []
    pos, after_sep = 0, True
    while pos < len(text):
        m = _CREDIT_TOKEN.match(text, pos)
        if m is None:
            return None
        kind = m.lastgroup
        if kind == "sep":
            after_sep = True
        else:
            if kind == "name" and tokens and tokens[-1][0] == "name" and not after_sep:
                return None  # two names run together: 他们在这里 is no list of names
            tokens.append((kind, m.group()))
            after_sep = False
        pos = m.end()
    return tokens


def _byline(text: str) -> list[str] | None:
    """A byline paragraph, `本报记者 张三 李四`: names, or None."""
    body = _BYLINE_DECOR.sub("", text, count=1)
    if not body or len(body) > 60 or _SENTENCE_PUNCT.search(body) or body.rstrip(")）").endswith("摄"):
        return None
    tokens = _credit_tokens(body)
    if not tokens or tokens[0][0] != "role":
        return None
    return _credit_names(body)


def _photo_credit(text: str) -> list[str] | None:
    """A photo credit, `本报记者 潘硕 摄` / `(新华社记者 张三 摄)` / `潘硕 摄`: names, or None."""
    if len(text) > 60:
        return None
    m = _PHOTO.match(text)
    if m is None or bool(m.group("open")) != bool(m.group("close")):
        return None
    tokens = _credit_tokens(m.group("credit"))
    if not tokens or not any(kind == "name" for kind, _ in tokens):
        return None
    if tokens[0][0] != "role" and not m.group("space"):
        return None  # `潘硕 摄` needs its space: `张三拍摄` is no credit
    return [t for kind, t in tokens if kind == "name"]


def _split_photo(text: str) -> tuple[str, list[str]] | None:
    """`图为……。本报记者 潘硕 摄` in one paragraph: (caption, photographers), or None."""
    if not text.rstrip(")）").endswith("摄"):
        return None
    cut = max(text.rfind(c) for c in "。！？!?")
    if cut <= 0:
        return None
    names = _photo_credit(text[cut + 1:].strip())
    if names is None:
        return None
    return text[: cut + 1].strip(), names


def _finished(p: str) -> bool:
    """Does the paragraph end a sentence (so a layout break cannot have cut it)?"""
    last = p[-1]
    if last in _TERMINAL:
        return not (last == "．" and len(p) > 1 and p[-2].isdigit())
    if last == ".":
        return not (len(p) > 1 and p[-2].isdigit())
    if last in _BRACKET_CLOSE or last in _COLON:
        return True
    if last in _QUOTE_CLOSE:
        # a quoted sentence ends inside the quotes (……。”); a quoted term (“双千工程”) ends mid-sentence
        return len(p) > 1 and p[-2] in _TERMINAL + _BRACKET_CLOSE
    if _ENUMERATED.match(p) and len(p) <= 40 and not re.search(r"[，,；;。]", p):
        return True  # a numbered subhead: 一、加强组织领导
    return False


def _body(items: list[tuple[str, str]]) -> tuple[list[str], list[str], list[str]]:
    """Paragraphs, captions and photographers of a body; re-joins paragraphs the layout broke."""
    kinds: list[str] = []
    texts: list[str] = []
    photographers: list[str] = []
    for kind, text in items:
        text = _CONTINUES_ON.sub("", text).strip() if kind == "text" else text
        if not text:
            continue
        if kind == "text" and (names := _photo_credit(text)) is not None:
            photographers += names
            # the paragraph just before a credit describes the photo, unless it is the tail of a
            # body paragraph the layout cut (and says nothing of a picture)
            j = len(kinds) - 1
            cut_tail = j > 0 and kinds[j - 1] == "text" and not _finished(texts[j - 1])
            if j >= 0 and kinds[j] == "text" and (_CAPTION_MARK.search(texts[j]) or not cut_tail):
                kinds[j] = "caption"
                j -= 1
                while j >= 0 and kinds[j] == "text" and _CAPTION_START.match(texts[j]):
                    kinds[j] = "caption"
                    j -= 1
            kinds.append("credit")
            texts.append(text)
            continue
        if kind == "text" and (split := _split_photo(text)) is not None:
            photographers += split[1]
            kinds.append("caption")
            texts.append(split[0])
            kinds.append("credit")
            texts.append("")
            continue
        kinds.append(kind)
        texts.append(text)

    paragraphs: list[str] = []
    captions: list[str] = []
    open_ = False  # the last item is a body paragraph the layout may have cut
    last_text = False  # the last item is a body paragraph
    for kind, text in zip(kinds, texts):
        if kind == "caption":
            captions.append(text)
        elif kind == "heading":
            paragraphs.append(text)
        elif kind == "text":
            if last_text and (open_ or text[0] in _NO_START) and not _ENUMERATED.match(text):
                paragraphs[-1] += text
            else:
                paragraphs.append(text)
            open_ = not _finished(paragraphs[-1])
        last_text = kind == "text"
        open_ = open_ and last_text
    return paragraphs, captions, list(dict.fromkeys(photographers))


class _Heading(str):
    """A heading's text that remembers its Markdown level (1 for `#`)."""

    level: int

    def __new__(cls, text: str, level: int = 1) -> "_Heading":
        h = super().__new__(cls, text)
        h.level = level
        return h


def _titles(headings: list[str]) -> tuple[str, str]:
    """Title and subtitle of a heading block.

    A block is kicker (引题), title and subtitle (副题) in some order. When a page comes out of a PDF
    the Markdown level reflects the font size, and the main title is printed largest: the title
    is the most prominent heading (fewest `#`), the first of those on a tie. A heading ending in
    a colon (`珲春:`) is a kicker naming the place or topic of the next heading, never the title.
    The other headings, in page order, are the subtitle.
    """
    if not headings:
        return "", ""
    candidates = [i for i, h in enumerate(headings) if h[-1] not in _COLON] or [len(headings) - 1]
    title_at = min(candidates, key=lambda i: (getattr(headings[i], "level", 1), i))
    rest = headings[:title_at] + headings[title_at + 1:]
    return str(headings[title_at]), " ".join(rest)


def _article_date(head: _Head, context: Context) -> date | None:
    """The dateline's day; its year (and month, for `本报7日讯`) from the issue date."""
    issue = context.date
    if head.day is None:
        return issue
    year, month = head.year, head.month
    if month is None:
        if issue is None:
            return None
        before = issue if head.day <= issue.day else issue.replace(day=1) - timedelta(days=1)
        year, month = before.year, before.month
    elif year is None:
        if issue is None:
            return None
        year = issue.year - 1 if month > issue.month else issue.year  # a December story in January
    try:
        return date(year, month, head.day)
    except ValueError:
        return issue


def _make_article(draft: _Draft, source: str, context: Context, explicit_title: bool = False) -> Article:
    if explicit_title:
        title, subtitle = draft.headings[0], ""
    else:
        title, subtitle = _titles(draft.headings)
    paragraphs, captions, photographers = _body(draft.items)
    head = draft.head
    publisher = context.publisher if head.agency in (None, "本报") else head.agency
    return Article(
        title=title,
        paragraphs=tuple(paragraphs),
        source=source,
        line=draft.line,
        subtitle=subtitle,
        date=_article_date(head, context),
        authors=tuple(head.authors),
        photographers=tuple(photographers),
        captions=tuple(captions),
        publisher=publisher,
        continued_from=head.continued_from,
    )
