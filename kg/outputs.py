"""Files a command may replace: its own earlier outputs, never a file someone else wrote.

``kg build``, ``kg site``, ``kg docs`` and ``kg ingest`` each recognise their own outputs before
writing over them; :func:`check_replaceable` does the same for the single files other commands write
(``kg network -o PAGE.html --export FILE.graphml|.gexf|.json``): a path that does not exist, or a file
whose beginning carries the mark of a kzkg output, may be written; anything else is refused.

:func:`check_not_input` is the rule of every command that writes files (``kg build --out``, ``kg site
--out``, ``kg docs --out``, ``kg ingest --out``, ``kg network -o/--export``, the fixed folders of ``kg
all``): no output lands in the project's hand-edited folders (:data:`INPUT_FOLDERS`), whatever links
the path goes through, except where the project documents it (``kg ingest`` writes drafts into
``graph/drafts/``); an output folder may not hold one of them either.

:func:`written_whole` is how such a single file is written: beside it first, then renamed over it,
so that a full disk or a stopped command leaves the previous file, never half a file.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["OutputRefused", "missing_folder", "GENERATOR", "NETWORK_MARKS", "INPUT_FOLDERS", "DRAFT_MARK", "check_replaceable", "check_not_input",
           "written_whole"]

#: The generator name written into network pages and exports (an HTML ``<meta name="generator">``,
#: a GraphML and node-link JSON graph attribute).
GENERATOR = "kzkg kg network"

#: What the first bytes of each kind of network output hold when kzkg wrote it (pages and exports
#: written before the generator mark was added are recognised by what only they hold).
NETWORK_MARKS = {
    ".html": (GENERATOR, "vis-network"),
    ".htm": (GENERATOR, "vis-network"),
    ".graphml": (GENERATOR, 'attr.name="documents"'),
    ".gexf": ("<creator>NetworkX",),
    ".json": (GENERATOR, '"links"'),
}

#: The first words of every draft ``kg ingest`` writes (:func:`kg.ingest_write.write_draft`).
DRAFT_MARK = "# Draft of document"

HEAD = 1 << 16

#: The folders of a project (and of the checkout kg runs from) that hold hand-edited files: inputs
#: of the build, questions, code and tests. No command writes into them but where it is documented.
INPUT_FOLDERS = ("ontology", "graph", "queries", "kg", "tests")

#: The checkout kg runs from: its hand-edited folders (code, questions, tests) are guarded whatever ``--root`` says.
CHECKOUT = Path(__file__).resolve().parent.parent


class written_whole:
    """``with written_whole(path) as tmp:`` the block writes ``tmp`` (a new name in the folder of
    ``path``), which then replaces ``path`` in one rename; if the block raises (a full disk:
    ``OSError``; Ctrl-C), ``tmp`` is removed and ``path`` is left as it was. Raises what the block
    raises, or the ``OSError`` of the rename."""

    def __init__(self, path: str | Path):
        import os

        self.path = Path(path)
        self.tmp = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")

    def __enter__(self) -> Path:
        return self.tmp

    def __exit__(self, kind, exc, tb) -> None:
        import os

        if kind is None:
            try:
                os.replace(self.tmp, self.path)
                return
            except OSError:
                self.tmp.unlink(missing_ok=True)
                raise
        self.tmp.unlink(missing_ok=True)


class OutputRefused(ValueError):
    """An output path that names a folder, or a file that this command did not write."""


def missing_folder(folder: Path) -> str:
    """Why ``folder`` cannot take a file, for a message: it does not exist (create it), or a file (or a
    link to nothing) stands at it or at a folder on its way, which creating it would not get past.

    >>> missing_folder(Path("/nonexistent-kzkg/out"))
    'the folder /nonexistent-kzkg/out does not exist; create it or write elsewhere'
    """
    for part in (folder, *folder.parents):
        if part.is_dir():
            break
        if part.exists() or part.is_symlink():
            kind = "a file" if part.exists() else "a link to nothing"
            return f"{part} is {kind}, not a folder; name a folder, or move it away"
    return f"the folder {folder} does not exist; create it or write elsewhere"


def check_replaceable(path: str | Path, marks: tuple[str, ...], option: str) -> Path:
    """Check that ``path`` may be written: it does not exist, or it is a file whose first 64 KB hold one
    of ``marks`` (an earlier output); its folder must exist.

    Returns the path. Raises :class:`OutputRefused` (one line naming ``option`` and what to do) when
    the path is empty, names a folder, sits in a folder that does not exist, or names a file written
    by someone else (or that cannot be read).
    """
    if not str(path).strip():
        raise OutputRefused(f"{option} is empty: give a file name")
    path = Path(path).expanduser()
    folder = path.resolve().parent
    if not folder.is_dir():
        raise OutputRefused(f"{option} {path}: {missing_folder(folder)}")
    if path.is_dir():
        raise OutputRefused(f"{option} {path} is a folder: give a file name inside it")
    if path.exists() or path.is_symlink():
        from kg.inputs import InputError, read_head

        try:  # a regular file only: opening a FIFO found there would wait forever
            head = read_head(path, HEAD).decode("utf-8", "replace")
        except InputError as exc:
            raise OutputRefused(f"{option}: {exc}; it is not replaced: choose another name") from None
        if not any(mark in head for mark in marks):
            raise OutputRefused(f"{option} {path} exists and was not written by kg: it is not replaced; "
                                "choose another name or move it away first")
    return path


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_not_input(path: str | Path, root: str | Path, option: str, *, folder: bool = False,
                    allowed: tuple[str, ...] = ()) -> Path:
    """Check that the output ``path`` (a file, or with ``folder`` a folder the command fills) lies in none
    of the hand-edited folders (:data:`INPUT_FOLDERS`) of the project at ``root`` or of the checkout.

    The path is taken as the operating system will write it: every link followed, so a link that
    leads into ``graph/`` is refused like ``graph/`` itself. ``allowed`` names folders relative to
    ``root`` where this command writes by design (``("graph/drafts",)`` for ``kg ingest``); a link
    leading elsewhere from there is still refused. With ``folder``, a folder that holds one of the
    guarded folders (the project itself, or one above it) is refused too.

    Returns the path. Raises :class:`OutputRefused` (one line naming ``option``, the folder and what
    to do).
    """
    import os

    path = Path(path).expanduser()
    literal = Path(os.path.abspath(path))
    written = path.resolve()
    roots = dict.fromkeys([Path(root).absolute(), Path(root).resolve(), CHECKOUT])
    for base in roots:
        for name in allowed:  # a documented place, unless it is itself a link (graph/drafts -> ../ontology)
            place = (base / name).resolve()
            if place == (base / name).parent.resolve() / Path(name).name and _within(written, place):
                return path
    for base in roots:
        for name in INPUT_FOLDERS:
            guarded = {base / name, (base / name).resolve()}
            if any(_within(written, g) for g in guarded):
                how = "is inside" if any(_within(literal, g) for g in guarded) else f"leads (through a link, to {written}) into"
                where = f"{' or '.join(a + '/' for a in allowed)}" if allowed else "build/"
                raise OutputRefused(f"{option} {path} {how} {name}/ of the project, which holds hand-edited files; "
                                    f"write it into {where} or a folder outside the project")
            if folder and any(_within(g, written) for g in guarded if g.exists()):
                raise OutputRefused(f"{option} {path} holds {name}/ of the project, which holds hand-edited files; "
                                    "choose a folder of its own, such as build/")
    return path
