"""Builds that cannot collide or lie: a lock, outputs replaced together, staleness by content.

* :func:`build_lock` takes an exclusive ``fcntl`` lock on ``<out>/.kg-build.lock``; a second build
  says that it waits and waits (or, with ``wait=False``, refuses).
* :func:`write_together` writes every output to a temporary file beside it, then renames them all
  and writes the manifest last. A failed write (an unwritable folder, a full disk) removes the
  temporary files and leaves the previous outputs whole; a build killed between the renames leaves
  no manifest, so the next query rebuilds.
* The manifest ``<out>/kg-build.json`` records the SHA-256 of every input file and of every output:
  :func:`stale_reason` notices a changed, added or deleted input, whatever the file times say. It
  records each input's size and modification time too (taken before the hashes): an input whose
  size and time are those recorded is not read again (as for ``kg.nq``), so that a query reads no
  input file to know that the build is current; any other is hashed and compared.
* :func:`check_out_dir` refuses an ``--out`` that is a file, or a folder holding files of the
  output names that no build wrote.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import sys
from pathlib import Path

from kg.load import InputError

__all__ = ["MANIFEST", "LOCK", "build_lock", "sweep_leftovers", "BuildBusy", "input_hashes", "stale_reason", "write_together",
           "check_out_dir", "read_manifest"]

MANIFEST = "kg-build.json"
LOCK = ".kg-build.lock"


class BuildBusy(InputError):
    """Another build holds the lock and this one was told not to wait."""


@contextlib.contextmanager
def build_lock(out: Path, wait: bool = True, say=None):
    """Hold the build lock of the folder ``out`` (created if needed) for the ``with`` block.

    A held lock makes this call print a line (through ``say``, default standard error) and wait, or
    raise :class:`BuildBusy` when ``wait`` is false. Raises :class:`InputError` when ``out`` cannot be
    created or written.
    """
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle = open(out / LOCK, "a+")
    except OSError as exc:
        raise InputError(f"cannot write to {out}: {exc.strerror}; choose another folder with --out or fix its "
                         "permissions") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise BuildBusy(f"another kg build is writing {out}; try again when it has finished") from None
            from kg.output import one_line

            (say or (lambda m: print(m, file=sys.stderr, flush=True)))(
                f"kg: another kg build is writing {one_line(out)}; waiting for it to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        sweep_leftovers(out)
        yield
    finally:
        if created and [p.name for p in out.iterdir()] == [LOCK]:  # a failed first build leaves nothing behind
            with contextlib.suppress(OSError):
                (out / LOCK).unlink()
                out.rmdir()
        handle.close()


_LEFTOVER = re.compile(r"^(?:\..+\.(?:part|tmp)|store\.tmp)-(\d+)$")


def sweep_leftovers(out: Path) -> list[str]:
    """Remove what builds killed before their end left in ``out`` and ``out/.cache``: the temporary
    files and store folders named ``….part-PID``, ``….tmp-PID`` (``store.tmp-PID``) of processes that
    no longer run. Called with the build lock held, so no running build owns them; a process that
    still runs keeps its files. Returns the names removed; raises nothing.
    """
    import shutil

    removed = []
    for folder in (out, out / ".cache"):
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for path in entries:
            match = _LEFTOVER.match(path.name)
            if not match or _alive(int(match.group(1))):
                continue
            with contextlib.suppress(OSError):
                shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
                removed.append(path.name)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid < 2**31  # another user's process holds that number
    return True


def _sha256(path: Path) -> str:
    import hashlib  # not imported by a query whose inputs are unchanged

    import stat

    digest = hashlib.sha256()
    # opened without blocking, and hashed only when a regular file: a FIFO among the inputs would wait forever
    with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise OSError(f"{path} is not a regular file")
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _input_files(root: Path) -> list[Path]:
    """Every input the build reads (ontology, graph, checks), found by glob: no file is read."""
    from kg.load import find_files, inside_files

    paths = [path for path, _ in find_files(root)]  # a link leading outside the project is refused, not read
    from kg.paths import checks_dir

    checks = checks_dir(root)  # (the checkout's when the project has no queries/: kg.paths)
    if checks.is_dir():
        paths += inside_files(sorted(checks.glob("*.rq")), checks.parent.parent)
    return paths


def input_stats(root: Path) -> dict[str, list[int]]:
    """``{path relative to root: [size, mtime_ns]}`` of every input the build reads."""
    out = {}
    for path in _input_files(root):
        try:
            stat = path.stat()
            out[_key(path, root)] = [stat.st_size, stat.st_mtime_ns]
        except OSError:
            continue
    return out


def input_hashes(root: Path, only: set[str] | None = None) -> dict[str, str]:
    """``{path relative to root: sha256}`` of every input the build reads (ontology, graph, checks), or of
    those of them named in ``only``."""
    out = {}
    for path in _input_files(root):
        if only is not None and _key(path, root) not in only:
            continue
        try:
            out[_key(path, root)] = _sha256(path)
        except OSError:
            out[_key(path, root)] = "unreadable"
    return out


def _key(path: Path, root: Path) -> str:
    """How the manifest names an input: relative to ``root``, or whole when it is not in the project (the
    checks of the checkout, for a project without queries/: :func:`kg.paths.checks_dir`)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_manifest(out: Path) -> dict | None:
    """The manifest of the build folder ``out``, or ``None`` when it is missing or damaged."""
    try:
        from kg.inputs import read_text

        data = json.loads(read_text(out / MANIFEST, error=OSError))  # a FIFO put there is damage, not a wait
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("inputs"), dict) else None


def stale_reason(root: Path, out: Path | None = None) -> str | None:
    """Why the build in ``out`` (default ``root/build``) does not reflect the inputs, or ``None``."""
    out = out or root / "build"
    manifest = read_manifest(out)
    if manifest is None or not (out / "kg.nq").is_file():  # a FIFO or folder there is no built graph either
        return "the built graph is missing"
    if manifest.get("only"):
        return "the last build loaded only some files (--only)"
    recorded, stats = manifest["inputs"], manifest.get("input_stats") or {}
    found = {_key(path, root): path for path in _input_files(root)}
    changed = set()  # inputs whose size or time is not the one recorded: those are hashed
    for name, path in found.items():
        try:
            stat = path.stat()
        except OSError:
            changed.add(name)
            continue
        if stats.get(name) != [stat.st_size, stat.st_mtime_ns]:
            changed.add(name)
    now = {name: recorded.get(name) for name in found} | input_hashes(root, changed)
    for name in sorted(set(recorded) | set(now)):
        if name not in now:
            return f"{name} was deleted"
        if name not in recorded:
            return f"{name} was added"
        if recorded[name] != now[name]:
            return f"{name} changed"
    nq = manifest.get("outputs", {}).get("kg.nq")
    if nq:
        stat = (out / "kg.nq").stat()
        if (stat.st_size, stat.st_mtime_ns) != (nq.get("size"), nq.get("mtime_ns")) and _sha256(out / "kg.nq") != nq.get("sha256"):
            return "build/kg.nq is not the file the build wrote"
    return None


def check_out_dir(out: Path, root: Path, names) -> None:
    """Refuse an output folder that is a file, or holds files of the output ``names`` no build wrote.

    The default ``root/build`` is the project's own generated folder and is always accepted.
    Raises :class:`InputError`.
    """
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file, not a folder; kg build writes several files: name a folder")
    if not out.is_dir() or out.resolve() == (root / "build").resolve():
        return
    manifest = read_manifest(out) or {}
    written = set(manifest.get("outputs", {}))
    foreign = [name for name in names if (out / name).exists() and name not in written]
    if foreign:
        raise InputError(f"--out {out} already holds {', '.join(foreign)}, which kg build did not write; "
                         "choose an empty folder or remove them")


def write_together(out: Path, writers: dict, root: Path | None = None, only=None) -> list[Path]:
    """Write every output, then rename them into place together; return their paths.

    ``writers`` maps a file name in ``out`` to a function taking the temporary path to write. On any
    ``OSError`` the temporary files are removed, the previous outputs are left as they were, and
    :class:`InputError` says what went wrong (``No space left on device``, ``Permission denied``).
    """
    temps: dict[str, Path] = {}
    try:
        for name, write in writers.items():
            tmp = out / f".{name}.tmp-{os.getpid()}"
            temps[name] = tmp
            tmp.unlink(missing_ok=True)  # a link of that name would have the output written through it
            write(tmp)
        outputs = {name: {"sha256": _sha256(tmp), "size": tmp.stat().st_size} for name, tmp in temps.items()}
        stats = input_stats(root) if root else {}  # before the hashes: a file changed between them is hashed again
        manifest = {"inputs": input_hashes(root) if root else {}, "input_stats": stats, "outputs": outputs,
                    "only": list(only or [])}
        for name, tmp in temps.items():
            outputs[name]["mtime_ns"] = tmp.stat().st_mtime_ns  # kept by the rename
        manifest_tmp = out / f".{MANIFEST}.tmp-{os.getpid()}"
        temps[MANIFEST] = manifest_tmp
        manifest_tmp.unlink(missing_ok=True)
        manifest_tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        with contextlib.suppress(FileNotFoundError):
            (out / MANIFEST).unlink()  # from here until the manifest is back, the build counts as missing
        for name, tmp in temps.items():
            if name != MANIFEST:
                tmp.replace(out / name)
        manifest_tmp.replace(out / MANIFEST)
    except BaseException as exc:  # an error, or Ctrl-C / SIGTERM (KeyboardInterrupt) while writing: no temporary left
        for tmp in temps.values():
            with contextlib.suppress(OSError):
                tmp.unlink()
        if not isinstance(exc, OSError):
            raise
        reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise InputError(f"cannot write the build outputs to {out}: {reason}; the previous outputs are unchanged") from None
    return [out / name for name in writers]
