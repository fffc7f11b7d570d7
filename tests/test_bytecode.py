"""kg build writes the bytecode of kg's modules (kg/bytecode.py): Python then loads them without compiling."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

from kg.bytecode import compile_package


def _loaded_from_bytecode(folder, module: str) -> bool:
    """Whether a fresh Python, which may not write bytecode, imports ``module`` from a .pyc file."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(folder)}
    env.pop("PYTHONPYCACHEPREFIX", None)
    run = subprocess.run([sys.executable, "-v", "-c", f"import {module}"], env=env, capture_output=True, text=True,
                         check=True)
    pyc = importlib.util.cache_from_source(str(folder / module / "__init__.py"))
    return f"code object from '{pyc}'" in run.stderr or f'code object from "{pyc}"' in run.stderr


def test_compiled_modules_are_loaded_without_compiling_and_a_changed_one_is_compiled_again(tmp_path):
    package = tmp_path / "pkgdemo"
    package.mkdir()
    init = package / "__init__.py"
    init.write_text("VALUE = 1\n")
    assert not _loaded_from_bytecode(tmp_path, "pkgdemo")  # nothing written by the import itself
    assert compile_package(package) is True
    assert _loaded_from_bytecode(tmp_path, "pkgdemo")
    init.write_text("VALUE = 22  # a longer source: its recorded size no longer matches\n")
    stat = init.stat()  # an edit a second later (compileall compares the time stamp, to the second)
    os.utime(init, (stat.st_atime, stat.st_mtime + 2))
    assert not _loaded_from_bytecode(tmp_path, "pkgdemo")  # stale bytecode is not used
    assert compile_package(package) is True
    assert _loaded_from_bytecode(tmp_path, "pkgdemo")


def test_a_module_that_does_not_compile_is_reported_not_raised(tmp_path):
    package = tmp_path / "pkgbroken"
    package.mkdir()
    (package / "__init__.py").write_text("def broken(:\n")
    assert compile_package(package) is False


def test_the_kg_package_has_current_bytecode_after_compile_package():
    import kg

    folder = os.path.dirname(kg.__file__)
    if not os.access(folder, os.W_OK):
        import pytest

        pytest.skip(f"{folder} is not writable (an installed package: pip wrote its bytecode)")
    assert compile_package() is True
    for name in ("cli", "query", "store", "paging", "search"):
        source = os.path.join(folder, f"{name}.py")
        pyc = importlib.util.cache_from_source(source)
        with open(pyc, "rb") as fh:
            header = fh.read(16)
        stat = os.stat(source)
        flags = int.from_bytes(header[4:8], "little")
        if flags == 0:  # time stamp and size of the source, as Python checks them (PEP 552)
            assert int.from_bytes(header[8:12], "little") == int(stat.st_mtime) & 0xFFFFFFFF
            assert int.from_bytes(header[12:16], "little") == stat.st_size & 0xFFFFFFFF
