"""The duplicates check: one class, similar names, overlapping dates and places, unless owl:differentFrom."""

from __future__ import annotations

from rdflib import Dataset

from kg.duplicates import find_duplicates
from kg.namespaces import turtle_prefixes

DATA = turtle_prefixes() + """
place:almaty a kg:City ; skos:prefLabel "Almaty" ; schema:containedInPlace place:kz .
place:aktobe a kg:City ; skos:prefLabel "Aktobe" ; schema:containedInPlace place:kz .
place:kz a kg:Country ; skos:prefLabel "Kazakhstan" .
event:a1 a kg:Attack ; skos:prefLabel "Almaty shooting" ; kg:date "2016-07-18"^^xsd:date ; kg:place place:almaty .
event:a2 a kg:Attack ; skos:prefLabel "Almaty shootings" ; kg:date "2016"^^xsd:gYear ; kg:place place:kz .
event:a3 a kg:Attack ; skos:prefLabel "Almaty shooting" ; kg:date "2011"^^xsd:gYear .
event:a4 a kg:Attack ; skos:prefLabel "Almaty shooting (July 2016)" ; kg:place place:aktobe .
group:x a kg:ArmedGroup ; skos:prefLabel "Almaty shooting" .
law:art-256 a kg:CriminalCodeArticle ; skos:prefLabel "Criminal Code, article 256" .
law:art-257 a kg:CriminalCodeArticle ; skos:prefLabel "Criminal Code, article 257" .
organization:ktk a kg:MediaOutlet ; skos:prefLabel "KTK" ; skos:altLabel "Kazakh Telegraph Channel" .
organization:ktk2 a kg:MediaOutlet ; skos:prefLabel "Kazakh Telegraph Chanel" .
organization:ktk3 a kg:MediaOutlet ; skos:prefLabel "Kazakh Telegraph Channels" .
organization:ktk3 owl:differentFrom organization:ktk .
"""


def test_likely_duplicates():
    ds = Dataset()
    ds.default_graph.parse(data=DATA, format="turtle")
    found = [(d.a.rsplit("/", 1)[-1], d.b.rsplit("/", 1)[-1], d.score) for d in find_duplicates(ds)]
    # a1/a3: years apart; a2/a4: Aktobe is not in Almaty; a1/a4: the qualifier; group:x: another class;
    # article 256/257: two numbers; ktk/ktk3: checked different
    assert found == [("a1", "a2", 96), ("ktk", "ktk2", 97), ("ktk2", "ktk3", 95)]


def test_real_graph_duplicates_are_warned(built):
    assert [w for w in built.warnings if w.startswith("likely duplicates: ")] == [
        f"likely duplicates: {d.describe()}" for d in built.duplicates]
