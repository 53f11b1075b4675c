"""A small recommendation pipeline, written as it would be against real AWS.

``train_and_deploy`` trains a new solution version, waits for it by polling
with ``time.sleep``, and creates (or, on later runs, leaves to ``$LATEST``
sync) a campaign that follows the solution's newest version.
``run_audience_job`` starts a Clean Rooms ML audience generation job and waits
for its metrics. Nothing here knows about the fake.
"""

from __future__ import annotations

import time
from typing import Any

POLL_SECONDS = 60.0
TIMEOUT_SECONDS = 24 * 3600.0


class DeployError(RuntimeError):
    """A resource ended in a failed status; the message carries AWS's reason."""


def wait_until(
    describe: Any, *, done: str, failed: tuple[str, ...]
) -> dict[str, Any]:
    """Poll ``describe()`` until its status is ``done``.

    Raises DeployError on a failed status or a timeout.
    """
    waited = 0.0
    while True:
        resource: dict[str, Any] = describe()
        status = resource["status"]
        if status == done:
            return resource
        if status in failed:
            details = resource.get("statusDetails", {})
            reason = resource.get("failureReason") or details
            raise DeployError(f"{status}: {reason}")
        if waited >= TIMEOUT_SECONDS:
            raise DeployError(f"still {status} after {waited:.0f} s")
        time.sleep(POLL_SECONDS)
        waited += POLL_SECONDS


def train_and_deploy(
    personalize: Any, solution_arn: str, campaign_name: str
) -> str:
    """Train a new version; make sure a campaign serves the newest version.

    The first run creates a campaign on ``<solution>/$LATEST`` with
    ``syncWithLatestSolutionVersion``; later runs only train, and AWS moves
    the campaign to each new ACTIVE version by itself. Returns the campaign's
    ARN.
    """
    created = personalize.create_solution_version(solutionArn=solution_arn)
    version = created["solutionVersionArn"]
    wait_until(
        lambda: personalize.describe_solution_version(
            solutionVersionArn=version
        )["solutionVersion"],
        done="ACTIVE",
        failed=("CREATE FAILED", "CREATE STOPPED"),
    )
    listed = personalize.list_campaigns(solutionArn=solution_arn)
    for campaign in listed["campaigns"]:
        if campaign["name"] == campaign_name:
            return str(campaign["campaignArn"])
    arn = personalize.create_campaign(
        name=campaign_name,
        solutionVersionArn=f"{solution_arn}/$LATEST",
        minProvisionedTPS=1,
        campaignConfig={"syncWithLatestSolutionVersion": True},
    )["campaignArn"]
    wait_until(
        lambda: personalize.describe_campaign(campaignArn=arn)["campaign"],
        done="ACTIVE",
        failed=("CREATE FAILED",),
    )
    return str(arn)


def run_audience_job(
    cleanroomsml: Any,
    configured_audience_model_arn: str,
    seed_uri: str,
    role_arn: str,
) -> dict[str, Any]:
    """Run an audience generation job from a seed in S3; return its metrics."""
    job = cleanroomsml.start_audience_generation_job(
        name="weekly-lookalike",
        configuredAudienceModelArn=configured_audience_model_arn,
        seedAudience={"dataSource": {"s3Uri": seed_uri}, "roleArn": role_arn},
    )["audienceGenerationJobArn"]
    finished = wait_until(
        lambda: cleanroomsml.get_audience_generation_job(
            audienceGenerationJobArn=job
        ),
        done="ACTIVE",
        failed=("CREATE_FAILED",),
    )
    metrics: dict[str, Any] = finished["metrics"]
    return metrics
