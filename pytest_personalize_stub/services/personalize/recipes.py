"""The read-only recipe catalogue every account sees (names and types as the docs list them)."""

from __future__ import annotations

RECIPE_ARN = "arn:aws:personalize:::recipe/{name}"

RECIPE_TYPES = {
    "aws-user-personalization-v2": "USER_PERSONALIZATION",
    "aws-user-personalization": "USER_PERSONALIZATION",
    "aws-popularity-count": "USER_PERSONALIZATION",
    "aws-trending-now": "POPULAR_ITEMS",
    "aws-personalized-ranking-v2": "PERSONALIZED_RANKING",
    "aws-personalized-ranking": "PERSONALIZED_RANKING",
    "aws-similar-items": "RELATED_ITEMS",
    "aws-sims": "RELATED_ITEMS",
    "aws-semantic-similarity": "RELATED_ITEMS",
    "aws-next-best-action": "PERSONALIZED_ACTIONS",
    "aws-item-affinity": "USER_SEGMENTATION",
    "aws-item-attribute-affinity": "USER_SEGMENTATION",
    "aws-hrnn": "USER_PERSONALIZATION",
    "aws-hrnn-metadata": "USER_PERSONALIZATION",
    "aws-hrnn-coldstart": "USER_PERSONALIZATION",
}
"""Custom recipes by name, with the recipe type that decides how they are used."""

EXPLORATION_DEFAULTS = {"explorationWeight": "0.3", "explorationItemAgeCutOff": "30"}
"""Item exploration a User-Personalization campaign uses unless told otherwise (docs)."""

EXPLORING_RECIPES = frozenset({"aws-user-personalization", "aws-user-personalization-v2"})


def recipe_type(recipe_arn: str) -> str | None:
    """The type of a catalogue recipe, or None when the ARN names no known recipe."""
    prefix, _, name = recipe_arn.rpartition("/")
    if prefix != "arn:aws:personalize:::recipe":
        return None
    return RECIPE_TYPES.get(name)


def recipe_name(recipe_arn: str) -> str:
    """The recipe's name, e.g. 'aws-user-personalization'."""
    return recipe_arn.rpartition("/")[2]
