"""SCIM errors (RFC 7644 §3.12): raised by services and views, answered as an Error body."""

from __future__ import annotations


class ScimError(Exception):
    """A request the service refuses; ``detail`` is meant for the identity provider's administrator."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type


def invalid_value(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")


def uniqueness(detail: str) -> ScimError:
    return ScimError(409, detail, "uniqueness")
