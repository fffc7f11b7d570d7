"""Reading one input file: a regular file, of a bounded size, unchanged while read, UTF-8.

Every file kg reads as input (``ontology/``, ``graph/``, ``queries/``, ``queries/checks/``, the
corpus documents, ``kg sparql --file``, ``kg add-source FILE``) is read through :func:`read_bytes`
or :func:`read_text`, so that what is not a plain file never hangs or crashes a command:

* a named pipe (FIFO), a socket, a device or a folder found by a glob (``x.ttl/``) is refused by
  its type before it is opened, and again after (``fstat`` of the opened file: it cannot be swapped
  in between); opening never blocks (``O_NONBLOCK``);
* a file larger than ``limit`` bytes is refused before it is read;
* a file whose size or modification time changes while it is read is refused (run again once it is
  saved), and so is a file removed between being listed and opened;
* a file that cannot be read (permissions) or is not UTF-8 is one line naming it (and the line).

Every refusal is one line naming the path and saying what to do, raised as ``error`` (default
:class:`InputError`), so that each caller keeps its own kind of error (and exit code).

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "x.ttl"
>>> _ = path.write_bytes(b"\\xef\\xbb\\xbfok")
>>> read_text(path)
'ok'
"""

from __future__ import annotations

import os
import stat

__all__ = ["InputError", "MAX_INPUT_BYTES", "read_bytes", "read_text", "read_head", "kind_of", "not_a_file", "error_lines", "decode",
           "unlisted", "check_listable"]

#: Largest input file read (the biggest curated file is well under 1 MB, a corpus document a few MB).
MAX_INPUT_BYTES = 64 * 1024 * 1024
#: Seconds a pipe given on the command line (``--file <(...)``) may take to send each block.
PIPE_WAIT = 10.0
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


class InputError(Exception):
    """An input file is missing, not a regular file, too large, changing, unreadable or malformed;
    the message (one line per file) names it and says what to do."""


def error_lines(messages) -> str:
    """``messages`` joined one per line, a line break or other control character inside one (a file
    named ``a\\nb.ttl``) escaped as ``\\n``: each line is one error, as the command line prints them."""
    import re

    return "\n".join(re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m.group())[1:-1], str(m)) for m in messages)


def unlisted(folder) -> str:
    """The one-line refusal of a folder that cannot be listed: a glob skips it silently, and the
    command would go on without its files."""
    return (f"{folder} cannot be listed (permission denied), so its files would be left out unread: give this "
            "user read and search permission (chmod u+rx)")


def check_listable(folder, error: type[Exception] = InputError):
    """``folder`` when it is not a folder (nothing to list) or can be listed; else ``error`` (:func:`unlisted`)."""
    if os.path.isdir(folder) and not os.access(folder, os.R_OK | os.X_OK):
        raise error(unlisted(folder))
    return folder


def kind_of(mode: int) -> str:
    """What a file of ``st_mode`` ``mode`` is, in words (``"a folder"``, ``"a named pipe (FIFO)"``...);
    ``"a file"`` for a regular file."""
    return next((words for test, words in _KINDS if test(mode)), "a file" if stat.S_ISREG(mode) else "not a file")


def not_a_file(path, mode: int) -> str:
    """The one-line refusal of ``path``, whose ``st_mode`` is ``mode`` and which is not a regular file."""
    what = kind_of(mode)
    if what == "a folder":
        return (f"{path} is a folder, not a file: kg reads only regular files here; rename the folder "
                "or move it out")
    return (f"{path} is {what}, not a regular file: kg reads only regular files (reading {what.split(' (')[0]} "
            "could wait forever); put a regular file there, or name one")


def _os_message(path, exc: OSError) -> str:
    import errno

    if exc.errno == errno.ENOENT:
        return f"{path} is not a file: nothing is there (removed or renamed?); check the name and run again"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"{path} cannot be read (permission denied): give this user read permission (chmod u+r)"
    if exc.errno == errno.ELOOP:
        return f"{path} is a link that leads to itself: replace it with the file"
    if exc.errno == errno.EISDIR:
        return not_a_file(path, stat.S_IFDIR)
    return f"{path} cannot be read: {exc.strerror or exc}"


def _changed(path) -> str:
    return (f"{path} changed while kg read it (it is being written or replaced): run the command again once "
            "the file is saved")


def _open(path, error, pipes: bool = False) -> tuple[int, os.stat_result]:
    """A descriptor of ``path`` opened without blocking, and its ``fstat``: a regular file (or, with
    ``pipes``, a pipe), the one the name led to when checked; else ``error`` with one line."""
    try:
        before = os.stat(path)
        if not (stat.S_ISREG(before.st_mode) or (pipes and stat.S_ISFIFO(before.st_mode))):
            raise error(not_a_file(path, before.st_mode))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise error(_os_message(path, exc)) from None
    try:
        opened = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise error(_os_message(path, exc)) from None
    if (opened.st_dev, opened.st_ino) != (before.st_dev, before.st_ino):  # swapped between the check and the open
        os.close(fd)
        raise error(_changed(path))
    return fd, opened


def read_bytes(path, *, limit: int = MAX_INPUT_BYTES, error: type[Exception] = InputError,
               pipes: bool = False) -> bytes:
    """The bytes of the regular file ``path`` (followed if a link), read in one consistent state.

    ``limit`` is the largest size read; ``error`` the exception class raised, with one line naming
    the path and what to do, when the file is missing, not a regular file (with ``pipes``, a pipe
    given on the command line is read too, waiting at most :data:`PIPE_WAIT` seconds per block),
    larger than ``limit``, unreadable, or changed while read.
    """
    fd, opened = _open(path, error, pipes)
    try:
        if stat.S_ISFIFO(opened.st_mode):
            return _read_pipe(fd, path, limit, error)
        if opened.st_size > limit:
            raise error(f"{path} is {opened.st_size / 2**20:.0f} MB, more than the {limit / 2**20:.0f} MB kg reads "
                        "from one file: split it into smaller files")
        chunks, size = [], 0
        while size <= opened.st_size:  # one byte past the size seen at open tells a file still growing
            chunk = os.read(fd, min(1 << 20, opened.st_size + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        after = os.fstat(fd)
    except OSError as exc:
        raise error(_os_message(path, exc)) from None
    finally:
        os.close(fd)
    if size != after.st_size or (after.st_size, after.st_mtime_ns) != (opened.st_size, opened.st_mtime_ns):
        raise error(_changed(path))
    return b"".join(chunks)


def read_head(path, size: int = 1 << 16, *, error: type[Exception] = InputError) -> bytes:
    """The first ``size`` bytes of the regular file ``path``: what a command reads of a file it is
    about to replace, to see whether it wrote it. A FIFO, socket, device or folder there raises
    ``error`` (one line) instead of blocking, as does a file that cannot be read."""
    fd, _ = _open(path, error)
    try:
        return os.read(fd, size)
    except OSError as exc:
        raise error(_os_message(path, exc)) from None
    finally:
        os.close(fd)


def _read_pipe(fd: int, path, limit: int, error) -> bytes:
    """Everything a pipe sends until its writer closes it (none: nothing), each block within PIPE_WAIT s."""
    import select

    chunks, size = [], 0
    while True:
        ready, _, _ = select.select([fd], [], [], PIPE_WAIT)
        if not ready:
            raise error(f"{path} is a pipe that sent nothing for {PIPE_WAIT:g} s: give a file, or the text itself")
        try:
            chunk = os.read(fd, 1 << 16)
        except BlockingIOError:
            continue
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise error(f"{path} sent more than the {limit / 2**20:.0f} MB kg reads from one input: give a smaller one")


def read_text(path, *, limit: int = MAX_INPUT_BYTES, error: type[Exception] = InputError, pipes: bool = False,
              bom: bool = True) -> str:
    """The text of ``path`` (see :func:`read_bytes`), decoded as UTF-8 (a leading byte-order mark
    dropped when ``bom``); bytes that are not UTF-8 raise ``error`` naming the file and line."""
    return decode(read_bytes(path, limit=limit, error=error, pipes=pipes), path, error=error, bom=bom)


def decode(raw: bytes, path, *, error: type[Exception] = InputError, bom: bool = True) -> str:
    """``raw``, the bytes of the file ``path``, as UTF-8 text (a leading byte-order mark dropped when
    ``bom``); bytes that are not UTF-8 raise ``error`` naming the file, line and byte."""
    try:
        return raw.decode("utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise error(f"{path}:{line}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None

