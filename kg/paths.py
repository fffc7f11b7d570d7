"""Where each folder of a project is, from the one project a command runs on.

A command runs on one project: the folder given with ``--root``, else the checkout kg runs from
(:data:`CHECKOUT`). ``kg.cli`` names it once (:func:`use`, when it reads ``--root``) and
:func:`kg.build.build` for its own run (:func:`using`); every folder kg derives is then asked here,
so that none is taken from the checkout behind the user's back:

* ``queries/`` (the named questions) and ``queries/checks/`` (the quality checks): the project's,
  or the checkout's when the project has no ``queries/`` folder (a project of ``ontology/`` and
  ``graph/`` alone asks the questions kg ships);
* ``build/`` (outputs, the store, the names cache beside it): always the project's;
* the default corpus, ``../shared/corpus``: beside the project first, then beside the current folder.

``ontology/`` (with ``shapes.ttl``) and ``graph/`` are always the project's (:func:`kg.load.find_files`).
The templates and scripts of the site (``kg/templates``, ``kg/static``) are part of kg, not of a
project. Raises nothing.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["CHECKOUT", "root", "use", "using", "queries_dir", "checks_dir", "build_dir", "corpus_candidates"]

#: The checkout kg runs from (the folder of ``pyproject.toml``).
CHECKOUT = Path(__file__).resolve().parent.parent
_project: Path | None = None  # the project of the running command: a plain global, seen by its threads too


def root() -> Path:
    """The project the running command works on: the one named by :func:`use`, else :data:`CHECKOUT`."""
    return _project or CHECKOUT


def use(project: str | Path | None) -> None:
    """Make ``project`` (a folder; ``None``: the checkout) the project of the running command."""
    global _project
    _project = Path(project).resolve() if project is not None else None


class using:
    """``with using(project):`` :func:`use` ``project`` in the block, then the project named before."""

    def __init__(self, project: str | Path | None):
        self.project, self.before = project, None

    def __enter__(self) -> Path:
        self.before = _project
        use(self.project)
        return root()

    def __exit__(self, *exc) -> None:
        use(self.before)


def queries_dir(project: str | Path | None = None) -> Path:
    """The named questions of ``project`` (default: :func:`root`): its ``queries/`` folder, or the
    checkout's when it has none."""
    base = Path(project) if project is not None else root()
    own = base / "queries"
    return own if own.is_dir() or own.is_symlink() else CHECKOUT / "queries"


def checks_dir(project: str | Path | None = None) -> Path:
    """The quality checks of ``project``: ``checks/`` of its :func:`queries_dir`."""
    return queries_dir(project) / "checks"


def build_dir(project: str | Path | None = None) -> Path:
    """The generated folder of ``project`` (default: :func:`root`): its ``build/``."""
    return (Path(project) if project is not None else root()) / "build"


def corpus_candidates() -> list[Path]:
    """The folders the corpus is looked for in when none is given: ``../shared/corpus`` beside the
    project, then beside the current folder (in this order, without repeats)."""
    bases = [root()]
    try:
        bases.append(Path.cwd())
    except OSError:  # the current folder was removed: only the project's
        pass
    return list(dict.fromkeys(base.parent / "shared" / "corpus" for base in bases))
