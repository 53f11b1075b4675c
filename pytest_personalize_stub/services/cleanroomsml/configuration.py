"""The ML configuration of a membership: where model metrics and logs go, and the role used.

It has no ARN and no status, so it is kept beside the resources, one per membership.
"""

from __future__ import annotations

from ...account import Account, Request, clone
from ...declarations import Body, Quota
from ...errors import ServiceError
from ...operations import Served
from ...store import Resource
from .common import DIALECT

ML_CONFIGURATIONS = "ml_configuration"
"""Store kind of the ML configurations, keyed by membership id."""


def ml_configuration(state: Account, membership: str) -> Resource | None:
    """The ML configuration of a membership, if one was put."""
    return state.store.get(ML_CONFIGURATIONS, membership)


def _stored(request: Request) -> Resource:
    membership = request.params["membershipIdentifier"]
    configuration = ml_configuration(request.account, membership)
    if configuration is None:
        raise ServiceError(
            DIALECT.not_found, f"The membership {membership} has no ML configuration."
        )
    return configuration


def put_ml_configuration(request: Request) -> Body:
    params = request.params
    membership = params["membershipIdentifier"]
    location = clone(params["defaultOutputLocation"])
    configuration = ml_configuration(request.account, membership)
    if configuration is None:
        request.account.store.add(
            ML_CONFIGURATIONS,
            membership,
            {
                "membershipIdentifier": membership,
                "defaultOutputLocation": location,
                DIALECT.created: request.now,
                DIALECT.updated: request.now,
            },
        )
    else:
        configuration.attrs["defaultOutputLocation"] = location
        configuration.attrs[DIALECT.updated] = request.now
    return {}


def get_ml_configuration(request: Request) -> Body:
    return _stored(request).attrs


def delete_ml_configuration(request: Request) -> Body:
    request.account.store.remove(_stored(request))
    return {}


QUOTAS: tuple[Quota, ...] = ()
"""The documented quotas of this family (none)."""


def operations() -> dict[str, Served]:
    """The ML configuration operations."""
    return {
        "PutMLConfiguration": Served(put_ml_configuration),
        "GetMLConfiguration": Served(get_ml_configuration),
        "DeleteMLConfiguration": Served(delete_ml_configuration),
    }
