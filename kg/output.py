"""Writing results as they arrive: CSV, TSV and JSON stream row by row; tables are capped.

A table needs its column widths before its first line, so it holds at most ``max_rows`` rows and
then says that more were left out (the worker is stopped: nothing more is computed). CSV, TSV and
SPARQL 1.1 JSON are written while the query runs, so memory stays flat whatever the result size.

Values are data, and a terminal obeys some characters (``ESC [2J`` clears it, ``U+202E`` reverses
what follows on the line): :func:`escaped` writes each as an escape (``\\x1b``, ``\\u202e``). A table
always shows them escaped; JSON always writes them as ``\\u`` escapes, which a JSON reader reads back
as the same value; CSV and TSV keep every value as it is, except on a terminal (then escaped, as a
table). :class:`TerminalText` does the same for everything a command prints to a terminal
(``kg show``, ``kg passage``, reports), since kg itself never sends a terminal a control sequence;
:func:`one_line` writes a value into a message (a path, a name), new lines escaped too.

Pages use the same escapes: :func:`visible` for every value a template shows, :func:`script_json` for
every JSON a page embeds in a script, :func:`link_target` for every link that is not a path of the site.
"""

from __future__ import annotations

import csv
import json
import re

from kg.store import QueryError, Result

__all__ = ["write_events", "write_rows", "DEFAULT_MAX_ROWS", "named_events", "paged", "escaped", "json_text", "UNSHOWN",
           "TerminalText", "one_line", "visible", "script_json", "link_target"]

DEFAULT_MAX_ROWS = 1000
#: What a terminal obeys or that changes how it draws the rest of a line: C0 controls, DEL and the C1
#: controls, the bidirectional marks, embeddings, overrides and isolates, the line and paragraph
#: separators, and lone surrogates (which no UTF-8 output can hold).
_UNSHOWN_RANGES = ((0x00, 0x1F), (0x7F, 0x9F), (0x61C, 0x61C), (0x200E, 0x200F), (0x2028, 0x202E), (0x2066, 0x2069),
                   (0xD800, 0xDFFF))
_NOT_C0 = "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in _UNSHOWN_RANGES[1:])
UNSHOWN = re.compile(f"[\\x00-\\x1f{_NOT_C0}]")
_JSON_UNSHOWN = re.compile(f"[{_NOT_C0}]")  # (json.dumps escapes the C0 controls itself)
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_ESCAPES: dict[str, dict[int, str]] = {}  # str.translate tables, by the characters kept


def escaped(text: str, keep: str = "") -> str:
    """``text`` with every character of :data:`UNSHOWN` (but those of ``keep``) written as an escape:
    ``\\t``, ``\\n``, ``\\r``, ``\\xNN`` below U+0100, ``\\uNNNN`` above. Raises nothing.

    >>> escaped("a\\x1b[2Jb\\u202ec")
    'a\\\\x1b[2Jb\\\\u202ec'
    """
    if not UNSHOWN.search(text):
        return text
    table = _ESCAPES.get(keep)
    if table is None:  # one translation table per set of characters kept (a few in all)
        table = _ESCAPES[keep] = {code: esc for code, esc in _escape_table().items() if chr(code) not in keep}
    return text.translate(table)


def one_line(value) -> str:
    """``value`` (a path, a file name, an IRI, a label, a parameter: anything from outside kg) as text
    for a message kg prints: ``str(value)`` with every character of :data:`UNSHOWN` written as an
    escape, new lines and tabs included, so that the value stays on its message's one line and
    drives no terminal (:func:`escaped`). Raises nothing.

    >>> print(one_line("out/a\\nb\\x1b[2J.html"))
    out/a\\nb\\x1b[2J.html
    """
    return escaped(str(value))


#: What a page shows as it is: tabs and line breaks (HTML draws them as white space, and ``pre-line``
#: blocks as breaks); every other character of :data:`UNSHOWN` is drawn as its escape.
_PAGE_KEEPS = "\t\n\r"


def visible(value):
    """A value a page shows (the ``finalize`` of every Jinja environment of kg, applied to each
    ``{{ ... }}`` before autoescaping): text with every character of :data:`UNSHOWN` but tab and line
    breaks written as its escape (:func:`escaped`: a right-to-left override shows as ``\\u202e``
    and reverses nothing, a control character is seen); markup (``__html__``) and other values as they
    are. Raises nothing.

    >>> visible("Evil\u202eod")
    'Evil\\\\u202eod'
    """
    if value.__class__ is str and _unshown(value):  # (not Markup, a str subclass; called for every value of every page)
        return escaped(value, keep=_PAGE_KEEPS)
    return value


_unshown = UNSHOWN.search
#: How json.dumps writes the C0 controls a page does not keep (``\b``, ``\f``, ``\u00XX``); a backslash
#: of the value itself (``\\``) may match too, and then only costs the slow path
_JSON_CONTROL = re.compile(r"\\(u00|b|f)")


def _visible_strings(value):
    if isinstance(value, str):
        return escaped(value, keep=_PAGE_KEEPS)
    if isinstance(value, dict):
        return {_visible_strings(k): _visible_strings(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_visible_strings(v) for v in value]
    return value


def script_json(value):
    """``value`` as JSON text to embed in an HTML ``<script>`` element, as markup (``markupsafe.Markup``):
    each string with its characters of :data:`UNSHOWN` (but tab and line breaks) written as the text of
    their escape, as :func:`visible` shows them (what a script draws from it shows them too), and
    ``<``, ``>``, ``&``, ``'`` and the line and paragraph separators as ``\\u`` escapes, so that no
    ``</script>``, ``<!--`` or ``<script`` in a value ends or changes the element and the text is one
    line of JavaScript. Raises ``TypeError`` for a value JSON cannot hold.

    >>> str(script_json({"label": "</script>\u202e"}))
    '{"label": "\\\\u003c/script\\\\u003e\\\\\\\\u202e"}'
    """
    from markupsafe import Markup

    text = json.dumps(value, ensure_ascii=False)
    if _JSON_UNSHOWN.search(text) or _JSON_CONTROL.search(text):  # a string holds one: escape them (else as it is)
        text = json.dumps(_visible_strings(value), ensure_ascii=False)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, code)
    return Markup(text)


def link_target(url: str) -> str | None:
    """``url`` if a page may link to it: a relative path (no scheme, not ``//``) or an ``http(s)`` URL without
    spaces, control characters or quotes; ``None`` for anything else (``javascript:``, ``data:``,
    ``vbscript:``, ``file:``...), which a page shows as text instead. Raises nothing.

    >>> link_target("entity/group/x.html"), link_target("https://example.org/a"), link_target(" JavaScript:x")
    ('entity/group/x.html', 'https://example.org/a', None)
    """
    text = str(url)
    if not text or text.startswith("//") or UNSHOWN.search(text) or any(c in text for c in " \"'<>`\\"):
        return None
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", text)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        return None
    return text


def _escape_table() -> dict[int, str]:
    table = _ESCAPES.get("")
    if table is None:
        codes = [c for first, last in _UNSHOWN_RANGES for c in range(first, last + 1)]
        table = _ESCAPES[""] = {c: _NAMED.get(chr(c)) or (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in codes}
    return table


class TerminalText:
    """A text stream to a terminal (``stream``) that writes what it is given with every character of
    :data:`UNSHOWN` but new lines and tabs as an escape (:func:`escaped`); everything else is the
    stream's own (``fileno``, ``flush``, ``buffer``...)."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(escaped(text, keep="\n\t"))
        return len(text)

    def __getattr__(self, name):
        return getattr(self.stream, name)


def json_text(value, **options) -> str:
    """``value`` as JSON text (``options``: those of ``json.dumps``), non-ASCII characters as they are but every character of :data:`UNSHOWN`
    as a ``\\uNNNN`` escape (read back as the same value; a terminal showing the text obeys none)."""
    return _JSON_UNSHOWN.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False, **options))


def named_events(engine, query, given: dict | None = None, *, limit: int | None = None, offset: int = 0):
    """The events of a named query with its parameters bound, parameter columns dropped.

    With ``limit``, a question with a page core (:mod:`kg.paging`) yields one ``("page", {"total": N,
    "offset": M})`` event first and then only the rows of that page, computed page first; any other
    question yields every row (:func:`paged` takes the page).
    """
    from kg.bounded import result_events
    from kg.paging import run_page
    from kg.query import bind, default_text, for_engine, render

    # parameter lookups are the project's own fixed queries (labels, existence): run them in-process
    bindings = bind(query, given or {}, getattr(engine, "engine", engine))
    hidden = set(bindings)
    # parameters are written into the text as an inline VALUES block and its conditional blocks resolved
    text = render(query, bindings, constants=for_engine(engine))
    from kg.concat import ordered_row, ordered_text

    text, separators = ordered_text(text)  # GROUP_CONCAT items in one order on every store: see kg/concat.py
    defaults = default_text(query, getattr(engine, "engine", engine))
    page = run_page(engine, text, limit, offset, defaults=defaults) if limit is not None else None
    if page is not None:
        yield "page", {"total": page.total, "offset": offset}
    for kind, value in result_events(page) if page is not None else engine.stream(text):
        if kind == "vars":
            yield kind, [v for v in value if v not in hidden]
        elif kind == "row":
            yield kind, ordered_row({k: v for k, v in value.items() if k not in hidden}, separators)
        else:
            yield kind, value


def paged(events, limit: int | None, offset: int, state: dict):
    """The events with only rows ``offset`` to ``offset + limit`` (all from ``offset`` when ``limit`` is
    None); the rows after the page are counted, not kept, and ``state["total"]`` is set once the
    stream ends. A stream that starts with a ``("page", {"total": N, ...})`` event is already that
    page (:func:`named_events`): its rows pass as they are and the total is N. Closing this
    generator closes ``events`` (which stops a bounded worker)."""
    seen = 0
    try:
        for kind, value in events:
            if kind == "page":
                state["total"] = value["total"]
                for item in events:
                    yield item
                return
            if kind != "row":
                yield kind, value
                continue
            if seen >= offset and (limit is None or seen < offset + limit):
                yield kind, value
            seen += 1
        state["total"] = seen
    finally:
        close = getattr(events, "close", None)
        if close:
            close()


def write_events(events, fmt: str, out, max_rows: int = DEFAULT_MAX_ROWS, *, width: int | None = None,
                 columns: list[str] | None = None, engine=None) -> int:
    """Write a stream of result events to the text file ``out``; return the number of rows written.

    ``fmt`` is one of ``table``, ``csv``, ``tsv``, ``json``; ``max_rows`` caps the table (0: no cap);
    ``width``, ``columns`` and ``engine`` shape the table (see :func:`kg.query.format_result`).
    Raises :class:`QueryError` for an unknown format, and whatever the stream raises.
    """
    from kg.query import FORMATS, _cell, format_result

    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    events = iter(events)
    variables: list[str] = []
    for kind, value in events:
        if kind == "boolean":
            out.write(format_result(Result([], [], bool(value)), fmt) + "\n")
            return 0
        variables = value
        break
    count = 0
    if columns and fmt != "table":
        from kg.tables import wanted_columns

        variables = wanted_columns(columns, variables)
    try:
        if fmt == "table":
            rows = []
            more = False
            for _, row in events:
                if max_rows and len(rows) >= max_rows:
                    more = True
                    break
                rows.append(row)
            text = format_result(Result(variables, rows), "table", width=width, columns=columns, engine=engine)
            if more:
                text += (f"\n(only the first {max_rows} rows are shown; --max-rows N shows more, "
                         "--format csv, tsv or json writes them all)")
            out.write(text + "\n")
            return len(rows)
        if fmt in ("csv", "tsv"):
            writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
            writer.writerow(variables)
            shown = escaped if _terminal(out) else str  # (a file or a pipe gets every value as it is)
            for _, row in events:
                writer.writerow([shown(_cell(row.get(v), False)) for v in variables])
                count += 1
            return count
        out.write('{"head": {"vars": ' + json.dumps(variables) + '}, "results": {"bindings": [')
        for _, row in events:
            if columns:  # only the columns asked for, as the table, CSV and TSV show them
                row = {k: v for k, v in row.items() if k in variables}
            out.write(("," if count else "") + "\n  " + json_text(row))
            count += 1
        out.write("\n]}}\n")
        return count
    finally:
        close = getattr(events, "close", None)
        if close:
            close()


def _terminal(out) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def write_rows(variables: list[str], rows, args, out=None) -> int:
    """Write rows a command made itself (not a SPARQL result) in the output options of ``args``
    (``format``, ``max_rows``, ``width``, ``columns``, as :func:`kg.cli.add_output_opts` adds them),
    exactly as ``kg query`` writes a result; return the number of rows written.

    Each row is a dict from a name of ``variables`` to a value: text (a literal), an ``int`` (an
    ``xsd:integer`` literal), a SPARQL 1.1 JSON term (a dict such as ``{"type": "uri", "value": ...}``:
    an IRI shortened in tables, whole in CSV, TSV and JSON) or ``None``/``""`` (unbound). Writes to
    ``out`` (default: standard output). Raises :class:`QueryError` for an unknown format or a
    ``--columns`` name that is not a column.
    """
    import sys

    def term(value):
        if isinstance(value, dict):
            return value
        if isinstance(value, int):
            return {"type": "literal", "value": str(value), "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
        return {"type": "literal", "value": str(value)}

    def events():
        yield "vars", list(variables)
        for row in rows:
            yield "row", {k: term(v) for k, v in row.items() if v is not None and v != ""}

    return write_events(events(), getattr(args, "format", "table"), out or sys.stdout,
                        getattr(args, "max_rows", DEFAULT_MAX_ROWS), width=getattr(args, "width", None),
                        columns=getattr(args, "columns", None))
