"""CPython 3.11 before 3.11.8 counts AST construction depth per interpreter, not per thread, so
two threads parsing at once can fail with "SystemError: AST constructor recursion depth
mismatch" (python/cpython#106905). dbt's threads parse: Jinja's native rendering goes through
`ast.literal_eval`, and a unit test's compilation failed so in `make test`. On those versions
parsing takes a lock; on later ones this does nothing.

Standard library only: the gate runs it from the dbt bundle.
"""

from __future__ import annotations

import ast
import sys
import threading

_LOCK = threading.Lock()


def install() -> None:
    """Serialises `ast.parse` (and so `ast.literal_eval`) in this process, once."""
    if sys.version_info >= (3, 11, 8) or getattr(ast.parse, "serialised", False):
        return
    original = ast.parse

    def parse(*args, **kwargs):
        with _LOCK:
            return original(*args, **kwargs)

    parse.serialised = True
    ast.parse = parse
