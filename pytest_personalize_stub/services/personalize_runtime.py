"""personalize-runtime: recommendations from ACTIVE campaigns.

Answers are deterministic: the same campaign, deployed version and inputs give the same
items in the same order, so tests can assert on them.
"""

from __future__ import annotations

import hashlib

from ..engine import Body, Dialect, Operation, Request, Service, invalid, not_found
from .personalize.common import DIALECT as CONTROL_PLANE
from .personalize.recipes import recipe_type
from .personalize.resources import CAMPAIGN

DIALECT = Dialect(
    service="personalize-runtime",
    arn_service="personalize",
    validation_error="InvalidInputException",
    not_found="ResourceNotFoundException",
    already_exists=CONTROL_PLANE.already_exists,
    in_use=CONTROL_PLANE.in_use,
    invalid_token=CONTROL_PLANE.invalid_token,
    limit_exceeded=CONTROL_PLANE.limit_exceeded,
    created=CONTROL_PLANE.created,
    updated=CONTROL_PLANE.updated,
    failure=CONTROL_PLANE.failure,
)

DEFAULT_RESULTS = 25
MAX_RESULTS = 500
CATALOG_SIZE = 1000
"""How many distinct item ids a campaign recommends from until real items are imported."""


def get_recommendations(request: Request) -> Body:
    params = request.params
    if (params.get("campaignArn") is None) == (params.get("recommenderArn") is None):
        raise invalid(CAMPAIGN, "Specify exactly one of campaignArn and recommenderArn.")
    if params.get("recommenderArn") is not None:
        raise NotImplementedError("pytest-personalize-stub does not serve recommenders yet")
    arn = params["campaignArn"]
    campaign = request.state.store.get(CAMPAIGN.kind, arn)
    if campaign is None or campaign.status != "ACTIVE":
        raise not_found(CAMPAIGN, arn)
    kind = recipe_type(_deployed_recipe(request, campaign.attrs["solutionVersionArn"]))
    if kind == "RELATED_ITEMS" and params.get("itemId") is None:
        raise invalid(CAMPAIGN, "itemId is required for a RELATED_ITEMS campaign.")
    if kind == "PERSONALIZED_RANKING":
        raise invalid(CAMPAIGN, "Use GetPersonalizedRanking with a PERSONALIZED_RANKING campaign.")
    if kind in ("USER_PERSONALIZATION", "POPULAR_ITEMS") and params.get("userId") is None:
        raise invalid(CAMPAIGN, "userId is required for this campaign.")
    count = params.get("numResults", DEFAULT_RESULTS)
    if count > MAX_RESULTS:
        raise invalid(CAMPAIGN, f"numResults must be at most {MAX_RESULTS}.")
    seed = "|".join(
        (
            campaign.attrs["solutionVersionArn"],
            params.get("userId") or "",
            params.get("itemId") or "",
        )
    )
    items = _ranked_items(seed, count, exclude=params.get("itemId"))
    return {"itemList": items, "recommendationId": f"RID-{request.state.new_uuid()}"}


def _deployed_recipe(request: Request, version_arn: str) -> str:
    version = request.state.store.get("solution_version", version_arn)
    return str(version.attrs.get("recipeArn", "")) if version else ""


def _ranked_items(seed: str, count: int, exclude: str | None) -> list[Body]:
    digest = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big")
    step = 7919
    items: list[Body] = []
    index = 0
    while len(items) < count and index < CATALOG_SIZE:
        item_id = f"item-{(digest + index * step) % CATALOG_SIZE:04d}"
        index += 1
        if item_id == exclude:
            continue
        score = round(1.0 / (len(items) + 2), 6)
        items.append({"itemId": item_id, "score": score})
    return items


SERVICE = Service(
    "personalize-runtime",
    DIALECT,
    (),
    {"GetRecommendations": Operation(get_recommendations)},
)
