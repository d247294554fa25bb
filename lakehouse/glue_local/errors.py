"""AWS error shapes: botocore turns `__type` into `client.exceptions.<Name>`."""

from __future__ import annotations


class AwsError(Exception):
    """An error answered to the client as `{"__type": code, "Message": message}`."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def not_found(what: str) -> AwsError:
    return AwsError("EntityNotFoundException", f"{what} not found")


def already_exists(what: str) -> AwsError:
    return AwsError("AlreadyExistsException", f"{what} already exists")


def invalid_input(message: str) -> AwsError:
    return AwsError("InvalidInputException", message)


def not_emulated(service: str, operation: str) -> AwsError:
    return AwsError(
        "UnknownOperationException",
        f"glue-local does not emulate {service}:{operation} "
        "(docs/glue-local.md lists what it does emulate)",
    )
