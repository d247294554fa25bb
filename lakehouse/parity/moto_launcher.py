"""Start a moto server patched for the calls Terraform's AWS provider makes.

Usage: python lakehouse/parity/moto_launcher.py PORT     (lakehouse.parity.moto_server runs it)

moto 5.2 lacks a few operations the provider calls and mis-evaluates one thing; each patch
below is the smallest change that lets a real `terraform apply/plan/destroy` run. They only
touch this server process (an offline AWS for the Terraform tests and `make parity`).
"""

from __future__ import annotations

import sys
from typing import Any

from moto.core.responses import ActionResult, EmptyResult


def _patch_stepfunctions() -> None:
    from moto.stepfunctions.responses import StepFunctionResponse

    # Not implemented in moto; the provider validates every definition before create/update.
    def validate_state_machine_definition(self: Any) -> ActionResult:
        return ActionResult({"result": "OK", "diagnostics": []})

    # Not implemented in moto; the provider lists versions when reading a state machine.
    def list_state_machine_versions(self: Any) -> ActionResult:
        return ActionResult({"stateMachineVersions": []})

    StepFunctionResponse.validate_state_machine_definition = validate_state_machine_definition
    StepFunctionResponse.list_state_machine_versions = list_state_machine_versions


def _patch_s3() -> None:
    from moto.iam.access_control import PermissionResult
    from moto.s3 import models

    # moto evaluates bucket policies without conditions, so the TLS-only Deny statement
    # (aws:SecureTransport = false) denies every request: treat bucket policies as neutral.
    def get_permission(self: Any, action: str, resource: str) -> Any:
        return PermissionResult.NEUTRAL

    models.FakeBucket.get_permission = get_permission

    # Deleting a versioned bucket disposes every version; delete markers lack dispose().
    if not hasattr(models.FakeDeleteMarker, "dispose"):
        models.FakeDeleteMarker.dispose = lambda self, garbage=False: None


def _patch_glue_table_optimizers() -> None:
    """Glue table optimizers are not implemented in moto: keep them in a dict."""
    from moto.glue.exceptions import EntityNotFoundException
    from moto.glue.responses import GlueResponse

    store: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}

    def _key(self: Any) -> tuple[str, str, str, str, str]:
        p = self.parameters
        return (
            self.region,
            p.get("CatalogId") or self.current_account,
            p["DatabaseName"],
            p["TableName"],
            p["Type"],
        )

    def _require_table(self: Any) -> None:
        p = self.parameters
        # Like AWS: an optimizer needs an existing table.
        self.glue_backend.get_table(p["DatabaseName"], p["TableName"])

    def create_table_optimizer(self: Any) -> ActionResult:
        _require_table(self)
        store[_key(self)] = dict(self.parameters["TableOptimizerConfiguration"])
        return EmptyResult()

    def update_table_optimizer(self: Any) -> ActionResult:
        if _key(self) not in store:
            raise EntityNotFoundException("Table optimizer not found")
        store[_key(self)] = dict(self.parameters["TableOptimizerConfiguration"])
        return EmptyResult()

    def get_table_optimizer(self: Any) -> ActionResult:
        key = _key(self)
        if key not in store:
            raise EntityNotFoundException("Table optimizer not found")
        _, catalog, database, table, kind = key
        return ActionResult(
            {
                "CatalogId": catalog,
                "DatabaseName": database,
                "TableName": table,
                "TableOptimizer": {"type": kind, "configuration": store[key]},
            }
        )

    def delete_table_optimizer(self: Any) -> ActionResult:
        store.pop(_key(self), None)
        return EmptyResult()

    GlueResponse.create_table_optimizer = create_table_optimizer
    GlueResponse.update_table_optimizer = update_table_optimizer
    GlueResponse.get_table_optimizer = get_table_optimizer
    GlueResponse.delete_table_optimizer = delete_table_optimizer


def _patch_glue_connections() -> None:
    from moto.glue.models import FakeConnection

    original = FakeConnection.as_dict

    # moto leaves ConnectionType out of GetConnection (perpetual diff on every plan).
    def as_dict(self: Any, hide_password: bool = False) -> dict[str, Any]:
        out = original(self, hide_password)
        out.setdefault("ConnectionType", self.connection_input.get("ConnectionType"))
        return out

    FakeConnection.as_dict = as_dict

    from moto.glue.exceptions import EntityNotFoundException
    from moto.glue.responses import GlueResponse

    # DeleteConnection is not implemented in moto (destroy fails).
    def delete_connection(self: Any) -> ActionResult:
        name = self.parameters["ConnectionName"]
        if self.glue_backend.connections.pop(name, None) is None:
            raise EntityNotFoundException(f"Connection {name} not found")
        return EmptyResult()

    if not hasattr(GlueResponse, "delete_connection"):
        GlueResponse.delete_connection = delete_connection


def _patch_codebuild() -> None:
    from moto.codebuild.responses import CodeBuildResponse

    original = CodeBuildResponse.create_project

    # moto always reports alias/aws/s3 as the project's key (perpetual diff): keep the one given.
    def create_project(self: Any) -> ActionResult:
        result = original(self)
        key = self._get_param("encryptionKey")
        if key:
            project = self.codebuild_backend.codebuild_projects[self._get_param("name")]
            project.project_metadata["encryptionKey"] = key
        return result

    CodeBuildResponse.create_project = create_project


def _patch_cloudfront() -> None:
    """What the docs site (terraform/modules/docs-site) needs of moto's CloudFront."""
    from moto.cloudfront import models, urls
    from moto.cloudfront.responses import CloudFrontResponse

    # moto drops a distribution's function associations and an origin's access control from
    # every read-back, and adds legacy forwarded values (beside a cache policy) and an SNI
    # method (to CloudFront's own certificate): perpetual diffs. Keep what was given.
    behaviour_init = models.DefaultCacheBehaviour.__init__

    def behaviour(self: Any, config: dict[str, Any]) -> None:
        behaviour_init(self, config)
        self.function_associations = config.get("FunctionAssociations") or {"Quantity": 0}
        if "ForwardedValues" not in config:
            self.forwarded_values = None

    certificate_init = models.ViewerCertificate.__init__

    def certificate(self: Any, config: dict[str, Any]) -> None:
        certificate_init(self, config)
        self.ssl_support_method = config.get("SSLSupportMethod")

    origin_init = models.Origin.__init__

    def origin(self: Any, config: dict[str, Any]) -> None:
        origin_init(self, config)
        self.origin_access_control_id = config.get("OriginAccessControlId", "")

    models.DefaultCacheBehaviour.__init__ = behaviour
    models.ViewerCertificate.__init__ = certificate
    models.Origin.__init__ = origin

    # PublishFunction is not implemented (nor routed): the live stage is the function itself.
    urls.url_paths["{0}/2020-05-31/function/(?P<function_name>[^/]+)/publish$"] = (
        CloudFrontResponse.dispatch
    )

    def publish_function(self: Any) -> ActionResult:
        function = self.backend.describe_function(name=self._get_param("Name"))
        function.stage, function.status = "LIVE", "DEPLOYED"
        return ActionResult({"FunctionSummary": function.function_summary})

    # UpdateKeyGroup and DeleteKeyGroup are not implemented (a key's rotation, destroy).
    def update_key_group(self: Any) -> ActionResult:
        group = self.backend.get_key_group(group_id=self._get_param("Id"))
        group.name = self._get_param("KeyGroupConfig.Name")
        group.items = self._get_param("KeyGroupConfig.Items", [])
        return ActionResult({"KeyGroup": group, "ETag": group.etag})

    def delete_key_group(self: Any) -> ActionResult:
        self.backend.key_groups.pop(self._get_param("Id"), None)
        return EmptyResult()

    CloudFrontResponse.publish_function = publish_function
    CloudFrontResponse.update_key_group = update_key_group
    CloudFrontResponse.delete_key_group = delete_key_group


def main(argv: list[str]) -> None:
    _patch_stepfunctions()
    _patch_s3()
    _patch_glue_table_optimizers()
    _patch_glue_connections()
    _patch_codebuild()
    _patch_cloudfront()

    from moto.server import main as moto_main

    port = argv[1] if len(argv) > 1 else "5000"
    moto_main(["-H", "127.0.0.1", "-p", port])


if __name__ == "__main__":
    main(sys.argv)
