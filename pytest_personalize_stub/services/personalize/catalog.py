"""The read-only catalogue: recipes, algorithms, feature transformations.

The same for every account (ARNs have no region and no account), built once from the recipe
table of :mod:`.recipes`, ACTIVE, and dated when Amazon Personalize became available.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone

from ...account import Request
from ...declarations import Body, Quota
from ...errors import ServiceError
from ...operations import Served, page
from ...store import Resource
from .common import DIALECT
from .recipes import ALGORITHM_ARN, FEATURE_TRANSFORMATION_ARN, RECIPES, Recipe

PUBLISHED = datetime(2019, 6, 10, tzinfo=timezone.utc).timestamp()
"""creationDateTime and lastUpdatedDateTime of every catalogue entry (general availability)."""

ALGORITHM_IMAGE = "personalize/{name}:latest"
"""The docker URI shown for an algorithm's image (inferred: the docs show none)."""

PAGE_SIZE = 100


def _dated(**attrs: object) -> Body:
    return {**attrs, "creationDateTime": PUBLISHED, "lastUpdatedDateTime": PUBLISHED}


def _recipe(recipe: Recipe) -> Body:
    attrs = _dated(name=recipe.name, recipeArn=recipe.arn, status="ACTIVE")
    attrs["description"] = recipe.description
    if recipe.recipe_type is not None:
        attrs["recipeType"] = recipe.recipe_type
    if recipe.algorithm_name is not None:
        attrs["algorithmArn"] = ALGORITHM_ARN.format(name=recipe.algorithm_name)
    if recipe.feature_transformation is not None:
        attrs["featureTransformationArn"] = FEATURE_TRANSFORMATION_ARN.format(
            name=recipe.feature_transformation
        )
    if recipe.domain is not None:
        attrs["domain"] = recipe.domain
    return attrs


def _algorithm(name: str) -> Body:
    return _dated(
        name=name,
        algorithmArn=ALGORITHM_ARN.format(name=name),
        algorithmImage={"name": name, "dockerURI": ALGORITHM_IMAGE.format(name=name)},
        trainingInputMode="File",
    )


def _feature_transformation(name: str) -> Body:
    return _dated(
        name=name,
        featureTransformationArn=FEATURE_TRANSFORMATION_ARN.format(name=name),
        status="ACTIVE",
    )


def _listed(entries: list[Body], key: str) -> list[Resource]:
    """Catalogue entries as resources the engine pages through (newest-first order = table)."""
    count = len(entries)
    return [
        Resource("recipe", entry[key], entry, count - index) for index, entry in enumerate(entries)
    ]


RECIPE_ENTRIES = _listed([_recipe(recipe) for recipe in RECIPES], "recipeArn")
ALGORITHMS = {
    entry["algorithmArn"]: entry
    for entry in (
        _algorithm(name)
        for name in dict.fromkeys(r.algorithm_name for r in RECIPES if r.algorithm_name)
    )
}
FEATURE_TRANSFORMATIONS = {
    entry["featureTransformationArn"]: entry
    for entry in (
        _feature_transformation(name)
        for name in dict.fromkeys(
            r.feature_transformation for r in RECIPES if r.feature_transformation
        )
    )
}
RECIPES_BY_ARN = {entry.arn: entry.attrs for entry in RECIPE_ENTRIES}


def _lookup(entries: Mapping[str, Body], arn: str) -> Body:
    entry = entries.get(arn)
    if entry is None:
        raise ServiceError(DIALECT.not_found, DIALECT.not_found_message.format(arn=arn))
    return entry


def list_recipes(request: Request) -> Body:
    params = request.params
    domain = params.get("domain")
    entries = [e for e in RECIPE_ENTRIES if domain is None or e.attrs.get("domain") == domain]
    return page(request, DIALECT, entries, "recipes", page_size=PAGE_SIZE)


def describe_recipe(request: Request) -> Body:
    return {"recipe": _lookup(RECIPES_BY_ARN, request.params["recipeArn"])}


def describe_algorithm(request: Request) -> Body:
    return {"algorithm": _lookup(ALGORITHMS, request.params["algorithmArn"])}


def describe_feature_transformation(request: Request) -> Body:
    arn = request.params["featureTransformationArn"]
    return {"featureTransformation": _lookup(FEATURE_TRANSFORMATIONS, arn)}


QUOTAS: tuple[Quota, ...] = ()
"""The documented quotas of this family."""


def operations() -> dict[str, Served]:
    """The catalogue operations."""
    return {
        "ListRecipes": Served(list_recipes),
        "DescribeRecipe": Served(describe_recipe),
        "DescribeAlgorithm": Served(describe_algorithm),
        "DescribeFeatureTransformation": Served(describe_feature_transformation),
    }
