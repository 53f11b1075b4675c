"""Custom models, part two: ML input channels, the stored results of a protected query that
training and inference read, and the collaboration's view of them."""

from __future__ import annotations

import hashlib

from ...account import Request
from ...declarations import Body, Quota, require_status
from ...operations import Served, creating, deletion, describe, given, listing
from ...store import Resource
from .common import ALIVE, DIALECT, IN_FLIGHT, membership_attrs, new_id, scoped, usable
from .resources import (
    CONFIGURED_MODEL_ALGORITHM_ASSOCIATION,
    ML_INPUT_CHANNEL,
    TRAINED_MODEL,
    TRAINED_MODEL_INFERENCE_JOB,
)

DAY = 86400.0
DEFAULT_RESULT_FORMAT = "CSV"

CHANNELS_PER_MEMBERSHIP = Quota(
    key="ml_input_channels_per_membership",
    name="Active ML input channels per membership",
    rtype=ML_INPUT_CHANNEL,
    limit=100,
    statuses=ALIVE,
    scope="membershipIdentifier",
)


def create_ml_input_channel(request: Request) -> Body:
    params = request.params
    membership = params["membershipIdentifier"]
    for arn in params["configuredModelAlgorithmAssociations"]:
        usable(request, CONFIGURED_MODEL_ALGORITHM_ASSOCIATION, arn, membership)
    request.enforce(CHANNELS_PER_MEMBERSHIP, membership)
    attrs = given(
        params,
        "name",
        "description",
        "configuredModelAlgorithmAssociations",
        "inputChannel",
        "retentionInDays",
        "kmsKeyArn",
    )
    query = attrs["inputChannel"]["dataSource"]["protectedQueryInputParameters"]
    query.setdefault("resultFormat", DEFAULT_RESULT_FORMAT)
    attrs.update(membership_attrs(request, membership))
    attrs["protectedQueryIdentifier"] = request.account.new_uuid()
    timeline = request.account.timeline
    retention = params["retentionInDays"] * DAY

    def filled(channel: Resource, at: float) -> None:
        digest = hashlib.sha256(channel.arn.encode()).digest()
        channel.attrs["numberOfRecords"] = 1000 + int.from_bytes(digest[:3], "big")
        channel.attrs["numberOfFiles"] = float(1 + digest[3] % 16)
        channel.attrs["sizeInGb"] = round(0.01 + digest[4] / 255, 2)

        def expire(when: float) -> None:
            if channel.status == "ACTIVE" and not channel.gone:
                channel.attrs["status"] = "INACTIVE"
                channel.attrs["updateTime"] = when

        timeline.at(at + retention, expire, settles=False)

    channel = request.create(
        ML_INPUT_CHANNEL,
        attrs,
        tags=params.get("tags"),
        on_ready=filled,
        membership=membership,
        id=new_id(request),
    )
    return {"mlInputChannelArn": channel.arn}


def _channel_read(request: Request, channel: Resource) -> str | None:
    for model in request.account.store.all(TRAINED_MODEL.kind):
        arns = [c["mlInputChannelArn"] for c in model.attrs["dataChannels"]]
        if channel.arn in arns and model.status in IN_FLIGHT:
            return f"The trained model {model.arn} is still training on {channel.arn}."
    for job in request.account.store.all(TRAINED_MODEL_INFERENCE_JOB.kind):
        if job.attrs["dataSource"]["mlInputChannelArn"] == channel.arn and job.status in IN_FLIGHT:
            return f"The inference job {job.arn} is still reading {channel.arn}."
    return None


def active_channel(request: Request, arn: str, membership: str) -> Resource:
    """An ML input channel the membership can read: visible to it and ACTIVE."""
    channel = usable(request, ML_INPUT_CHANNEL, arn, membership)
    require_status(ML_INPUT_CHANNEL, channel, ("ACTIVE",), code=DIALECT.validation_error)
    return channel


DATA_GONE = frozenset({"INACTIVE"})
"""An INACTIVE channel's data is gone (deleted, or past its retention): the API reference is
silent on deleting it again, so DeleteMLInputChannelData then succeeds and changes nothing."""

QUOTAS: tuple[Quota, ...] = (CHANNELS_PER_MEMBERSHIP,)
"""The documented quotas of this family."""


def operations() -> dict[str, Served]:
    """The ML input channel operations."""
    return {
        "CreateMLInputChannel": creating(ML_INPUT_CHANNEL, create_ml_input_channel),
        "GetMLInputChannel": scoped(
            ML_INPUT_CHANNEL, "membershipIdentifier", describe(ML_INPUT_CHANNEL)
        ),
        "ListMLInputChannels": listing(
            ML_INPUT_CHANNEL,
            "mlInputChannelsList",
            ("membershipIdentifier",),
        ),
        "DeleteMLInputChannelData": scoped(
            ML_INPUT_CHANNEL,
            "membershipIdentifier",
            deletion(ML_INPUT_CHANNEL, _channel_read, nothing_left=DATA_GONE),
        ),
        "GetCollaborationMLInputChannel": scoped(
            ML_INPUT_CHANNEL, "collaborationIdentifier", describe(ML_INPUT_CHANNEL)
        ),
        "ListCollaborationMLInputChannels": listing(
            ML_INPUT_CHANNEL,
            "collaborationMLInputChannelsList",
            ("collaborationIdentifier",),
        ),
    }
