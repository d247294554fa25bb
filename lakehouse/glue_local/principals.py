"""Who may call glue-local, and with which policies: roles and users, each with its IAM
policies, as the Terraform stacks deploy them.

A caller is named by its access key id (AWS_ACCESS_KEY_ID=<principal name>, any secret): the
dbt runner of a project's pipeline is `cmr-dev-sales-dbt-runner`, a developer e.g. `jdoe`. A
Glue session runs as the role its CreateSession names.

    principals = Principals.from_terraform([plan_or_state_json, ...], account_id)
    principals.add_user("jdoe", [managed policy of the project's developers])
    principals.write(path)        ->  python -m lakehouse.glue_local --iam path

`from_terraform` reads `terraform show -json` of a plan (planned values, with what is only
known after apply resolved through the configuration's references) or of a state: every
aws_iam_role with its trust policy, inline policies (aws_iam_role_policy) and attached managed
policies (aws_iam_role_policy_attachment -> aws_iam_policy).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from lakehouse.glue_local.iam import Policy, Request, decide


@dataclass
class Principal:
    name: str
    arn: str
    policies: list[Policy] = field(default_factory=list)
    trust: dict | None = None  # a role's assume-role policy

    @property
    def caller_arn(self) -> str:
        """The ARN AWS names in its messages: a role's assumed-role session, or the user."""
        if ":role/" in self.arn:
            account = self.arn.split(":")[4]
            return f"arn:aws:sts::{account}:assumed-role/{self.name}/glue-local"
        return self.arn

    def trusts(self, service: str) -> bool:
        """Whether the role's trust policy lets `service` (glue.amazonaws.com) assume it."""
        for statement in (self.trust or {}).get("Statement", []):
            principal = statement.get("Principal", {})
            services = principal.get("Service", []) if isinstance(principal, dict) else []
            services = [services] if isinstance(services, str) else services
            if statement.get("Effect") == "Allow" and service in services:
                return True
        return False

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "arn": self.arn,
            "trust": self.trust,
            "policies": [{"name": p.name, "document": p.document} for p in self.policies],
        }


class Principals:
    def __init__(self, account_id: str, principals: list[Principal] | None = None) -> None:
        self.account_id = account_id
        self.by_name = {p.name: p for p in principals or []}
        self.managed: dict[str, Policy] = {}  # every managed policy of the stacks, by name

    def get(self, name: str) -> Principal | None:
        return self.by_name.get(name)

    def role(self, arn: str) -> Principal | None:
        found = self.by_name.get(arn.rsplit("/", 1)[-1])
        return found if found is not None and found.arn == arn else None

    def add_user(self, name: str, policies: list[Policy]) -> Principal:
        user = Principal(name, f"arn:aws:iam::{self.account_id}:user/{name}", list(policies))
        self.by_name[name] = user
        return user

    def managed_policy(self, name: str) -> Policy:
        """A managed policy of the stacks, attached or not (cmr-dev-sales-dbt-developer is for
        developers' own roles)."""
        if name not in self.managed:
            raise KeyError(f"the stacks have no managed policy {name}")
        return self.managed[name]

    # -- files -----------------------------------------------------------------------------
    def write(self, path: Path) -> Path:
        data = {
            "account_id": self.account_id,
            "principals": [p.to_json() for p in self.by_name.values()],
        }
        path.write_text(json.dumps(data, indent=1))
        return path

    @classmethod
    def read(cls, path: Path) -> Principals:
        data = json.loads(path.read_text())
        return cls(
            data["account_id"],
            [
                Principal(
                    p["name"],
                    p["arn"],
                    [Policy.parse(x["name"], x["document"]) for x in p["policies"]],
                    p.get("trust"),
                )
                for p in data["principals"]
            ],
        )

    # -- Terraform ---------------------------------------------------------------------------
    @classmethod
    def from_terraform(cls, shows: list[dict], account_id: str) -> Principals:
        found = cls(account_id)
        for show in shows:
            for principal in _terraform_principals(show, account_id):
                found.by_name[principal.name] = principal
            for policy in _resources(show):
                if policy["type"] == "aws_iam_policy":
                    values = policy["values"]
                    found.managed[values["name"]] = Policy.parse(values["name"], _policy(policy))
        return found


def allowed(principal: Principal, request: Request) -> bool:
    return decide(principal.policies, request).allowed


# -- reading `terraform show -json` --------------------------------------------------------------
INDEX = re.compile(r"\[[^\]]*\]$")


def _resources(show: dict) -> list[dict]:
    """Every resource instance of a plan's planned values or a state's values."""
    root = (show.get("planned_values") or show.get("values") or {}).get("root_module", {})
    found: list[dict] = []

    def walk(module: dict) -> None:
        found.extend(r for r in module.get("resources", []) if r.get("mode") == "managed")
        for child in module.get("child_modules", []):
            walk(child)

    walk(root)
    return found


def _module_of(address: str) -> str:
    """module.a.module.b.aws_x.y["k"] -> module.a.module.b"""
    parts = INDEX.sub("", address).split(".")
    return ".".join(parts[:-2])


def _config_resources(show: dict) -> dict[tuple[str, str], dict]:
    """(module path, resource address without index) -> its configuration (expressions)."""
    found: dict[tuple[str, str], dict] = {}

    def walk(module: dict, path: str) -> None:
        for resource in module.get("resources", []):
            found[(path, resource["address"])] = resource
        for name, call in (module.get("module_calls") or {}).items():
            walk(call.get("module", {}), f"{path}.module.{name}".lstrip("."))

    walk(show.get("configuration", {}).get("root_module", {}), "")
    return found


def _referenced(show: dict, instance: dict, attribute: str, by_address: dict) -> dict | None:
    """The resource instance an attribute that is only known after apply refers to (e.g. an
    attachment's policy_arn -> the aws_iam_policy): the configuration's first reference to a
    resource, with the instance's own index when that resource has several."""
    module = _module_of(instance["address"])
    local = INDEX.sub("", instance["address"]).removeprefix(f"{module}.").removeprefix(".")
    config = _config_resources(show).get((module, local), {})
    references = config.get("expressions", {}).get(attribute, {}).get("references", [])
    for reference in references:
        parts = reference.split(".")
        if len(parts) < 2 or not parts[0].startswith("aws_"):
            continue
        target = ".".join(filter(None, [module, parts[0], INDEX.sub("", parts[1])]))
        index = INDEX.search(instance["address"])
        for candidate in (target + (index.group(0) if index else ""), target):
            if candidate in by_address:
                return by_address[candidate]
    return None


def _policy(resource: dict) -> str:
    """A policy document; one only known after apply cannot be enforced: say which."""
    document = resource["values"].get("policy")
    if document is None:
        raise ValueError(
            f"{resource['address']}: its policy is only known after apply, so glue-local cannot "
            "enforce it; build it from values known at plan time"
        )
    return document


def _terraform_principals(show: dict, account_id: str) -> list[Principal]:
    resources = _resources(show)
    by_address = {r["address"]: r for r in resources}

    def value(instance: dict, attribute: str):
        known = instance.get("values", {}).get(attribute)
        if known is not None:
            return known
        target = _referenced(show, instance, attribute, by_address)
        if target is None:
            return None
        return target["values"].get("name") if attribute == "role" else target

    roles: dict[str, Principal] = {}
    for r in resources:
        if r["type"] == "aws_iam_role":
            name = r["values"]["name"]
            trust = r["values"].get("assume_role_policy")
            roles[name] = Principal(
                name,
                f"arn:aws:iam::{account_id}:role/{name}",
                trust=json.loads(trust) if isinstance(trust, str) else trust,
            )
    managed = {r["address"]: r for r in resources if r["type"] == "aws_iam_policy"}
    for r in resources:
        if r["type"] == "aws_iam_role_policy":
            role = roles.get(value(r, "role") or "")
            if role is not None:
                role.policies.append(Policy.parse(r["values"]["name"], _policy(r)))
        elif r["type"] == "aws_iam_role_policy_attachment":
            role = roles.get(value(r, "role") or "")
            target = value(r, "policy_arn")
            if isinstance(target, str):  # a known ARN: the policy of that name in this show
                name = target.rsplit("/", 1)[-1]
                target = next((m for m in managed.values() if m["values"]["name"] == name), None)
            if role is not None and target is not None:
                role.policies.append(Policy.parse(target["values"]["name"], _policy(target)))
    return list(roles.values())
