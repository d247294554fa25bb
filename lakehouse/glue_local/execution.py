"""Runs Python code the way a Glue session's REPL does: one namespace per session, stdout
captured per statement, the last expression's value echoed, errors as ErrorName/ErrorValue."""

from __future__ import annotations

import ast
import io
import sys
import threading
import traceback
from dataclasses import dataclass, field

from lakehouse.glue_local.awsglue_shim import namespace_builtins


class _ThreadStdout(io.TextIOBase):
    """sys.stdout that writes to the current thread's capture buffer when it has one."""

    def __init__(self, real) -> None:
        self.real = real
        self.local = threading.local()

    def write(self, text: str) -> int:
        buffer = getattr(self.local, "buffer", None)
        return (buffer or self.real).write(text)

    def flush(self) -> None:
        self.real.flush()

    def isatty(self) -> bool:
        return False


_install_lock = threading.Lock()


def _thread_stdout() -> _ThreadStdout:
    with _install_lock:
        if not isinstance(sys.stdout, _ThreadStdout):
            sys.stdout = _ThreadStdout(sys.stdout)
        return sys.stdout


@dataclass
class Outcome:
    ok: bool
    text: str
    error_name: str = ""
    error_value: str = ""
    traceback: list[str] = field(default_factory=list)


def new_namespace(**values) -> dict:
    return {"__name__": "__main__", "__builtins__": namespace_builtins(), **values}


def run_code(code: str, namespace: dict) -> Outcome:
    """Executes `code` in `namespace`; what it prints (and its last expression) is the output."""
    stdout = _thread_stdout()
    buffer = io.StringIO()
    stdout.local.buffer = buffer
    try:
        tree = ast.parse(code, "<statement>", "exec")
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        # A Glue session runs the code it is sent: executing it is the emulator's job.
        exec(compile(tree, "<statement>", "exec"), namespace)  # nosec B102 # noqa: S102
        if last is not None:
            value = eval(  # nosec B307 # noqa: S307 - the session's own code, like a REPL
                compile(ast.Expression(last.value), "<statement>", "eval"), namespace
            )
            if value is not None:
                print(repr(value))
        return Outcome(ok=True, text=buffer.getvalue())
    except BaseException as error:
        return Outcome(
            ok=False,
            text=buffer.getvalue(),
            error_name=type(error).__name__,
            error_value=str(error),
            traceback=traceback.format_exception(error),
        )
    finally:
        stdout.local.buffer = None
