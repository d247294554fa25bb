"""Where SQL statements end: the one tokenizer of `make sql`'s script modes and its shell.

A `;` ends a statement unless it is inside a quoted string or identifier ('...', "...",
`...`) or a comment (`-- ...` to the end of the line, `/* ... */`). Spark reads a backslash in
a string as an escape, so `'it\\'s'` is one string. Line comments are dropped (they may hold a
`;` or a quote); block comments are kept, since `/*+ ... */` is a Spark hint.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Scan:
    statements: list[str]  # the text of each statement a `;` ended, stripped
    rest: str  # what follows the last `;`, stripped
    open: bool  # the text ends inside a string, an identifier or a block comment


def scan(text: str) -> Scan:
    statements: list[str] = []
    current: list[str] = []
    quote: str | None = None  # the quote character of the string or identifier we are in
    block = False  # inside /* ... */
    i = 0
    while i < len(text):
        ch = text[i]
        if block:
            if text.startswith("*/", i):
                current.append("*/")
                block = False
                i += 2
                continue
            current.append(ch)
        elif quote:
            current.append(ch)
            if ch == "\\" and quote != "`" and i + 1 < len(text):
                current.append(text[i + 1])  # an escaped character never ends the string
                i += 1
            elif ch == quote:
                quote = None
        elif ch in ("'", '"', "`"):
            quote = ch
            current.append(ch)
        elif text.startswith("--", i):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        elif text.startswith("/*", i):
            block = True
            current.append("/*")
            i += 2
            continue
        elif ch == ";":
            statements.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    return Scan([s for s in statements if s], "".join(current).strip(), bool(quote) or block)


def split_statements(text: str) -> list[str]:
    """The statements of a script; the last one needs no `;`."""
    found = scan(text)
    return [*found.statements, found.rest] if found.rest else found.statements


def is_complete(text: str) -> bool:
    """The shell's input is ready to run: it holds a statement and ends with a `;` that is
    outside strings and comments (what follows it may be a line comment)."""
    found = scan(text)
    return bool(found.statements) and not found.rest and not found.open
