"""Campaigns: deploying a solution version, updates and ``$LATEST`` synchronisation."""

from __future__ import annotations

from typing import Any

from ...account import Account, Request
from ...declarations import Body, Quota, Rule, in_use, invalid, require_status
from ...operations import Served, creating, deletion, describe, listing, updating
from ...store import Resource
from .common import ALIVE, active, newest, update_in_flight
from .recipes import EXPLORATION_DEFAULTS, EXPLORING_RECIPES, recipe_name, recipe_type
from .resources import CAMPAIGN, SOLUTION, SOLUTION_VERSION, CampaignExtra

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
        version = newest(request.account, SOLUTION_VERSION, {"ACTIVE"}, solutionArn=solution.arn)
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
    message=(
        "Cannot create a campaign. More than {limit} resources in ACTIVE state. "
        "Please delete some and try again."
    ),
)
"""Refused in the words of the developer guide's error-messages page."""


def create_campaign(request: Request) -> Body:
    params = request.params
    version = deployable_version(request, params["solutionVersionArn"])
    request.enforce(ACTIVE_CAMPAIGNS, version.attrs["datasetGroupArn"])
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
    campaign = request.create(
        CAMPAIGN,
        attrs,
        tags=params.get("tags"),
        name=params["name"],
        extra=_aim(CampaignExtra(), version, params),
    )
    return {"campaignArn": campaign.arn}


def _aim(extra: CampaignExtra, version: Resource, params: Any) -> CampaignExtra:
    """Keep in a campaign's record where the solution version it deploys comes from."""
    extra.solution_arn = version.attrs["solutionArn"]
    extra.dataset_group_arn = version.attrs["datasetGroupArn"]
    extra.syncs = _syncs(params)
    return extra


def update_campaign(request: Request) -> Body:
    params = request.params
    campaign = request.find(CAMPAIGN, params["campaignArn"])
    require_status(CAMPAIGN, campaign, ("ACTIVE", "CREATE FAILED"))
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
    start_update(request.account, campaign, changes, request.now)
    if version is not None:
        _aim(campaign.extra(CampaignExtra), version, params)
        request.account.reindex(campaign)
    elif "campaignConfig" in params:
        campaign.extra(CampaignExtra).syncs = _syncs(params)
    return {"campaignArn": campaign.arn}


def start_update(account: Account, campaign: Resource, changes: Body, at: float) -> None:
    """Start a campaign update; the live configuration changes only once it is ACTIVE."""

    def deployed(resource: Resource, done_at: float) -> None:
        resource.attrs["status"] = "ACTIVE"
        resource.attrs.pop("failureReason", None)

    account.update(CAMPAIGN, campaign, UPDATE, changes, start=at, live=DEPLOYED, on_done=deployed)


def sync_campaigns(account: Account, version: Resource, at: float) -> None:
    """Deploy a newly ACTIVE solution version to the campaigns that follow ``$LATEST``.

    Versions trained with trainingMode UPDATE do not trigger a campaign update.
    """
    if version.attrs.get("trainingMode") == "UPDATE":
        return
    for campaign in list(account.having(CAMPAIGN, solutionArn=version.attrs["solutionArn"])):
        if campaign.extra(CampaignExtra).syncs and campaign.status == "ACTIVE":
            start_update(account, campaign, {"solutionVersionArn": version.arn}, at)


def _updating(request: Request, campaign: Resource) -> str | None:
    return update_in_flight(CAMPAIGN, campaign, UPDATE)


QUOTAS: tuple[Quota, ...] = (ACTIVE_CAMPAIGNS,)
"""The documented quotas of this family."""


def operations() -> dict[str, Served]:
    """The campaign operations."""
    return {
        "CreateCampaign": creating(CAMPAIGN, create_campaign, SYNC_NEEDS_LATEST),
        "DescribeCampaign": describe(CAMPAIGN, "campaign"),
        "ListCampaigns": listing(CAMPAIGN, "campaigns", ("solutionArn",)),
        "UpdateCampaign": updating(CAMPAIGN, UPDATE, update_campaign, SYNC_NEEDS_LATEST),
        "DeleteCampaign": deletion(CAMPAIGN, _updating),
    }
