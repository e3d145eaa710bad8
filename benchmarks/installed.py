"""Make a benchmarked memdiff process start as an installed copy would: from compiled bytecode.

pip compiles a package's modules when it installs a wheel, and Python writes
the bytecode itself on first import; but an editable install run with
PYTHONDONTWRITEBYTECODE set (as on CI and this project's development
machine) compiles every memdiff module from source in every process, about
15 ms that no user pays. Benchmarks that time whole processes call
``byte_compile_memdiff`` first, as ``pip install`` would have done.
"""

from __future__ import annotations

import compileall
from pathlib import Path

import memdiff


def byte_compile_memdiff() -> str:
    """Compile memdiff's modules to bytecode beside them; returns a line saying so."""
    package = Path(memdiff.__file__).resolve().parent
    ok = compileall.compile_dir(str(package), quiet=1)
    return f"memdiff's modules compiled to bytecode first, as an install does ({'done' if ok else 'FAILED'})"
