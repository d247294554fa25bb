"""Glue job arguments (`--KEY value` in sys.argv) as configuration overrides.

Glue passes a job's default and run arguments on the command line; reading them here (rather
than with awsglue.utils.getResolvedOptions) lets the same script run locally, where
`--ENV dev` then means exactly what `ENV=dev` means on Glue.
"""

from __future__ import annotations


def config_key(name: str) -> str:
    """`--job-bookmark-option` and `--JOB_BOOKMARK_OPTION` name the same key."""
    return name.lstrip("-").replace("-", "_").upper()


def parse_glue_args(argv: list[str]) -> dict[str, str]:
    """`--KEY value`, `--KEY=value` and bare `--FLAG` (true); other tokens are ignored."""
    found: dict[str, str] = {}
    i = 0
    while i < len(argv):
        token = argv[i]
        i += 1
        if not token.startswith("--") or token == "--":  # noqa: S105 - an argument, not a secret
            continue
        name, sep, value = token.partition("=")
        if not sep:
            if i < len(argv) and not argv[i].startswith("--"):
                value = argv[i]
                i += 1
            else:
                value = "true"
        found[config_key(name)] = value
    return found
