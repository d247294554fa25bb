"""The gate's (and local dbt's) guard against CPython 3.11's AST race (python/cpython#106905)."""

import ast
import sys
from concurrent.futures import ThreadPoolExecutor

from lakehouse import ast_guard


def test_parsing_is_serialised_on_the_affected_pythons_and_still_parses():
    ast_guard.install()
    first = ast.parse
    ast_guard.install()  # once: no lock around the lock
    assert ast.parse is first
    assert getattr(ast.parse, "serialised", False) == (sys.version_info < (3, 11, 8))
    values = [repr({"n": n, "items": list(range(n % 7))}) for n in range(400)]
    with ThreadPoolExecutor(8) as pool:
        parsed = list(pool.map(ast.literal_eval, values))
    assert parsed == [ast.literal_eval(v) for v in values]
