"""Named questions (``queries/*.rq``), parameter binding, ad-hoc SPARQL and result formats.

Each named query is one ``.rq`` file whose header states the question and its parameters::

    #+ summary: Which attacks happened in a place, with date, perpetrator and casualties?
    #+ params:
    #+   - place: entity; a place IRI, label or alias; optional
    #+   - from: integer; first year; default 1990

A parameter line is ``- NAME: TYPE; DESCRIPTION; default VALUE | optional | required``, and for an
``integer`` the values it takes: ``range MIN..MAX`` (both included), and ``at least OTHER`` when it may
not be below another integer parameter (``to`` after ``from``, ``max`` after ``min``)::

    #+   - from: integer; first year; default 1990; range 1..9999
    #+   - to: integer; last year; default 2030; range 1..9999; at least from

A value outside its range, or below the parameter it must be at least, is a :class:`ParamError`
saying the range (or the order) and what to give. Types:
``entity`` (an IRI, a prefixed name such as ``group:isil``, or any label or alias, matched case-
and accent-insensitively), ``class`` (a prefixed class name), ``document`` (the id of a document
registered in ``graph/sources.ttl``), ``concept`` (a concept of one SKOS scheme, by its label or local
name), ``integer`` and ``string``.

A parameter whose values form a closed set says which, after its type: ``entity of kg:Group`` (an
entity of one of the classes, ``or`` between several: ``entity of kg:Attack or kg:FoiledPlot``),
``class of kg:Event or kg:LegalAct`` (one of these classes, a subclass or a superclass of one), and
``concept of kg:DisagreementKinds`` (the scheme; required for ``concept``). A value outside the set is
a :class:`ParamError` saying what the value is and what to give (:mod:`kg.known`); a default is the
author's and is not looked up::

    #+   - group: entity of kg:Group; the group to start from; required

The body of the file is plain SPARQL that runs as it is in any SPARQL UI and answers the question
with its defaults. Two kinds of marked lines tell :func:`render` how to bind parameters:

* the **bind line**, a line ending in ``#+ bind``, usually ``VALUES (?from ?to) { (1900 2100) }``
  first in the top-level ``WHERE`` group: :func:`render` replaces it with a ``VALUES`` block of the
  parameters that have a value (given, or the default), each an RDF term serialized by pyoxigraph's
  own N-Triples serializer (IRIs checked, literals escaped), never text pasted in. Inline values
  drive index look-ups, where engine substitutions do not. Without a bind line, the block goes first
  in the top-level ``WHERE`` group;
* **conditional blocks** for a parameter that is optional and not given::

      #+ if place
      #+   ?id kg:place/schema:containedInPlace* ?place .
      #+ else
        (plain SPARQL used when ``place`` is not given; may be empty)
      #+ end

  The ``if`` part is written as ``#+`` comment lines (so the file as it is ignores it) and is used
  only when the parameter has a value; the ``else`` part is plain SPARQL used otherwise. A question
  is then generated without the parameter's pattern when the parameter is not given, instead of
  testing a wildcard row by row over the whole graph.

For a remote store (:func:`for_engine`), the parameters bound to IRIs are also written as constants in the
text's patterns and expressions, beside the ``VALUES`` block (:func:`kg.remote.inline_iris`): Virtuoso 7.2
answers some forms of a value bound by ``VALUES`` otherwise. The embedded engine keeps the block alone
(from a constant, Oxigraph may start from every entity of a class instead).

Parameter variables are not projected; :func:`run_named` drops them from what it returns anyway.
Listings are paginated: :func:`run_named` takes ``limit`` and ``offset`` and returns the total.
"""

from __future__ import annotations

import re
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from kg.iris import PREFIXES, shorten
from kg.querycheck import check_query_file
from kg.store import QueryError, Result

__all__ = [
    "Param",
    "NamedQuery",
    "ParamError",
    "load_queries",
    "get_query",
    "parse_query_file",
    "bind",
    "resolve_entity",
    "format_result",
    "FORMATS",
    "normalise",
    "run_named",
    "render",
    "for_engine",
    "sparql_term",
    "values_block",
    "page_note",
    "check_values",
    "value_range",
    "DEFAULT_PAGE",
    "ANY",
    "default_text",
    "type_text",
]

ANY = NamedNode(PREFIXES["kg"] + "any")
XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
TYPES = ("entity", "class", "document", "concept", "integer", "string")
CLOSED = ("entity", "class", "concept")  # the types that take "of CLASS or CLASS..." (concept: "of SCHEME")
FORMATS = ("table", "csv", "tsv", "json")
DEFAULT_PAGE = 100  # rows kg query prints unless --limit says otherwise
# every name of every entity with its rank (a preferred label 0, an alias 1, a title 2), for lookups by words
LABEL_QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
SELECT ?e ?label ?rank WHERE {
  { ?e skos:prefLabel ?label BIND(0 AS ?rank) } UNION { ?e skos:altLabel|skos:hiddenLabel ?label BIND(1 AS ?rank) }
  UNION { ?e schema:name ?label BIND(2 AS ?rank) }
}
"""


class ParamError(QueryError):
    """A parameter is unknown, missing or has a bad value."""


class _Record:
    """Fields set by ``__init__``, compared and shown by value, as a dataclass's (whose import costs a
    cold ``kg query`` about a third of Python's own start: see :class:`kg.store.Result`)."""

    __hash__ = None

    def __eq__(self, other) -> bool:
        return other.__class__ is self.__class__ and vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in vars(self).items())})"


class Param(_Record):
    """One parameter of a named question, from its header line: name, type, description, default,
    required; for an integer, ``minimum`` and ``maximum`` (``range MIN..MAX``, both included) and
    ``at_least`` (the integer parameter it may not be below); for an entity, class or concept, ``of``:
    the prefixed names of the classes (or the scheme) its values must belong to (``()``: any)."""

    def __init__(self, name: str, type: str, description: str, default: str | None = None, required: bool = False,
                 minimum: int | None = None, maximum: int | None = None, at_least: str | None = None,
                 of: tuple[str, ...] = ()):
        self.name, self.type, self.description, self.default, self.required = name, type, description, default, required
        self.minimum, self.maximum, self.at_least, self.of = minimum, maximum, at_least, tuple(of)


class NamedQuery(_Record):
    """A named question: its name, file, summary, text and parameters (:class:`Param`)."""

    def __init__(self, name: str, path: Path, summary: str, text: str, params: list[Param] | None = None):
        self.name, self.path, self.summary, self.text = name, path, summary, text
        self.params = [] if params is None else params

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


_PARAM_LINE = re.compile(r"^#\+\s+-\s*([A-Za-z_]\w*)\s*:\s*(\w+)(?:\s+of\s+([^;]*?))?\s*;\s*(.*)$")
_CURIE = re.compile(r"([A-Za-z][\w-]*):([A-Za-z_][\w.-]*)")


def type_text(param: Param) -> str:
    """``entity of kg:Group or kg:Cell``: a parameter's type as its header writes it, for listings."""
    return f"{param.type} of {' or '.join(param.of)}" if param.of else param.type


def _of(ptype: str, text: str | None, where: str) -> tuple[str, ...]:
    """The prefixed names after ``of`` on a parameter line, checked; ``()`` without ``of``."""
    if text is None:
        if ptype == "concept":
            raise QueryError(f"{where}: a concept parameter names its scheme: write 'concept of PREFIX:Scheme'")
        return ()
    names = tuple(n for n in re.split(r"\s+or\s+|\s*,\s*", text.strip()) if n)
    bad = [n for n in names if not (m := _CURIE.fullmatch(n)) or m.group(1) not in PREFIXES]
    if ptype not in CLOSED or not names or bad or (ptype == "concept" and len(names) > 1):
        raise QueryError(f"{where}: bad '{ptype} of {text.strip()}'; write 'entity of kg:Group', 'class of kg:Event "
                         "or kg:LegalAct' or 'concept of kg:DisagreementKinds' (known prefixes, 'or' between classes)")
    return names


def parse_query_file(path: Path, root: Path | None = None) -> NamedQuery:
    """Read a ``.rq`` file and its header; a malformed header names the file and line.

    ``root`` is the project the file belongs to (default: the parent of its folder, as for
    ``queries/NAME.rq``): a file that is a link leading outside it is not read (:class:`QueryError`
    naming the link and its target).
    """
    from kg.load import outside_link

    if reason := outside_link(path, path.parent.parent if root is None else root):
        raise QueryError(reason)
    from kg.inputs import read_text

    text = read_text(path, error=QueryError)  # a regular file (not a FIFO, nor a folder named x.rq), bounded
    summary, params = "", []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#+"):
            if line.strip() and not line.startswith("#"):
                break
            continue
        if line.startswith("#+ summary:"):
            summary = line.split(":", 1)[1].strip()
        elif line.startswith("#+   -") or line.startswith("#+ -"):
            m = _PARAM_LINE.match(line)
            if not m or m.group(2) not in TYPES:
                raise QueryError(f"{path}:{lineno}: bad parameter line; write '#+   - NAME: TYPE; description; "
                                 f"default VALUE | optional | required' with TYPE one of {', '.join(TYPES)}")
            name, ptype, of, rest = m.groups()
            parts = [p.strip() for p in rest.split(";")]
            fields: dict = {}
            for part in parts[1:]:
                if part.startswith("default "):
                    fields["default"] = part[len("default "):].strip()
                elif part == "required":
                    fields["required"] = True
                elif part.startswith(("range", "at least")):
                    fields.update(_value_rule(name, ptype, part, f"{path}:{lineno}"))
                elif part != "optional":  # a ';' inside the description cut it here, unseen
                    raise QueryError(f"{path}:{lineno}: parameter {name}: '{part}' is no field (default VALUE, "
                                     "optional, required, range MIN..MAX, at least OTHER); ';' separates fields: "
                                     "write ',' inside the description")
            params.append(Param(name, ptype, parts[0], of=_of(ptype, of, f"{path}:{lineno}"), **fields))
    if not summary:
        raise QueryError(f"{path}:1: missing '#+ summary: <the question>' header")
    _check_value_rules(params, path)
    _check_blocks(path, text, {p.name for p in params})
    from kg.paging import check_page_block

    if problem := check_page_block(path, text):
        raise QueryError(problem)
    if problems := check_query_file(path):
        raise QueryError("\n".join(problems))
    return NamedQuery(path.stem, path, summary, text, params)


_RANGE = re.compile(r"range\s+(-?[0-9]{1,18})\s*\.\.\s*(-?[0-9]{1,18})")
_AT_LEAST = re.compile(r"at least\s+([A-Za-z_]\w*)")


def _value_rule(name: str, ptype: str, part: str, where: str) -> dict:
    """The fields of :class:`Param` that ``range MIN..MAX`` or ``at least OTHER`` of a parameter line gives."""
    if ptype != "integer":
        raise QueryError(f"{where}: '{part}' is for integer parameters; {name} is {ptype}")
    if m := _RANGE.fullmatch(part):
        low, high = int(m.group(1)), int(m.group(2))
        if low > high:
            raise QueryError(f"{where}: '{part}': the range of {name} is empty; write range MIN..MAX, MIN first")
        return {"minimum": low, "maximum": high}
    if m := _AT_LEAST.fullmatch(part):
        return {"at_least": m.group(1)}
    else:
        raise QueryError(f"{where}: bad '{part}'; write 'range MIN..MAX' (for example range 1..4) or 'at least OTHER' "
                         "(another integer parameter)")


def _check_value_rules(params: list[Param], path: Path) -> None:
    """Refuse a default outside its range and an ``at least`` naming no integer parameter."""
    integers = {p.name for p in params if p.type == "integer"}
    for p in params:
        if p.at_least is not None and (p.at_least not in integers or p.at_least == p.name):
            raise QueryError(f"{path}: parameter {p.name}: 'at least {p.at_least}' names no other integer parameter")
        if p.default is not None and p.type == "integer" and p.minimum is not None:
            if not re.fullmatch(r"-?\d{1,18}", p.default) or not p.minimum <= int(p.default) <= p.maximum:
                raise QueryError(f"{path}: parameter {p.name}: default {p.default} is not in its range "
                                 f"{p.minimum}..{p.maximum}")


def value_range(param: Param) -> str:
    """``1 to 4``: the values an integer parameter takes, as ``kg queries`` and errors say them; '' if any."""
    return f"{param.minimum} to {param.maximum}" if param.minimum is not None else ""


def check_values(query: NamedQuery, given: dict[str, str]) -> dict[str, int]:
    """Check the integer parameters of ``query`` (given, else defaults) against their declared range and
    order, before anything is looked up; return them as ints.

    Raises :class:`ParamError` with one line saying the value, the valid range (or order) and what to give.
    """
    values: dict[str, int] = {}
    for p in query.params:
        value = given.get(p.name, p.default)
        if p.type != "integer" or value is None:
            continue
        text, span = value.strip(), value_range(p)
        example = f" (default {p.default})" if p.default is not None else ""
        if not re.fullmatch(r"-?[0-9]+", text):  # ASCII digits only, as SPARQL writes an integer
            what = f"a whole number from {span}" if span else "an integer of at most 18 digits"
            raise ParamError(f"--param {p.name}={value[:40]!r} of {query.name} is not an integer: give {what}{example}")
        # more digits than any range declared here holds: out of range without converting it
        number = int(text) if len(text.lstrip("-")) <= 18 else None
        if number is None or (p.minimum is not None and not p.minimum <= number <= p.maximum):
            if not span:
                raise ParamError(f"--param {p.name}={text[:24]} of {query.name} is too long: give an integer of at "
                                 f"most 18 digits{example}")
            raise ParamError(f"--param {p.name}={text[:24]} is out of range for {query.name}: {p.name} is a whole "
                             f"number from {span}; give one in that range{example}")
        values[p.name] = number
    for p in query.params:
        other = p.at_least
        if other and p.name in values and other in values and values[p.name] < values[other]:
            said = {n: f"--param {n}={values[n]}" + ("" if n in given else " (the default)") for n in (other, p.name)}
            raise ParamError(f"{said[other]} comes after {said[p.name]} in {query.name}: give them in order, "
                             f"for example -p {other}={values[p.name]} -p {p.name}={values[other]}")
    return values


_IF = re.compile(r"^\s*#\+ if\s+(\S+)\s*$")
_ELSE = re.compile(r"^\s*#\+ else\s*$")
_END = re.compile(r"^\s*#\+ end\s*$")
_BIND = re.compile(r"#\+ bind(\s.*)?$")


def _check_blocks(path: Path, text: str, names: set[str]) -> None:
    """Refuse unbalanced or unknown ``#+ if`` blocks and ``if`` lines that are not comments.

    Blocks nest only inside an ``#+ else`` part (plain SPARQL), never inside an ``if`` part.
    """
    stack: list[list[str]] = []  # [name, part] of each open block, innermost last
    for lineno, line in enumerate(text.splitlines(), 1):
        where = f"{path}:{lineno}"
        m = _IF.match(line)
        if m:
            if stack and stack[-1][1] == "if":
                raise QueryError(f"{where}: '#+ if' inside the if part of '#+ if {stack[-1][0]}'; nest blocks only after '#+ else'")
            if m.group(1) not in names:
                raise QueryError(f"{where}: '#+ if {m.group(1)}' names no parameter of the header")
            stack.append([m.group(1), "if"])
        elif _ELSE.match(line) or _END.match(line):
            if not stack:
                raise QueryError(f"{where}: '{line.strip()}' without '#+ if'")
            if _ELSE.match(line):
                stack[-1][1] = "else"
            else:
                stack.pop()
        elif stack and stack[-1][1] == "if" and line.strip() and not line.lstrip().startswith("#+"):
            raise QueryError(f"{where}: lines of an '#+ if {stack[-1][0]}' part start with '#+' (plain lines go after '#+ else')")
    if stack:
        raise QueryError(f"{path}: the '#+ if {stack[-1][0]}' block has no '#+ end'")


def load_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query in the folder (not its ``checks/``; default: the questions of the project the
    command runs on, :func:`kg.paths.queries_dir`), by name.

    Raises :class:`QueryError` for a malformed file, or one that is a link leading outside the
    project (the folder's parent).
    """
    from kg.inputs import check_listable

    folder = _questions(folder)
    check_listable(folder, QueryError)  # else the glob finds nothing, and every question seems gone
    return {p.stem: parse_query_file(p, folder.parent) for p in sorted(folder.glob("*.rq"))}


def _questions(folder: Path | None) -> Path:
    from kg.paths import queries_dir

    return Path(folder) if folder is not None else queries_dir()


def get_query(name: str, folder: Path | None = None) -> NamedQuery:
    """The named query ``name`` of the folder (default as :func:`load_queries`); only its own file is
    read when it exists.

    Raises :class:`QueryError` for an unknown name (with the closest names) or a malformed file.
    """
    folder = _questions(folder)
    if re.fullmatch(r"[\w-]+", name) and (folder / f"{name}.rq").is_file():
        return parse_query_file(folder / f"{name}.rq", folder.parent)
    queries = load_queries(folder)
    if name not in queries:
        from difflib import get_close_matches

        folded = {q.lower(): q for q in queries}  # (names are lower case: ATTACKS is attacks mistyped)
        close = [folded[c] for c in get_close_matches(name.strip().lower(), list(folded), n=3)]
        hint = f"; did you mean {', '.join(close)}?" if close else "; kg queries lists them"
        raise QueryError(f"no named query {name!r}{hint}")
    return queries[name]


def normalise(text: str) -> str:
    """Case- and accent-insensitive form of a label, with white space folded."""
    import unicodedata  # not on the path of a query (a C module: a cold start imports it only when needed)

    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().replace("’", "'").split())


def expand(value: str) -> str | None:
    """A full IRI from ``<iri>``, ``http(s)://...`` or a known ``prefix:local``; else ``None``."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if re.match(r"^https?://\S+$", value):
        return value
    m = re.match(r"^([A-Za-z][\w-]*):([\w.\-]+)$", value)
    if m and m.group(1) in PREFIXES:
        return PREFIXES[m.group(1)] + m.group(2)
    return None


def resolve_entity(engine, value: str, option: str | None = None) -> NamedNode:
    """The entity :func:`kg.search.entity_iri` takes for an IRI, a prefixed name or a name, as a term.

    Raises :class:`ParamError` for an invalid IRI, one the graph holds nothing about (the message
    begins with ``option`` when given), or a name that no entity, or more than one equally good,
    answers to (the message lists ranked candidates with class and detail).
    """
    from kg.search import entity_iri

    if not value.strip():  # (-p place=$PLACE with the variable unset): not a name to look up
        raise ParamError(f"{option or 'the name'} is empty: give an IRI, a label or an alias, or leave it out")
    return _named_node(value, entity_iri(engine, value, option))


def _named_node(value: str, iri: str) -> NamedNode:
    """A checked IRI (pyoxigraph refuses spaces, ``<``, ``>``, quotes...); else :class:`ParamError`."""
    if not re.match(r"^[^\s<>\"{}|\\^`]+$", iri):
        raise ParamError(f"{value!r} is not a valid IRI")
    try:
        return NamedNode(iri)
    except ValueError as exc:
        raise ParamError(f"{value!r} is not a valid IRI: {exc}") from exc


def _coerce(engine, param: Param, value: str, given: bool = True):
    """``value`` of ``param`` as an RDF term; a given value of a closed type is checked against its set
    (:mod:`kg.known`), the author's default is not (it costs a look-up per run)."""
    from kg import known

    of = [PREFIXES[n.split(":", 1)[0]] + n.split(":", 1)[1] for n in param.of] if given else []
    if param.type == "entity":
        node = resolve_entity(engine, value, f"--param {param.name}")
        return known.require_instance(engine, node, param.name, of) if of and node != ANY else node
    if param.type == "class":
        iri = expand(value) or expand("kg:" + value)
        if not iri:
            raise ParamError(f"--param {param.name}: {value!r} is not a class name (for example kg:Attack)")
        return known.require_class(engine, _named_node(value, iri), value, param.name, of)
    if param.type == "concept":
        return Literal(known.require_concept(engine, value, param.name, of[0]) if of else value)
    if param.type == "document":
        ids = _document_ids(engine)
        m = re.fullmatch(r"(?:source:)?d?(\d{1,3})", value.strip())
        doc = m.group(1).zfill(3) if m else None
        if doc not in ids:
            raise ParamError(f"--param {param.name}: {value!r} is not a registered document id "
                             f"(registered in graph/sources.ttl: {', '.join(ids) or 'none'})")
        return NamedNode(PREFIXES["source"] + "d" + doc)
    if param.type == "integer":
        if not re.fullmatch(r"-?\d{1,%d}" % known.MAX_INTEGER_DIGITS, value.strip()):
            raise ParamError(f"--param {param.name}: {value[:40]!r} is not an integer of at most "
                             f"{known.MAX_INTEGER_DIGITS} digits")
        return Literal(str(int(value)), datatype=XSD_INTEGER)
    return Literal(value)


def _document_ids(engine) -> list[str]:
    """The ids of the documents the graph registers (``kg:documentId``), sorted."""
    text = f"SELECT DISTINCT ?id WHERE {{ ?d <{PREFIXES['kg']}documentId> ?id }}"
    return sorted(row["id"]["value"] for row in engine.query(text).rows)


def bind(query: NamedQuery, given: dict[str, str], engine) -> dict[str, object]:
    """Check and convert parameters (given, else defaults) to RDF terms to bind by the engine."""
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        known = ", ".join(p.name for p in query.params) or "none"
        raise ParamError(f"query {query.name} has no parameter {', '.join(unknown)} (its parameters: {known})")
    check_values(query, given)
    bindings = {}
    for param in query.params:
        value = given.get(param.name, param.default)
        if value is None:
            if param.required:
                raise ParamError(f"query {query.name} needs --param {param.name}=... ({param.description})")
            bindings[param.name] = ANY
            continue
        bindings[param.name] = _coerce(engine, param, value, param.name in given)
    return bindings


def sparql_term(term) -> str:
    """An RDF term (rdflib or pyoxigraph) as SPARQL text, by pyoxigraph's N-Triples serializer.

    Raises :class:`ParamError` for a term that is not a valid RDF term (an IRI with spaces or
    ``>``, for example): the text returned can never change the structure of a query.
    """
    from kg.store import to_oxigraph

    try:
        return str(to_oxigraph(term))
    except (ValueError, QueryError) as exc:
        raise ParamError(f"{term!s:.80} is not a valid RDF term: {exc}") from exc


def values_block(bindings: dict) -> str:
    """``VALUES (?a ?b) { (t1 t2) }`` for the bound parameters (in the order given); '' if none."""
    names = [n for n, v in bindings.items() if v is not None and v != ANY]
    if not names:
        return ""
    row = " ".join(sparql_term(bindings[n]) for n in names)
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}"


def render(query: NamedQuery, bindings: dict, *, constants: bool = False) -> str:
    """The text to run: conditional blocks resolved and parameters bound in an inline ``VALUES``.

    ``bindings`` maps parameter names to RDF terms (:func:`bind`); a parameter bound to
    :data:`ANY` or ``None`` counts as not given. See the module docstring for the conventions.
    With ``constants`` (the text for a remote store, :func:`for_engine`), the parameters bound to IRIs
    are also written as constants in the patterns and expressions that use them
    (:func:`kg.remote.inline_iris`; the ``VALUES`` blocks stay).
    """
    given = {n for n, v in bindings.items() if v is not None and v != ANY}
    block = values_block({p.name: bindings.get(p.name) for p in query.params} if query.params else bindings)
    out, stack, placed = [], [], False
    for line in query.text.splitlines():
        m = _IF.match(line)
        if m:
            stack.append([m.group(1), "if"])
            continue
        if stack and _ELSE.match(line):
            stack[-1][1] = "else"
            continue
        if stack and _END.match(line):
            stack.pop()
            continue
        if any((name in given) != (part == "if") for name, part in stack):
            continue
        if stack and stack[-1][1] == "if":
            line = re.sub(r"#\+ ?", "", line, count=1)
        if _BIND.search(line):
            indent = line[: len(line) - len(line.lstrip())]
            line, placed = (indent + block if block else ""), True
        out.append(line)
    text = "\n".join(out) + "\n"
    if not placed and block:
        from kg.remote import insert_first_in_where

        text = insert_first_in_where(text, block)
    iris = {n: sparql_term(v) for n, v in bindings.items() if n in given and isinstance(v, NamedNode)} if constants else {}
    if iris:
        from kg.remote import inline_iris

        text = inline_iris(text, iris)
    return text


def for_engine(engine) -> bool:
    """Whether ``engine`` (or the engine it wraps, ``.engine``) is sent parameters as constants in the text
    (:func:`render`'s ``constants``): a remote store, :attr:`kg.remote.RemoteEngine.inline_parameters`."""
    return bool(getattr(engine, "inline_parameters", getattr(getattr(engine, "engine", None), "inline_parameters", False)))


def run_named(engine, query: NamedQuery, given: dict[str, str] | None = None, *, limit: int | None = None,
              offset: int = 0) -> Result:
    """Bind the parameters of a named query, run it, and return one page of rows.

    ``limit`` rows from ``offset`` (all rows when ``limit`` is ``None``); the result's ``total``
    is the number of rows of the whole answer. A question with a page core (:mod:`kg.paging`)
    computes one page first and looks up the details of its rows only. Parameter columns are not
    returned. Raises :class:`ParamError` for a bad parameter and :class:`QueryError` when the
    engine fails.
    """
    from kg.concat import ordered_row, ordered_text
    from kg.paging import run_page

    bindings = bind(query, given or {}, engine)
    text = render(query, bindings, constants=for_engine(engine))
    text, separators = ordered_text(text)  # GROUP_CONCAT items in one order on every store: see kg/concat.py
    result = None
    if limit is not None:
        result = run_page(engine, text, limit, offset, defaults=default_text(query, engine))
    if result is None:
        result = engine.query(text, limit=limit, offset=offset)
    if result.boolean is not None:
        return result
    hidden = set(bindings)
    if not hidden & set(result.variables) and not separators:
        return result
    variables = [v for v in result.variables if v not in hidden]
    rows = [ordered_row({k: v for k, v in row.items() if k not in hidden}, separators) for row in result.rows]
    return Result(variables, rows, total=result.total, offset=result.offset)


def default_text(query: NamedQuery, engine):
    """A function returning ``query`` rendered with its defaults (``None`` when one is required), for
    :func:`kg.paging.run_page`: a page of a core that is the defaults' is found by rank look-up."""

    def text():
        from kg.concat import unit_separated

        try:
            return unit_separated(render(query, bind(query, {}, engine), constants=for_engine(engine)))
        except ParamError:
            return None

    return text


def parse_param_args(items: list[str]) -> dict[str, str]:
    """``["key=value", ...]`` -> dict; raises :class:`ParamError` for a malformed item or a name given twice."""
    out = {}
    for item in items:
        if "=" not in item:
            raise ParamError(f"--param {item!r}: write --param NAME=VALUE")
        key, value = item.split("=", 1)
        if not re.fullmatch(r"[A-Za-z_]\w*", key.strip()):
            raise ParamError(f"--param {item!r}: {key!r} is not a parameter name")
        if key.strip() in out:  # the last one silently winning would answer another question than asked
            raise ParamError(f"--param {key.strip()} is given twice ({out[key.strip()]!r} and {value!r}): "
                             "give each parameter once")
        out[key.strip()] = value
    return out


def _cell(term: dict | None, short: bool) -> str:
    if term is None:
        return ""
    value = term["value"]
    return shorten(value) if short and term["type"] == "uri" else value


def page_note(result: Result) -> str:
    """``(3 rows)``, or for one page of a longer answer ``(rows 101-200 of 2345)``."""
    shown, total = len(result.rows), result.total
    if total is None or total == shown:
        return f"({shown} row{'s' if shown != 1 else ''})"
    if not shown:
        return f"(no rows after the first {result.offset}: the answer has {total})"
    return f"(rows {result.offset + 1}-{result.offset + shown} of {total}; --offset and --limit give other pages, --limit 0 all)"


def format_result(result: Result, fmt: str = "table", *, width: int | None = None,
                  columns: list[str] | None = None, engine=None) -> str:
    """Render a result as a table that fits the terminal (:mod:`kg.tables`), CSV, TSV or SPARQL 1.1 JSON.

    ``columns`` keeps only the named columns (every format); ``width`` and ``engine`` (to show
    statistics and findings by their values) apply to the table.
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "table" and result.boolean is None:
        from kg.tables import format_table

        return format_table(result, width=width, columns=columns, engine=engine)
    if columns and result.boolean is None:
        from kg.tables import select_columns

        result = select_columns(result, columns)
    import csv
    import io
    import json

    if fmt == "json":
        if result.boolean is not None:
            return json.dumps({"head": {}, "boolean": result.boolean}, indent=2)
        from kg.output import json_text

        return json_text({"head": {"vars": result.variables}, "results": {"bindings": result.rows}}, indent=2)
    if result.boolean is not None:
        return "true" if result.boolean else "false"
    rows = [[_cell(r.get(v), False) for v in result.variables] for r in result.rows]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
    writer.writerow(result.variables)
    writer.writerows(rows)
    return buf.getvalue().rstrip("\n")
