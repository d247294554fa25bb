"""IAM policy evaluation, as AWS documents it for identity-based policies in one account.

    decide(policies, Request("s3:GetObject", "arn:aws:s3:::bucket/key", {...}))

An explicit Deny in any policy wins; otherwise an Allow that matches grants; otherwise the
request is implicitly denied. A statement matches when its Action (or NotAction), its Resource
(or NotResource) and every one of its Conditions match. Actions compare without case, resources
and string conditions with case; `*` matches any run of characters, `?` exactly one.

Conditions: the String*, Arn* and Bool operators, their `IfExists` forms, `Null`, and the
`ForAnyValue:` / `ForAllValues:` set prefixes. Several values of one key match when any
does; negated operators (StringNotEquals, ArnNotLike, ...) match when the key is absent. An
operator this evaluator does not know fails closed: it never makes an Allow match, and always
makes a Deny match.

Not evaluated (docs/glue-local.md): resource-based policies (bucket, key and secret policies),
permission boundaries, session policies, SCPs, Lake Formation permissions, policy variables.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache


@dataclass(frozen=True)
class Request:
    """One action on one resource, with the condition keys the request carries."""

    action: str
    resource: str
    context: Mapping[str, str | list[str]] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str  # "allowed by <policy>/<sid>", "explicit deny in ...", "no policy allows ..."


@dataclass(frozen=True)
class Policy:
    """A named policy document (inline or managed) of a principal."""

    name: str
    document: Mapping

    @classmethod
    def parse(cls, name: str, document: str | Mapping) -> Policy:
        doc = json.loads(document) if isinstance(document, str) else document
        return cls(name, doc)

    def statements(self) -> list[Mapping]:
        found = self.document.get("Statement", [])
        return found if isinstance(found, list) else [found]


@cache
def _pattern(glob: str, ignore_case: bool) -> re.Pattern:
    regex = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in glob)
    return re.compile(regex, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


def matches(glob: str, value: str, ignore_case: bool = False) -> bool:
    """IAM's wildcard match: `*` any run of characters, `?` one character, whole string."""
    return _pattern(glob, ignore_case).fullmatch(value) is not None


def _values(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _action_matches(statement: Mapping, action: str) -> bool:
    if "NotAction" in statement:
        return not any(matches(a, action, True) for a in _values(statement["NotAction"]))
    return any(matches(a, action, True) for a in _values(statement.get("Action")))


def _resource_matches(statement: Mapping, resource: str) -> bool:
    if "NotResource" in statement:
        return not any(matches(r, resource) for r in _values(statement["NotResource"]))
    return any(matches(r, resource) for r in _values(statement.get("Resource")))


def _compare(base: str, wanted: str, given: str) -> bool:
    """One value against one policy value, by the base operator (without Not/IfExists)."""
    if base in ("StringEquals", "ArnEquals"):
        return wanted == given
    if base == "StringEqualsIgnoreCase":
        return wanted.lower() == given.lower()
    if base in ("StringLike", "ArnLike"):
        return matches(wanted, given)
    if base == "Bool":
        return wanted.lower() == given.lower()
    raise KeyError(base)


NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}
POSITIVE = {"StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike", "Bool"}


class UnknownOperator(Exception):
    pass


def _condition_holds(operator: str, key: str, wanted: list, context: Mapping) -> bool:
    set_op, _, op = operator.rpartition(":")
    if_exists = op.endswith("IfExists")
    op = op.removesuffix("IfExists")
    present = key in context and context[key] is not None
    given = [str(v) for v in _values(context.get(key))]
    if op == "Null":  # "true": the key must be absent; "false": present
        return (not present) == (str(wanted[0]).lower() == "true")
    negated = op in NEGATED
    base = NEGATED.get(op, op)
    if base not in POSITIVE:
        raise UnknownOperator(operator)
    if not present:
        return if_exists or negated
    wanted = [str(w) for w in wanted]

    def one(value: str) -> bool:
        hit = any(_compare(base, w, value) for w in wanted)
        return not hit if negated else hit

    if set_op == "ForAllValues":
        return all(one(v) for v in given)
    return any(one(v) for v in given)  # single-valued keys, and ForAnyValue


def _conditions_hold(statement: Mapping, context: Mapping) -> bool:
    for operator, keys in (statement.get("Condition") or {}).items():
        for key, wanted in keys.items():
            if not _condition_holds(operator, key, _values(wanted), context):
                return False
    return True


def _applies(statement: Mapping, request: Request, effect: str) -> bool:
    if statement.get("Effect") != effect:
        return False
    if not _action_matches(statement, request.action):
        return False
    if not _resource_matches(statement, request.resource):
        return False
    try:
        return _conditions_hold(statement, request.context)
    except UnknownOperator:
        return effect == "Deny"  # fail closed


def decide(policies: Iterable[Policy], request: Request) -> Decision:
    """AWS's evaluation of identity-based policies: explicit deny, then allow, else deny."""
    policies = list(policies)
    for policy in policies:
        for statement in policy.statements():
            if _applies(statement, request, "Deny"):
                sid = statement.get("Sid", "?")
                return Decision(False, f"with an explicit deny in {policy.name} ({sid})")
    for policy in policies:
        for statement in policy.statements():
            if _applies(statement, request, "Allow"):
                return Decision(True, f"allowed by {policy.name} ({statement.get('Sid', '?')})")
    return Decision(False, "because no identity-based policy allows the action")


def allows(policies: Iterable[Policy], request: Request) -> bool:
    return decide(policies, request).allowed
