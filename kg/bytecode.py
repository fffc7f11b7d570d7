"""The compiled bytecode of kg's own modules, written by ``kg build`` so that no command compiles them.

Python compiles a module from source at each import unless it finds a current ``.pyc`` file in
the module's ``__pycache__`` folder (or under ``sys.pycache_prefix``). ``pip install`` writes these
files for every module it installs, but not for an editable install (``pip install -e``, as the
README sets the project up), and ``PYTHONDONTWRITEBYTECODE=1`` stops Python from writing them on
import. In such an environment every ``kg`` command compiled each module it imports, at each start:
about 35 ms of a 100 ms cold ``kg query`` on a 2-core machine (``python bench/coldstart.py``,
bench/BUILD.md), where ``import pyoxigraph`` reads the bytecode pip wrote for it.

:func:`compile_package` writes them as ``pip`` would at install, with the standard library's
:mod:`compileall` (one ``.pyc`` per module, invalidated by the source's time stamp and size, or by
hash under ``SOURCE_DATE_EPOCH``: Python's own rules); a module whose ``.pyc`` is current is not
compiled again (about 6 ms for the whole package then).
"""

from __future__ import annotations

__all__ = ["compile_package"]

from pathlib import Path


def compile_package(package: Path | None = None) -> bool:
    """Write the bytecode of every module of ``package`` (default: the ``kg`` package) that lacks a current one.

    Takes the folder of a Python package; returns ``True`` when every module has current bytecode
    afterwards, ``False`` when some could not be written (a read-only installation, where ``pip``
    has written them already, or a full disk): never raises, since the bytecode only saves time.
    """
    import compileall

    folder = package or Path(__file__).resolve().parent
    try:
        return bool(compileall.compile_dir(str(folder), quiet=2, workers=1))
    except (OSError, ValueError):
        return False
