"""The ontology and the shapes: they parse, and every term is one documented block."""

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


def test_every_own_term_has_label_and_definition(root):
    g = _graph(root, "kg.ttl")
    own = {s for s in g.subjects(RDFS.isDefinedBy, URIRef(str(KG._NS)))}
    assert len(own) > 100
    for term in own:
        assert g.value(term, RDFS.label) or g.value(term, SKOS.prefLabel), f"{term} has no label"
        assert g.value(term, SKOS.definition), f"{term} has no skos:definition"


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
