"""The one way kg builds an Aho-Corasick automaton (pyahocorasick) of names to find in text.

pyahocorasick keeps its trie as nodes one level per character and frees them recursively: a key of
about a million characters (a label pasted by mistake with a whole document in it) overflows the C
stack when the automaton is freed, and the process dies of a segmentation fault, with no message.
No name is that long, and no text names an entity by a key of more than :data:`LONGEST_KEY`
characters, so longer keys are left out of every automaton (and :mod:`kg.literals` refuses such a name in a file of the graph).
"""

from __future__ import annotations

__all__ = ["LONGEST_KEY", "automaton"]

#: The longest key put into an automaton, in characters (the longest label of the graph has about 200).
LONGEST_KEY = 1000


def automaton(pairs):
    """An ``ahocorasick.Automaton`` of ``pairs`` (``(key, value)``, keys of text), made (ready to
    ``iter``) when it holds any key. Empty keys and keys longer than :data:`LONGEST_KEY` are left
    out. Raises nothing of its own."""
    import ahocorasick

    auto = ahocorasick.Automaton()
    for key, value in pairs:
        if key and len(key) <= LONGEST_KEY:
            auto.add_word(key, value)
    if len(auto):
        auto.make_automaton()
    return auto
