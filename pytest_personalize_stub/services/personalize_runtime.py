"""personalize-runtime: recommendations, rankings and action recommendations.

Answers are deterministic: the same campaign (as deployed) or recommender and the same inputs
give the same items in the same order. The candidates are, in order: what
``personalize_stub.set_recommendations(arn, ids)`` set for the campaign or recommender, then the
ids the dataset group knows from personalize-events (PutItems/PutActions records and the ids of
recorded interactions), in an order fixed by the inputs; a group that knows no ids recommends
from a synthetic catalogue (``item-0000`` ... ``item-0999``, ``action-0000`` ...).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..engine import Body, Dialect, Operation, Request, Service, invalid, not_found
from ..store import Resource
from .personalize.common import DIALECT as CONTROL_PLANE
from .personalize.recipes import recipe_name, recipe_type
from .personalize.recommenders import use_case
from .personalize.resources import CAMPAIGN, FILTER, RECOMMENDER, SOLUTION_VERSION
from .personalize_events import group_dataset, known_ids, records

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
MAX_WITH_METADATA = 50
"""numResults / inputList limit when ``metadataColumns`` is given (model)."""
MAX_METADATA_COLUMNS = 10
DEFAULT_ACTIONS = 5
MAX_ACTIONS = 100
CATALOG_SIZE = 1000
"""How many synthetic ids a campaign recommends from while its group knows none."""

SCORED_TYPES = frozenset({"USER_PERSONALIZATION", "PERSONALIZED_RANKING", "PERSONALIZED_ACTIONS"})
UNSCORED_RECIPES = frozenset({"aws-popularity-count"})
"""Scores come only with these recipe types, never from this recipe or recommenders (docs)."""


@dataclass(frozen=True)
class Target:
    """The campaign or recommender a call asks, as it serves now."""

    resource: Resource
    group: str
    model: str
    """The deployed solution version (campaign) or the recommender: what decides the answer."""
    recipe: str
    metadata: bool
    """Whether it was created with ``enableMetadataWithRecommendations``."""

    @property
    def kind(self) -> str | None:
        """The recipe type of a campaign's solution version (None for a recommender)."""
        return recipe_type(self.recipe)

    @property
    def scored(self) -> bool:
        """Whether its answers carry scores."""
        return self.kind in SCORED_TYPES and recipe_name(self.recipe) not in UNSCORED_RECIPES


def _campaign(request: Request, arn: str) -> Target:
    campaign = request.state.store.get(CAMPAIGN.kind, arn)
    if campaign is None or campaign.status != "ACTIVE":
        raise not_found(CAMPAIGN, arn)
    version_arn = campaign.attrs["solutionVersionArn"]
    version = request.state.store.get(SOLUTION_VERSION.kind, version_arn)
    config = campaign.attrs.get("campaignConfig") or {}
    return Target(
        campaign,
        campaign.extra.get("datasetGroupArn", ""),
        version_arn,
        str(version.attrs.get("recipeArn", "")) if version else "",
        bool(config.get("enableMetadataWithRecommendations")),
    )


def _recommender(request: Request, arn: str) -> Target:
    recommender = request.state.store.get(RECOMMENDER.kind, arn)
    if recommender is None or recommender.status != "ACTIVE":
        raise not_found(RECOMMENDER, arn)
    config = recommender.attrs.get("recommenderConfig") or {}
    return Target(
        recommender,
        recommender.attrs["datasetGroupArn"],
        recommender.arn,
        recommender.attrs["recipeArn"],
        bool(config.get("enableMetadataWithRecommendations")),
    )


def _check_filter(request: Request, arn: str | None, values: Mapping[str, str] | None) -> None:
    """The filter must exist (NF), be ACTIVE and get a value for each INCLUDE placeholder."""
    if arn is None:
        return
    found = request.state.store.get(FILTER.kind, arn)
    if found is None:
        raise not_found(FILTER, arn)
    if found.status != "ACTIVE":
        raise invalid(FILTER, f"The filter {arn} is {found.status}; it must be ACTIVE.")
    placeholders = found.extra.get("placeholders")
    if not isinstance(placeholders, Mapping):
        return
    given = values or {}
    missing = sorted(
        name for name, action in placeholders.items() if action == "INCLUDE" and name not in given
    )
    if missing:
        raise invalid(
            FILTER,
            f"The filter {arn} needs filterValues for its INCLUDE placeholders: "
            + ", ".join(missing)
            + ".",
        )


def _metadata_columns(target: Target, params: Mapping[str, Any]) -> list[str] | None:
    """The Items columns asked for with ``metadataColumns``, or None when none are."""
    columns = params.get("metadataColumns")
    if not columns:
        return None
    if not target.metadata:
        raise invalid(
            CAMPAIGN,
            f"{target.resource.arn} was not created with enableMetadataWithRecommendations; "
            "it cannot return metadataColumns.",
        )
    other = sorted(key for key in columns if key != "ITEMS")
    if other:
        raise invalid(
            CAMPAIGN, f"metadataColumns takes only the key ITEMS, not {', '.join(other)}."
        )
    wanted = list(columns.get("ITEMS", []))
    if len(wanted) > MAX_METADATA_COLUMNS:
        raise invalid(
            CAMPAIGN, f"metadataColumns.ITEMS lists at most {MAX_METADATA_COLUMNS} columns."
        )
    return wanted


def _limit(count: int, name: str, most: int) -> None:
    if count > most:
        raise invalid(CAMPAIGN, f"{name} must be at most {most}; it is {count}.")


def _order(seed: str, ids: Iterable[str]) -> list[str]:
    """``ids`` in an order fixed by ``seed``."""
    return sorted(ids, key=lambda i: hashlib.sha256(f"{seed}|{i}".encode()).digest())


def _synthetic(seed: str, prefix: str) -> Iterator[str]:
    """Every id of the synthetic catalogue once, in an order fixed by ``seed``."""
    digest = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big")
    step = 7919
    for index in range(CATALOG_SIZE):
        yield f"{prefix}-{(digest + index * step) % CATALOG_SIZE:04d}"


def _candidates(
    request: Request, target: Target, seed: str, known: list[str], prefix: str
) -> list[str]:
    """Set recommendations first, then known ids (or the synthetic catalogue), each once."""
    chosen = request.state.recommendations.get(target.resource.arn, [])
    rest: Iterable[str] = _order(seed, known) if known else _synthetic(seed, prefix)
    return list(dict.fromkeys([*chosen, *rest]))


def _scores(count: int) -> list[float]:
    """Decreasing scores of ``count`` ranked ids, summing to 1."""
    weights = [1.0 / (rank + 1) for rank in range(count)]
    total = sum(weights)
    return [weight / total for weight in weights]


def _answer(
    request: Request, target: Target, ranked: list[str], count: int, columns: list[str] | None
) -> list[Body]:
    scores = _scores(len(ranked)) if target.scored else None
    catalog = group_dataset(request, target.group, "ITEMS") if columns is not None else None
    properties = records(catalog) if catalog is not None else {}
    answer: list[Body] = []
    for rank, item_id in enumerate(ranked[:count]):
        item: Body = {"itemId": item_id}
        if scores is not None:
            item["score"] = scores[rank]
        if columns is not None:
            item["metadata"] = _metadata(properties.get(item_id, {}), columns)
        answer.append(item)
    return answer


def _metadata(properties: Mapping[str, Any], columns: list[str]) -> dict[str, str]:
    """The asked columns an item's PutItems properties hold (``GENRES`` finds ``genres``)."""
    plain = {key.replace("_", "").lower(): value for key, value in properties.items()}
    found: dict[str, str] = {}
    for column in columns:
        value = properties.get(column, plain.get(column.replace("_", "").lower()))
        if value is not None:
            found[column] = value if isinstance(value, str) else str(value)
    return found


def _recommendation_id(request: Request) -> str:
    return f"RID-{request.state.new_uuid()}"


def get_recommendations(request: Request) -> Body:
    params = request.params
    if (params.get("campaignArn") is None) == (params.get("recommenderArn") is None):
        raise invalid(CAMPAIGN, "Specify exactly one of campaignArn and recommenderArn.")
    user, item = params.get("userId"), params.get("itemId")
    if params.get("recommenderArn") is not None:
        target = _recommender(request, params["recommenderArn"])
        use = use_case(target.recipe)
        if use is not None and use.needs_user and user is None:
            raise invalid(RECOMMENDER, f"userId is required by {recipe_name(target.recipe)}.")
        if use is not None and use.needs_item and item is None:
            raise invalid(RECOMMENDER, f"itemId is required by {recipe_name(target.recipe)}.")
    else:
        target = _campaign(request, params["campaignArn"])
        _check_campaign_input(target, user, item)
    columns = _metadata_columns(target, params)
    count = params.get("numResults", DEFAULT_RESULTS)
    _limit(count, "numResults", MAX_RESULTS if columns is None else MAX_WITH_METADATA)
    _check_filter(request, params.get("filterArn"), params.get("filterValues"))
    promotion = (params.get("promotions") or [None])[0]
    if promotion is not None:
        _check_filter(request, promotion.get("filterArn"), promotion.get("filterValues"))
    seed = "|".join((target.model, user or "", item or ""))
    known = known_ids(request, target.group, "ITEMS", "INTERACTIONS", "itemId")
    ranked = [i for i in _candidates(request, target, seed, known, "item") if i != item]
    items = _answer(request, target, ranked, count, columns)
    if promotion is not None:
        promoted = len(items) * promotion.get("percentPromotedItems", 0) // 100
        for entry in items[len(items) - promoted :]:
            entry["promotionName"] = promotion["name"]
    return {"itemList": items, "recommendationId": _recommendation_id(request)}


def _check_campaign_input(target: Target, user: str | None, item: str | None) -> None:
    kind = target.kind
    if kind == "PERSONALIZED_RANKING":
        raise invalid(CAMPAIGN, "Use GetPersonalizedRanking with a PERSONALIZED_RANKING campaign.")
    if kind == "PERSONALIZED_ACTIONS":
        raise invalid(
            CAMPAIGN, "Use GetActionRecommendations with a PERSONALIZED_ACTIONS campaign."
        )
    if kind == "RELATED_ITEMS" and item is None:
        raise invalid(CAMPAIGN, "itemId is required for a RELATED_ITEMS campaign.")
    if kind in ("USER_PERSONALIZATION", "POPULAR_ITEMS") and user is None:
        raise invalid(CAMPAIGN, "userId is required for this campaign.")


def get_personalized_ranking(request: Request) -> Body:
    params = request.params
    target = _campaign(request, params["campaignArn"])
    if target.kind != "PERSONALIZED_RANKING":
        raise invalid(
            CAMPAIGN,
            f"The campaign {target.resource.arn} does not deploy a PERSONALIZED_RANKING recipe; "
            "use GetRecommendations.",
        )
    columns = _metadata_columns(target, params)
    inputs = list(dict.fromkeys(params["inputList"]))
    _limit(
        len(params["inputList"]), "inputList", MAX_RESULTS if columns is None else MAX_WITH_METADATA
    )
    _check_filter(request, params.get("filterArn"), params.get("filterValues"))
    chosen = [i for i in request.state.recommendations.get(target.resource.arn, []) if i in inputs]
    known = set(known_ids(request, target.group, "ITEMS", "INTERACTIONS", "itemId"))
    rest = [i for i in inputs if i not in chosen]
    seed = f"{target.model}|{params['userId']}"
    if known:
        ranked = [*chosen, *_order(seed, [i for i in rest if i in known])]
        ranked += [i for i in rest if i not in known]
    else:
        ranked = [*chosen, *_order(seed, rest)]
    ranking = _answer(request, target, ranked, len(ranked), columns)
    return {"personalizedRanking": ranking, "recommendationId": _recommendation_id(request)}


def get_action_recommendations(request: Request) -> Body:
    params = request.params
    if params.get("campaignArn") is None:
        raise invalid(CAMPAIGN, "campaignArn is required.")
    target = _campaign(request, params["campaignArn"])
    if target.kind != "PERSONALIZED_ACTIONS":
        raise invalid(
            CAMPAIGN,
            f"The campaign {target.resource.arn} does not deploy a PERSONALIZED_ACTIONS recipe.",
        )
    if params.get("userId") is None:
        raise invalid(CAMPAIGN, "userId is required for action recommendations.")
    count = params.get("numResults", DEFAULT_ACTIONS)
    _limit(count, "numResults", MAX_ACTIONS)
    _check_filter(request, params.get("filterArn"), params.get("filterValues"))
    known = known_ids(request, target.group, "ACTIONS", "ACTION_INTERACTIONS", "actionId")
    seed = f"{target.model}|{params['userId']}"
    ranked = _candidates(request, target, seed, known, "action")
    scores = _scores(len(ranked))
    actions = [{"actionId": a, "score": scores[rank]} for rank, a in enumerate(ranked[:count])]
    return {"actionList": actions, "recommendationId": _recommendation_id(request)}


SERVICE = Service(
    "personalize-runtime",
    DIALECT,
    (),
    {
        "GetRecommendations": Operation(get_recommendations),
        "GetPersonalizedRanking": Operation(get_personalized_ranking),
        "GetActionRecommendations": Operation(get_action_recommendations),
    },
)
