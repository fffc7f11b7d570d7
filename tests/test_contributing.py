"""The recipes of CONTRIBUTING.md work from a clean clone: their commands and files are run as written.

The tracked files of the project are copied to a temporary folder (a clean clone: no build/, no
venv), next to a ``shared/corpus`` (the real corpus when present, else an empty folder). Every
block of CONTRIBUTING.md's worked examples is then applied in order: each line of an ``sh`` block is
run by bash in the copy, with ``kg`` and ``python`` running the copy's code; a block after "File `PATH`:" is
written to PATH, one after "At the end of `PATH`:" is appended to it. If documents were added since
the guide was written, the id ``005`` is replaced by the next free id, as the guide says to do.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.sources import next_id

FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```", re.S | re.M)
GUIDE_ID = "005"


def blocks(guide: str):
    """The worked-example blocks of the guide, in order: (kind, path or None, text)."""
    found = []
    for m in FENCE.finditer(guide):
        lang, body = m.group(1), m.group(2)
        before = guide[:m.start()].rstrip().splitlines()[-1] if guide[:m.start()].strip() else ""
        target = re.fullmatch(r"(File|At the end of) `([^`]+)`:", before.strip())
        if target:
            found.append(("write" if target.group(1) == "File" else "append", target.group(2), body))
        elif lang == "sh":
            found.append(("run", None, body))
    return found


@pytest.fixture(scope="module")
def clone(tmp_path_factory, root):
    """A copy of the tracked files of the project, a corpus beside it, and a bin/ with ``kg``."""
    base = tmp_path_factory.mktemp("clone")
    project = base / "kzkg"
    listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True)
    names = [n for n in listed.stdout.decode().split("\0") if n] if listed.returncode == 0 else []
    if "CONTRIBUTING.md" not in names:
        pytest.skip("not a git checkout with its files tracked: the clean clone is made from git ls-files")
    for name in names:
        if (root / name).is_file():
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / name, project / name)
    (base / "shared").mkdir()
    real = root.parent / "shared" / "corpus"
    if real.is_dir():
        (base / "shared" / "corpus").symlink_to(real)
    else:
        (base / "shared" / "corpus").mkdir()
    bindir = base / "bin"
    bindir.mkdir()
    for name, command in (("kg", f'"{sys.executable}" -m kg'), ("python", f'"{sys.executable}"')):
        (bindir / name).write_text(f'#!/bin/sh\nexec {command} "$@"\n', encoding="utf-8")
        (bindir / name).chmod(0o755)
    return project


def run(project, script, exports):
    env = {k: v for k, v in os.environ.items() if k != "KG_CORPUS"}
    env.update(PATH=f"{project.parent / 'bin'}{os.pathsep}{env.get('PATH', '')}", PYTHONPATH=str(project))
    proc = subprocess.run(["bash", "-e", "-c", "\n".join(exports + [script])], cwd=project, env=env,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"{script}\nexit {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout, proc.stderr


def test_the_three_recipes_run_from_a_clean_clone(clone, root):
    guide = (root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    steps = blocks(guide)
    assert [k for k, _, _ in steps].count("write") >= 4 and any(k == "append" for k, _, _ in steps)
    doc = next_id(clone)
    assert not (clone / "build").exists()
    exports, outputs = [], []
    for kind, path, text in steps:
        text = text.replace(GUIDE_ID, doc)
        if kind == "run":
            for command in filter(None, (line.strip() for line in text.splitlines())):
                if command.startswith("export "):
                    exports.append(command)
                outputs.append((command, *run(clone, command, exports)))
            continue
        target = (clone / path.replace(GUIDE_ID, doc)).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        if kind == "append":
            with target.open("a", encoding="utf-8") as f:
                f.write("\n" + text)
        else:
            target.write_text(text, encoding="utf-8")
    by_command = {command: (out, err) for command, out, err in outputs}

    def out(prefix):
        return next(o for cmd, (o, _) in by_command.items() if cmd.startswith(prefix))

    # 1. the document is registered, its span verified, and it shows in the coverage
    assert any(o.strip() == doc for _, o, _ in outputs), "kg add-source did not print the id"
    located = out(f"kg locate {doc}")
    shown = re.search(r"```text\n(ev:d\d{3}-\d+-\d+ .*)\n```", guide).group(1).replace(GUIDE_ID, doc)
    assert located.splitlines()[0] == shown
    coverage = out("kg query coverage-documents -f tsv")
    assert re.search(rf"^{doc}\s+Example field notes\s+1\s+\d+\s+\d+$", coverage, re.M), coverage
    assert "Steppe Prevention Forum" in out("kg query entity-statements")
    # 2. the new class is documented, used and counted
    docs = (clone / "build" / "docs" / "index.html").read_text(encoding="utf-8")
    block = docs[docs.index("<code>https://w3id.org/kzkg/ontology#Training</code>"):]
    assert "1 in the built graph" in block[:block.index("</table>")]
    # 3. the new question answers, and its broken form is refused with the message the guide shows
    answer = out("kg query trainings")
    assert "Seminar on online recruitment in Karaganda (March 2024)" in answer and "(1 row" in answer
    query = clone / "queries" / "trainings.rq"
    # the guide says a question with an unclosed '#+ if' block is refused when read, naming its file
    assert "left without its `#+ end`" in guide
    query.write_text(query.read_text(encoding="utf-8").replace("  #+ end\n", "", 1), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(clone))
    proc = subprocess.run([sys.executable, "-m", "kg", "queries"], cwd=clone, env=env, capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"kg: error: {clone.resolve() / 'queries' / 'trainings.rq'}") and "#+ if place" in proc.stderr, \
        proc.stderr
