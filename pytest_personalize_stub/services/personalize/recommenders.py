"""Recommenders of domain dataset groups: create, stop, start, update and delete.

A recommender trains a model for one domain use case (a recipe such as
``aws-ecomm-recommended-for-you``); it serves GetRecommendations while ACTIVE.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ...account import Request, clone
from ...declarations import Body, Quota, Walk, in_use, invalid, require_status
from ...errors import ServiceError
from ...lifecycle import Process
from ...operations import Served, creating, deletion, listing, updating
from ...store import Resource
from .common import CREATE, DELETE, DIALECT, require_active, update_in_flight
from .recipes import BY_NAME, recipe_name, recipe_type
from .resources import DATASET_GROUP, RECOMMENDER, RecommenderExtra

RECIPE_PREFIX = "arn:aws:personalize:::recipe/"


@dataclass(frozen=True)
class UseCase:
    """A domain use case: its domain and what GetRecommendations needs for it."""

    domain: str
    needs_user: bool
    needs_item: bool
    personalized: bool = False
    """Recommends for one user (the only use cases that take ``itemExplorationConfig``)."""


NEEDS = {
    "aws-ecomm-popular-items-by-views": (True, False, False),
    "aws-ecomm-popular-items-by-purchases": (True, False, False),
    "aws-ecomm-frequently-bought-together": (False, True, False),
    "aws-ecomm-customers-who-viewed-x-also-viewed": (True, True, False),
    "aws-ecomm-recommended-for-you": (True, False, True),
    "aws-vod-because-you-watched-x": (True, True, False),
    "aws-vod-more-like-x": (True, True, False),
    "aws-vod-most-popular": (True, False, False),
    "aws-vod-trending-now": (False, False, False),
    "aws-vod-top-picks": (True, False, True),
}
"""Per domain use case: needs a userId, needs an itemId, personalized (as the docs list them)."""

USE_CASES = {name: UseCase(str(BY_NAME[name].domain), *needs) for name, needs in NEEDS.items()}
"""The domain use cases, their domain taken from the recipe catalogue."""

STOP = Process(("STOP PENDING", "STOP IN_PROGRESS"), "INACTIVE")
"""ACTIVE > STOP PENDING > STOP IN_PROGRESS > INACTIVE."""

START = Process(("START PENDING", "START IN_PROGRESS"), "ACTIVE")
"""INACTIVE > START PENDING > START IN_PROGRESS > ACTIVE."""

STOP_START_SECONDS = 300.0
"""How long a stop or a start takes (never longer than the recommender's creation)."""

UPDATE = "latestRecommenderUpdate"
DEFAULT_REQUESTS_PER_SECOND = 1

METRIC_NAMES = (
    "coverage",
    "mean_reciprocal_rank_at_25",
    "normalized_discounted_cumulative_gain_at_5",
    "normalized_discounted_cumulative_gain_at_10",
    "normalized_discounted_cumulative_gain_at_25",
    "precision_at_5",
    "precision_at_10",
    "precision_at_25",
)
"""The offline metrics a trained recommender reports (docs, "Evaluating a recommender")."""

UNTRAINED = CREATE.transitional | DELETE.transitional
"""Statuses in which DescribeRecommender has no modelMetrics (model)."""


def use_case(recipe_arn: str) -> UseCase | None:
    """The domain use case a recipe ARN names, or None."""
    if not recipe_arn.startswith(RECIPE_PREFIX):
        return None
    return USE_CASES.get(recipe_name(recipe_arn))


def _checked_config(use: UseCase, config: Body | None) -> Body:
    checked: Body = clone(config or {})
    if "itemExplorationConfig" in checked and not use.personalized:
        raise invalid(
            RECOMMENDER,
            "itemExplorationConfig is only valid for use cases that recommend items for a user "
            "(aws-ecomm-recommended-for-you, aws-vod-top-picks).",
        )
    checked.setdefault("minRecommendationRequestsPerSecond", DEFAULT_REQUESTS_PER_SECOND)
    return checked


RECOMMENDERS_PER_GROUP = Quota(
    key="recommenders_per_dataset_group",
    name="Recommenders per dataset group",
    rtype=RECOMMENDER,
    limit=5,
    scope="datasetGroupArn",
)


def create_recommender(request: Request) -> Body:
    params = request.params
    group = request.find(DATASET_GROUP, params["datasetGroupArn"])
    domain = group.attrs.get("domain")
    if domain is None:
        raise invalid(
            RECOMMENDER,
            f"The dataset group {group.arn} is not a Domain dataset group; recommenders need "
            "one (use a campaign with a custom dataset group).",
        )
    require_active(DATASET_GROUP, group)
    recipe = params["recipeArn"]
    use = use_case(recipe)
    if use is None and recipe_type(recipe) is None:
        raise ServiceError(DIALECT.not_found, f"Resource Arn {recipe} does not exist.")
    if use is None or use.domain != domain:
        raise invalid(
            RECOMMENDER,
            f"The recipe {recipe} is not a use case of the {domain} domain of {group.arn}.",
        )
    request.enforce(RECOMMENDERS_PER_GROUP, group.arn)
    attrs: Body = {
        "name": params["name"],
        "datasetGroupArn": group.arn,
        "recipeArn": recipe,
        "recommenderConfig": _checked_config(use, params.get("recommenderConfig")),
    }
    recommender = request.create(
        RECOMMENDER, attrs, tags=params.get("tags"), name=params["name"], on_ready=_trained
    )
    return {"recommenderArn": recommender.arn}


def _trained(recommender: Resource, at: float) -> None:
    digest = hashlib.sha256(recommender.arn.encode()).digest()
    recommender.extra(RecommenderExtra).model_metrics = {
        name: round(0.05 + digest[index] / 255 * 0.5, 4) for index, name in enumerate(METRIC_NAMES)
    }


def describe_recommender(request: Request) -> Body:
    recommender = request.find(RECOMMENDER, request.params["recommenderArn"])
    metrics = recommender.extra(RecommenderExtra).model_metrics
    if metrics is None or recommender.status in UNTRAINED:
        return {"recommender": recommender.attrs}
    return {"recommender": {**recommender.attrs, "modelMetrics": metrics}}


def _updating(request: Request, recommender: Resource) -> str | None:
    return update_in_flight(RECOMMENDER, recommender, UPDATE)


def _moving(request: Request, process: Process, wanted: str) -> Body:
    recommender = request.find(RECOMMENDER, request.params["recommenderArn"])
    require_status(RECOMMENDER, recommender, (wanted,))
    busy = _updating(request, recommender)
    if busy:
        raise in_use(RECOMMENDER, busy)
    account = request.account
    account.walk(
        recommender,
        process,
        start=request.now,
        seconds=min(STOP_START_SECONDS, account.seconds(RECOMMENDER)),
    )
    return {"recommenderArn": recommender.arn}


def stop_recommender(request: Request) -> Body:
    return _moving(request, STOP, "ACTIVE")


def start_recommender(request: Request) -> Body:
    return _moving(request, START, "INACTIVE")


def update_recommender(request: Request) -> Body:
    params = request.params
    recommender = request.find(RECOMMENDER, params["recommenderArn"])
    require_active(RECOMMENDER, recommender)
    busy = _updating(request, recommender)
    if busy:
        raise in_use(RECOMMENDER, busy)
    use = use_case(recommender.attrs["recipeArn"])
    assert use is not None, "a recommender always has a domain use case"
    config = _checked_config(use, params["recommenderConfig"])
    request.account.update(
        RECOMMENDER,
        recommender,
        UPDATE,
        {"recommenderConfig": config},
        start=request.now,
        live=("recommenderConfig",),
    )
    return {"recommenderArn": recommender.arn}


QUOTAS: tuple[Quota, ...] = (RECOMMENDERS_PER_GROUP,)
"""The documented quotas of this family."""


def operations() -> dict[str, Served]:
    """The recommender operations."""
    return {
        "CreateRecommender": creating(RECOMMENDER, create_recommender),
        "DescribeRecommender": Served(describe_recommender),
        "ListRecommenders": listing(RECOMMENDER, "recommenders", ("datasetGroupArn",)),
        "StopRecommender": Served(
            stop_recommender, walks=(Walk(RECOMMENDER, STOP, frozenset({"ACTIVE"})),)
        ),
        "StartRecommender": Served(
            start_recommender, walks=(Walk(RECOMMENDER, START, frozenset({"INACTIVE"})),)
        ),
        "UpdateRecommender": updating(RECOMMENDER, UPDATE, update_recommender),
        "DeleteRecommender": deletion(RECOMMENDER, _updating),
    }
