"""Knowledge graph of violent extremism and counterterrorism in Kazakhstan.

The package builds the graph from ``ontology/`` and ``graph/``, validates it, verifies every
evidence span against the corpus, answers SPARQL questions and draws actor networks.
"""

__version__ = "0.1.0"
