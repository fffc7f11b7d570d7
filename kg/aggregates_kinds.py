"""Build-time places of the rows of the question of disagreements among the rows of one kind, and its pages.

The question ``disagreements`` numbers its rows by ``kg:rank`` (:mod:`kg.aggregates_sides`), so that
a page of the whole answer is a range look-up (its ``#+ rank`` line). With ``kind`` the answer keeps
the rows of the kinds the parameter names (the concepts of ``kg:DisagreementKinds`` whose label or
local name is ``kind``, in lower case, and the computed conflicts for ``different value``) in the
same order, and a page sorted them all: 9,206 rows at x100 for ``different value``. So ``kg build``
numbers the rows of every **selection** a value of ``kind`` can make (:func:`quads`):

* a selection ``<aggregates#kinds-HASH> skos:member ?kc ... ; void:triples 57``: the concepts
  one value of ``kind`` selects (the hash is that of their IRIs, sorted, and whether the value also
  selects the computed conflicts), and how many rows it keeps; one per distinct selection of the
  lower-case labels and local names of the concepts and of ``different value`` / ``differentvalue``
  (usually one per concept), when it keeps rows;
* a **place** ``<aggregates#kinds-HASH-8> kg:kindPlace 8 ; kg:kindRow ?row`` for each row the
  selection keeps: its place (1, 2, ...) among them, in the order of their ``kg:rank``; the node is
  named by the selection's and the place, so that a page looks its places up by name (two quads
  a place: at x1, 942 quads for the 471 rows the nine kinds keep).

A page of the question with ``kind`` (and no ``entity``: its core then holds the line ``#+ ranks
kinds``) is then found by :func:`page_rows`: the engine answers which concepts the value selects
(the question's own test, so that the store's lower-casing decides, as in the question), that names
the selection, and its rows at the page's places are looked up by name (an inline ``VALUES``).

``tests/test_disagreements_kinds.py`` compares every page with the question's whole answer.
"""

from __future__ import annotations

__all__ = ["CONFLICT_KINDS", "KIND_KEYS", "quads", "applies", "page_rows"]

import re

from kg.aggregates import AGGREGATES, KG, integer, node_digest

VOID_TRIPLES = "http://rdfs.org/ns/void#triples"
SKOS_MEMBER = "http://www.w3.org/2004/02/skos/core#member"
CONFLICT_KINDS = ("different value", "differentvalue")  # the values of kind that keep the computed conflicts (the question's test)
_PREFIXES = """PREFIX kg: <https://w3id.org/kzkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX void: <http://rdfs.org/ns/void#>
"""
# every value of kind that selects a concept (lower case), with the concept: the question's test read backwards
KIND_KEYS = _PREFIXES + """SELECT DISTINCT ?key ?kc WHERE {
  { ?kc skos:inScheme kg:DisagreementKinds ; skos:prefLabel ?kl BIND(LCASE(STR(?kl)) AS ?key) }
  UNION { ?kc skos:inScheme kg:DisagreementKinds ; skos:prefLabel ?kl BIND(LCASE(STRAFTER(STR(?kc), "#")) AS ?key) }
}"""
_KINDS_OF = _PREFIXES + "SELECT ?d ?kc WHERE { ?d a kg:Disagreement ; kg:disagreementKind ?kc }"


def _selection(concepts, conflicts: bool) -> str:
    """The local name of the selection of ``concepts`` (IRIs as strings) and, if ``conflicts``, the computed conflicts."""
    return "kinds-" + node_digest(*sorted(concepts), "conflicts" if conflicts else "recorded")


def quads(store, made: list, base: str) -> list:
    """The selections and places of the rows of the question of disagreements, as default-graph quads.

    ``store`` holds the assembled dataset; ``made`` the aggregates made of it so far (with the rows
    of :func:`kg.aggregates_sides.quads`: ``kg:pairOf``, ``kg:rank``); ``base`` the namespace of the
    nodes. Returns a list of ``pyoxigraph.Quad``; raises nothing on a graph without disagreements.
    """
    import pyoxigraph as ox

    graph = ox.DefaultGraph()
    rank_p, pair_p = ox.NamedNode(KG + "rank"), ox.NamedNode(KG + "pairOf")
    ranks, owners = {}, {}
    for q in made:
        if q.predicate == rank_p:
            ranks[q.subject] = int(q.object.value)
        elif q.predicate == pair_p:
            owners[q.subject] = q.object.value
    conflict = f"{base}conflict-"
    kinds: dict = {}
    for row in store.query(_KINDS_OF):
        kinds.setdefault(row["d"].value, set()).add(row["kc"].value)
    selects: dict = {}  # value of kind -> the concepts it selects
    for row in store.query(KIND_KEYS):
        selects.setdefault(row["key"].value, set()).add(row["kc"].value)
    for key in CONFLICT_KINDS:
        selects.setdefault(key, set())
    ordered = sorted((rank, row) for row, rank in ranks.items() if row in owners)
    out, done = [], set()
    for key, concepts in sorted(selects.items()):
        conflicts = key in CONFLICT_KINDS
        name = _selection(concepts, conflicts)
        if name in done:
            continue
        done.add(name)
        kept = [row for _, row in ordered
                if (owners[row].startswith(conflict) if conflicts else False)
                or (not owners[row].startswith(conflict) and kinds.get(owners[row], set()) & concepts)]
        if not kept:  # (a page of a selection without rows sorts the core, which finds none)
            continue
        selection = ox.NamedNode(base + name)
        # (its concepts as SKOS members: kg:disagreementKind has kg:Disagreement as its domain)
        out.extend(ox.Quad(selection, ox.NamedNode(SKOS_MEMBER), ox.NamedNode(c), graph) for c in sorted(concepts))
        out.append(ox.Quad(selection, ox.NamedNode(VOID_TRIPLES), integer(len(kept)), graph))
        for place, row in enumerate(kept, 1):
            node = ox.NamedNode(f"{base}{name}-{place}")
            out.append(ox.Quad(node, ox.NamedNode(KG + "kindPlace"), integer(place), graph))
            out.append(ox.Quad(node, ox.NamedNode(KG + "kindRow"), row, graph))
    return out


_KIND_BIND = re.compile(r"^\s*VALUES \(\?kind\) \{ \((?:\"(?:[^\"\\]|\\.)*\"\S*)\) \}\s*$")


def _bind_lines(core: str) -> list[str]:
    return [line for line in core.splitlines() if line.lstrip().startswith("VALUES (?")]


def applies(core: str) -> bool:
    """Whether a rendered core of the question of disagreements binds ``kind`` alone (its bind lines
    all ``VALUES (?kind) { ("...") }``, the same literal): its pages are then found by :func:`page_rows`."""
    lines = _bind_lines(core)
    return bool(lines) and all(_KIND_BIND.match(line) for line in lines) and len({line.strip() for line in lines}) == 1


def page_rows(engine, plan, limit: int, offset: int):
    """One page of the core of the question of disagreements with ``kind`` (``plan``: its
    :class:`kg.paging.PagePlan`), found from the stored places of the rows of that kind.

    Returns a :class:`kg.store.Result` of the core's variables with the total, or ``None`` when the
    core does not bind ``kind`` alone, the value selects nothing, the store holds no places for its
    selection (built before them) or they are not exactly the places asked for (the caller then
    sorts the core). Raises :class:`kg.store.QueryError` when the engine fails.
    """
    from kg.store import Result

    lines = _bind_lines(plan.core)
    if not applies(plan.core):
        return None
    bind = lines[0].strip()
    # the question's own tests, by the engine: which concepts the value names, and whether it keeps the conflicts
    concepts = {r["kc"]["value"] for r in engine.query(_PREFIXES + f"""SELECT DISTINCT ?kc WHERE {{ {bind}
        ?kc skos:inScheme kg:DisagreementKinds ; skos:prefLabel ?kl
        FILTER(LCASE(STR(?kl)) = LCASE(STR(?kind)) || LCASE(STRAFTER(STR(?kc), "#")) = LCASE(STR(?kind))) }}""").rows}
    conflicts = bool(engine.query(f"""SELECT ?kind WHERE {{ {bind}
        FILTER(LCASE(STR(?kind)) IN ({", ".join(f'"{k}"' for k in CONFLICT_KINDS)})) }}""").rows)
    if not concepts and not conflicts:
        return None
    name = _selection(concepts, conflicts)
    counted = engine.query(_PREFIXES + f"SELECT ?n WHERE {{ <{AGGREGATES}{name}> void:triples ?n }}").rows
    if len(counted) != 1:
        return None
    total = int(counted[0]["n"]["value"])
    first, last = offset + 1, min(offset + limit, total)
    if first > last:
        return Result(plan.variables, [], total=total, offset=offset)
    places = " ".join(f"(<{AGGREGATES}{name}-{p}> {p})" for p in range(first, last + 1))
    answer = engine.query(_PREFIXES + f"""SELECT ?place ?row ?rank WHERE {{ VALUES (?node ?place) {{ {places} }}
        ?node kg:kindPlace ?place ; kg:kindRow ?row . ?row kg:rank ?rank }}
        ORDER BY ?place""").rows
    if [int(r["place"]["value"]) for r in answer] != list(range(first, last + 1)):
        return None  # a gap or a row twice: the places do not fit this store's rows
    return Result(plan.variables, [{k: v for k, v in r.items() if k in plan.variables} for r in answer],
                  total=total, offset=offset)
