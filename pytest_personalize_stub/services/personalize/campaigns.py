"""Campaigns: deploying a solution version, updates and ``$LATEST`` synchronisation."""

from __future__ import annotations

from typing import Any

from ...engine import (
    Body,
    Operation,
    Quota,
    Request,
    Rule,
    State,
    creating,
    deletion,
    describe,
    in_use,
    invalid,
    listing,
)
from ...errors import ServiceError
from ...store import Resource
from .common import (
    ALIVE,
    CREATE,
    DIALECT,
    active,
    newest,
    raise_in_use,
    update_in_flight,
)
from .recipes import EXPLORATION_DEFAULTS, EXPLORING_RECIPES, recipe_name, recipe_type
from .resources import CAMPAIGN, SOLUTION, SOLUTION_VERSION

LATEST = "/$LATEST"
UPDATE = "latestCampaignUpdate"
DEPLOYED = ("solutionVersionArn", "minProvisionedTPS", "campaignConfig")


def _syncs(params: Any) -> bool:
    return bool((params.get("campaignConfig") or {}).get("syncWithLatestSolutionVersion"))


SYNC_NEEDS_LATEST = Rule(
    "When campaignConfig.syncWithLatestSolutionVersion is true, solutionVersionArn must name "
    "the solution in SolutionArn/$LATEST format.",
    lambda params: (
        _syncs(params) and not str(params.get("solutionVersionArn") or "").endswith(LATEST)
    ),
)


def deployable_version(request: Request, arn: str) -> Resource:
    """The ACTIVE solution version a campaign may deploy; ``…/$LATEST`` is resolved."""
    if arn.endswith(LATEST):
        solution = request.find(SOLUTION, arn[: -len(LATEST)])
        version = newest(request.state, SOLUTION_VERSION, {"ACTIVE"}, solutionArn=solution.arn)
        if version is None:
            raise in_use(
                SOLUTION, f"The solution {solution.arn} has no ACTIVE solution version yet."
            )
    else:
        version = active(request, SOLUTION_VERSION, arn)
    if recipe_type(version.attrs.get("recipeArn", "")) == "USER_SEGMENTATION":
        raise invalid(
            CAMPAIGN,
            f"The solution version {version.arn} uses a USER_SEGMENTATION recipe; "
            "use a batch segment job instead of a campaign.",
        )
    return version


ACTIVE_CAMPAIGNS = Quota(
    key="active_campaigns_per_dataset_group",
    name="Active campaigns per dataset group",
    rtype=CAMPAIGN,
    limit=5,
    statuses=ALIVE,
    scope="datasetGroupArn",
)


def _within_campaign_quota(request: Request, group_arn: str) -> None:
    """The campaign quota, refused in the words of the docs' error-messages page."""
    try:
        ACTIVE_CAMPAIGNS.enforce(request, group_arn)
    except ServiceError:
        limit = request.state.quotas.get(ACTIVE_CAMPAIGNS.key, ACTIVE_CAMPAIGNS.limit)
        raise ServiceError(
            DIALECT.limit_exceeded,
            f"Cannot create a campaign. More than {limit} resources in ACTIVE state. "
            "Please delete some and try again.",
        ) from None


def create_campaign(request: Request) -> Body:
    params = request.params
    version = deployable_version(request, params["solutionVersionArn"])
    _within_campaign_quota(request, version.attrs["datasetGroupArn"])
    config = dict(params.get("campaignConfig") or {})
    if recipe_name(version.attrs.get("recipeArn", "")) in EXPLORING_RECIPES:
        config["itemExplorationConfig"] = {
            **EXPLORATION_DEFAULTS,
            **config.get("itemExplorationConfig", {}),
        }
    attrs: Body = {
        "name": params["name"],
        "solutionVersionArn": version.arn,
        "minProvisionedTPS": params.get("minProvisionedTPS") or 1,
        "campaignConfig": config,
    }
    campaign = request.create(CAMPAIGN, attrs, tags=params.get("tags"), name=params["name"])
    _remember_target(campaign, version, params)
    return {"campaignArn": campaign.arn}


def _remember_target(campaign: Resource, version: Resource, params: Any) -> None:
    campaign.extra["solutionArn"] = version.attrs["solutionArn"]
    campaign.extra["datasetGroupArn"] = version.attrs["datasetGroupArn"]
    campaign.extra["sync"] = _syncs(params)


def update_campaign(request: Request) -> Body:
    params = request.params
    campaign = request.find(CAMPAIGN, params["campaignArn"])
    if campaign.status not in CAMPAIGN.lifecycle.settled:
        raise_in_use(CAMPAIGN, campaign, "ACTIVE or CREATE FAILED")
    busy = _updating(request, campaign)
    if busy:
        raise in_use(CAMPAIGN, busy)
    version = None
    if params.get("solutionVersionArn") is not None:
        version = deployable_version(request, params["solutionVersionArn"])
    changes: Body = {
        "solutionVersionArn": version.arn if version else None,
        "minProvisionedTPS": params.get("minProvisionedTPS"),
        "campaignConfig": params.get("campaignConfig"),
    }
    start_update(request.state, campaign, changes, request.now, failure=request.failure)
    if version is not None:
        _remember_target(campaign, version, params)
    elif "campaignConfig" in params:
        campaign.extra["sync"] = _syncs(params)
    return {"campaignArn": campaign.arn}


def start_update(
    state: State, campaign: Resource, changes: Body, at: float, failure: str | None = None
) -> None:
    """Start a campaign update; the live configuration changes only once it is ACTIVE."""

    def deployed(resource: Resource, done_at: float) -> None:
        resource.attrs["status"] = "ACTIVE"
        resource.attrs.pop("failureReason", None)

    state.update(
        CAMPAIGN,
        campaign,
        UPDATE,
        changes,
        start=at,
        live=DEPLOYED,
        failure=failure,
        on_done=deployed,
    )


def sync_campaigns(state: State, version: Resource, at: float) -> None:
    """Deploy a newly ACTIVE solution version to the campaigns that follow ``$LATEST``.

    Versions trained with trainingMode UPDATE do not trigger a campaign update.
    """
    if version.attrs.get("trainingMode") == "UPDATE":
        return
    for campaign in state.store.all(CAMPAIGN.kind):
        if (
            campaign.extra.get("sync")
            and campaign.extra.get("solutionArn") == version.attrs["solutionArn"]
            and campaign.status == "ACTIVE"
        ):
            start_update(state, campaign, {"solutionVersionArn": version.arn}, at)


def _updating(request: Request, campaign: Resource) -> str | None:
    return update_in_flight(CAMPAIGN, campaign, UPDATE)


QUOTAS: tuple[Quota, ...] = (ACTIVE_CAMPAIGNS,)
"""The documented quotas of this family."""


def operations() -> dict[str, Operation]:
    """The campaign operations served so far."""
    return {
        "CreateCampaign": creating(CAMPAIGN, create_campaign, SYNC_NEEDS_LATEST),
        "DescribeCampaign": describe(CAMPAIGN, "campaign"),
        "ListCampaigns": listing(
            CAMPAIGN, "campaigns", {"solutionArn": lambda c: c.extra.get("solutionArn")}
        ),
        "UpdateCampaign": Operation(
            update_campaign, (SYNC_NEEDS_LATEST,), starts=(CAMPAIGN, CREATE)
        ),
        "DeleteCampaign": deletion(CAMPAIGN, _updating),
    }
