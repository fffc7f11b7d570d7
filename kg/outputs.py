"""Files a command may replace: its own earlier outputs, never a file someone else wrote.

``kg build``, ``kg site``, ``kg docs`` and ``kg ingest`` each recognise their own outputs before
writing over them; :func:`check_replaceable` does the same for the single files other commands write
(``kg network -o PAGE.html --export FILE.graphml|.gexf|.json``): a path that does not exist, or a file
whose beginning carries the mark of a kzkg output, may be written; anything else is refused.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["OutputRefused", "GENERATOR", "NETWORK_MARKS", "check_replaceable"]

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

HEAD = 1 << 16


class OutputRefused(ValueError):
    """An output path that names a folder, or a file that this command did not write."""


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
        raise OutputRefused(f"{option} {path}: the folder {folder} does not exist; create it or write elsewhere")
    if path.is_dir():
        raise OutputRefused(f"{option} {path} is a folder: give a file name inside it")
    if path.exists() or path.is_symlink():
        try:
            with open(path, "rb") as fh:
                head = fh.read(HEAD).decode("utf-8", "replace")
        except OSError as exc:
            raise OutputRefused(f"{option} {path} cannot be read ({exc.strerror}), so it is not replaced: "
                                "choose another name") from None
        if not path.is_file() or not any(mark in head for mark in marks):
            raise OutputRefused(f"{option} {path} exists and was not written by kg: it is not replaced; "
                                "choose another name or move it away first")
    return path
