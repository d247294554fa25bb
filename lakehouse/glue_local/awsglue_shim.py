"""The little of the `awsglue` library that code sent to a session or job uses.

Importable only from the code glue-local executes (see `namespace_builtins`): the package is
never installed, so nothing else in the project can come to depend on it by accident.
"""

from __future__ import annotations

import builtins
import types


def getResolvedOptions(args: list[str], options: list[str]) -> dict[str, str]:
    """Glue's parser: every requested `--KEY value` must be present, others are ignored."""
    resolved: dict[str, str] = {}
    for option in options:
        flag = f"--{option}"
        if flag not in args:
            raise SystemExit(f"error: the following arguments are required: {flag}")
        position = args.index(flag)
        if position + 1 >= len(args):
            raise SystemExit(f"error: argument {flag}: expected one argument")
        resolved[option] = args[position + 1]
    return resolved


def _modules() -> dict[str, types.ModuleType]:
    package = types.ModuleType("awsglue")
    package.__path__ = []  # a package, so `from awsglue.utils import ...` resolves
    utils = types.ModuleType("awsglue.utils")
    utils.getResolvedOptions = getResolvedOptions
    package.utils = utils
    return {"awsglue": package, "awsglue.utils": utils}


SHIM_MODULES = _modules()


def _import(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0 and (name == "awsglue" or name.startswith("awsglue.")):
        if name not in SHIM_MODULES:
            raise ModuleNotFoundError(f"glue-local's awsglue shim has no module {name}")
        return SHIM_MODULES[name] if fromlist else SHIM_MODULES["awsglue"]
    return builtins.__import__(name, globals, locals, fromlist, level)


def namespace_builtins() -> dict:
    """Builtins for executed code: the real ones, with an import that also finds the shim."""
    return {**builtins.__dict__, "__import__": _import}
