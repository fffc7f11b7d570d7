"""Candidate events, acts and programs for ``kg ingest``: a cue word of a kind of event in a sentence.

Each cue (attack, shootout, detonation, arrest, repatriation, trial, riot, exercise, law, ban,
program ...) proposes one candidate of its class per sentence. Where a place and a date are found in
the same sentence (or, failing that, the sentence before), the candidate carries them as the
statements a curator records (``kg:place``, ``kg:date``) and is labelled from its class and them
("attack in Almaty (July 2020)"), as curators label events.
"""

from __future__ import annotations

import re

__all__ = ["EVENT_CLASSES", "EVENT_CUES", "EVENT_NOUNS", "event_cues", "event_label", "placed"]

#: (pattern, class): one candidate of the class per sentence that holds the pattern (lower case).
EVENT_CUES = [
    ((r"\b(attacks?|attacked|bombings?|bombs?|bomber|explosions?|explosive devices?|detonat\w*|shootings?|shootouts?|"
     r"gunfights?|hostages?|stabbings?|assaults?|killed)\b"), "kg:Attack"),
    (r"\b(plots?|foiled|prevented|thwarted|disrupted)\b", "kg:FoiledPlot"),
    ((r"\b(arrest\w*|detain\w*|raids?|operations?|repatriat\w*|returned|deport\w*|block(?:ed|ing)?|banned|withdraw\w*|"
     r"pullout|expelled|expulsion|driven out|evacuat\w*|crackdown|taken down|takedown|shut down)\b"), "kg:Operation"),
    (r"\b(trials?|sentenced|sentences?|convicted|charged|prosecut\w*|court|fined|investigat\w*)\b", "kg:Trial"),
    (r"\b(protests?|protesters|riots?|rioting|unrest|demonstrations?|clashes|upheavals?|uprisings?)\b", "kg:Unrest"),
    (r"\b(conferences?|summits?|forums?|meetings?|exercises?|drills?|trainings?)\b", "kg:Conference"),
    (r"\b(videos?|released|published|broadcast|aired)\b", "kg:Release"),
    (r"\b(designat\w*|listed as|declared|recogni[sz]ed as)\b", "kg:Designation"),
    ((r"\b(laws?|legislation|codes?|amend\w*|decrees?|resolutions?|adopted|passed|statutes?|bills?|bans?|banning|"
     r"prohibit\w*|illegal|regulations?|provisions?|propos\w*)\b"), "kg:LegalAct"),
    ((r"\b(programs?|programmes?|strateg(?:y|ies)|plans?|polic(?:y|ies)|initiatives?|projects?|campaigns?|funding|"
     r"funded|budgets?|measures|monitoring|cooperation)\b"),
     "kg:Program"),
    (r"\b(wars?|conflicts?|insurgency|fighting|civil war)\b", "kg:Conflict"),
]
EVENT_CLASSES = {cls for _, cls in EVENT_CUES}
_CUES = [(re.compile(p), cls) for p, cls in EVENT_CUES]
_PLACED = {"kg:Attack", "kg:FoiledPlot", "kg:Operation", "kg:Trial", "kg:Unrest", "kg:Conference"}


def event_cues(sentence: str):
    """``(start, end, class)`` of the first cue of each class in ``sentence`` (offsets in it)."""
    low = sentence.lower()
    for pattern, cls in _CUES:
        m = pattern.search(low)
        if m:
            yield m.start(), m.end(), cls


#: The noun a proposed event's label starts with, by class.
EVENT_NOUNS = {"kg:Attack": "attack", "kg:FoiledPlot": "foiled plot", "kg:Operation": "operation", "kg:Trial": "trial",
               "kg:Unrest": "unrest", "kg:Conference": "meeting"}


def event_label(cls: str, place: str | None, date: str | None) -> str | None:
    """A curator's label for an event of class ``cls`` from its place and date ("attack in Almaty
    (July 2020)"), or ``None`` without a place."""
    if not place:
        return None
    return f"{EVENT_NOUNS.get(cls, cls.split(':')[-1].lower())} in {place}" + (f" ({date})" if date else "")


def placed(cls: str) -> bool:
    """Whether an event of class ``cls`` is given a place and date when the sentence has them."""
    return cls in _PLACED
