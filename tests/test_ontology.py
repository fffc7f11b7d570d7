"""The ontology and the shapes: they parse, every term is one documented block, every used term is declared."""

import re

from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.namespaces import KG

SH = Namespace("http://www.w3.org/ns/shacl#")


def _graph(root, name):
    return Graph().parse(root / "ontology" / name, format="turtle")


def test_ontology_header(root):
    g = _graph(root, "kg.ttl")
    onto = URIRef(str(KG._NS))
    assert (onto, RDF.type, OWL.Ontology) in g
    for prop in (DCTERMS.title, DCTERMS.description, OWL.versionIRI, DCTERMS.license):
        assert g.value(onto, prop) is not None, f"ontology header lacks {prop}"


ONTOLOGY = URIRef(str(KG._NS))
USE = re.compile(r"(?<![\w:/#])kg:([A-Za-z_][\w-]*)|https://w3id\.org/kzkg/ontology#([A-Za-z_][\w-]*)")


def undocumented_terms(g: Graph) -> list[str]:
    """Every term of the kg: namespace the graph says anything about, whatever it declares (or not),
    that lacks a label, a skos:definition or rdfs:isDefinedBy kg:."""
    problems = []
    own = {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(str(ONTOLOGY)) and s != ONTOLOGY}
    for term in sorted(own):
        if not (g.value(term, RDFS.label) or g.value(term, SKOS.prefLabel)):
            problems.append(f"{term} has no rdfs:label")
        if not g.value(term, SKOS.definition):
            problems.append(f"{term} has no skos:definition")
        if (term, RDFS.isDefinedBy, ONTOLOGY) not in g:
            problems.append(f"{term} has no rdfs:isDefinedBy kg:")
    return problems


def used_terms(texts: dict[str, str]) -> dict[str, str]:
    """kg: terms written in files (by file name; comment lines of RDF and SPARQL files are skipped),
    each with the first file that uses it."""
    used = {}
    for name, text in texts.items():
        if not name.endswith(".py"):
            text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        for m in USE.finditer(text):
            used.setdefault(str(KG._NS) + (m.group(1) or m.group(2)), name)
    return used


def undeclared_terms(g: Graph, texts: dict[str, str]) -> list[str]:
    """Terms the files use that the ontology does not declare (give an rdf:type)."""
    return [f"{term} (used in {name}) is not declared in ontology/kg.ttl"
            for term, name in sorted(used_terms(texts).items()) if (URIRef(term), RDF.type, None) not in g]


def _project_texts(root) -> dict[str, str]:
    paths = [*root.glob("graph/**/*.ttl"), *root.glob("graph/**/*.trig"), *root.glob("ontology/*.ttl"),
             *root.glob("queries/**/*.rq"), *root.glob("kg/*.py")]
    return {str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in paths}


def test_every_own_term_has_label_definition_and_is_defined_by(root):
    g = _graph(root, "kg.ttl")
    assert len({s for s in g.subjects(RDFS.isDefinedBy, ONTOLOGY)}) > 100
    assert undocumented_terms(g) == []


def test_a_new_term_without_is_defined_by_does_not_escape(root):
    """The check looks at every kg: term, not only those that already say rdfs:isDefinedBy."""
    text = (root / "ontology" / "kg.ttl").read_text(encoding="utf-8")
    added = text + (
        '\nkg:trainedBy a owl:ObjectProperty ; rdfs:label "trained by"@en ; skos:definition "Who trained a person."@en .\n'
        'kg:Camp a owl:Class ; rdfs:isDefinedBy kg: .\n'
        'kg:campOf rdfs:label "camp of"@en .\n')
    g = Graph().parse(data=added, format="turtle")
    assert undocumented_terms(g) == [
        f"{KG._NS}Camp has no rdfs:label", f"{KG._NS}Camp has no skos:definition",
        f"{KG._NS}campOf has no skos:definition", f"{KG._NS}campOf has no rdfs:isDefinedBy kg:",
        f"{KG._NS}trainedBy has no rdfs:isDefinedBy kg:",
    ]
    assert undeclared_terms(g, {"kg.ttl": added}) == [f"{KG._NS}campOf (used in kg.ttl) is not declared in ontology/kg.ttl"]


def test_every_term_the_code_and_data_use_is_declared(root):
    g = _graph(root, "kg.ttl")
    texts = _project_texts(root)
    assert len(used_terms(texts)) > 100
    assert undeclared_terms(g, texts) == []
    texts["graph/claims/new.trig"] = "ev:d003-1-9 { group:x kg:trainedIn place:y . }"
    assert undeclared_terms(g, texts) == [
        f"{KG._NS}trainedIn (used in graph/claims/new.trig) is not declared in ontology/kg.ttl"]


def test_required_classes_exist(root):
    g = _graph(root, "kg.ttl")
    names = [
        "ArmedGroup", "ReligiousMovement", "PoliticalParty", "Person", "Attack", "FoiledPlot", "Unrest",
        "Operation", "Repatriation", "Trial", "Designation", "Conference", "Release", "Law", "Amendment",
        "StateProgram", "InternationalResolution", "CriminalCodeArticle", "StateAgency",
        "InternationalOrganization", "NGO", "RehabilitationCenter", "University", "MediaOutlet", "Country",
        "Region", "City", "Document", "CitedWork", "Statistic", "Evidence",
    ]
    for name in names:
        assert (KG._NS[name], RDF.type, OWL.Class) in g, name


def test_reuses_standard_vocabularies_by_iri(root):
    g = _graph(root, "kg.ttl")
    supers = {str(o) for o in g.objects(None, RDFS.subClassOf)} | {str(o) for o in g.objects(None, RDFS.subPropertyOf)}
    for ns in ("http://www.w3.org/ns/prov#", "https://schema.org/", "http://www.w3.org/ns/org#",
               "http://www.w3.org/2006/time#", "http://purl.org/linked-data/cube#",
               "http://www.w3.org/2004/02/skos/core#"):
        assert any(s.startswith(ns) for s in supers), f"nothing reuses {ns}"


def test_shapes_parse_and_every_shape_has_messages(root):
    g = _graph(root, "shapes.ttl")
    shapes = set(g.subjects(RDF.type, SH.NodeShape))
    assert len(shapes) >= 8
    for prop_shape in g.objects(None, SH.property):
        assert g.value(prop_shape, SH.message), f"a property shape has no sh:message: {prop_shape}"
