"""The read-only recipe catalogue every account sees, one row per recipe as the docs list them.

Each recipe page of the developer guide gives the recipe's name, its algorithm ARN and, for
some, its feature transformation ARN and recipe type; a row leaves out what the page leaves
out. Domain use cases (``aws-ecomm-*``, ``aws-vod-*``) carry their ``domain`` and no recipe
type: they serve recommenders, not solutions.
"""

from __future__ import annotations

from dataclasses import dataclass

RECIPE_ARN = "arn:aws:personalize:::recipe/{name}"
ALGORITHM_ARN = "arn:aws:personalize:::algorithm/{name}"
FEATURE_TRANSFORMATION_ARN = "arn:aws:personalize:::feature-transformation/{name}"

SAME_NAME = "="
"""An algorithm named like its recipe (the usual case in the docs)."""


@dataclass(frozen=True)
class Recipe:
    """One catalogue recipe: what DescribeRecipe and ListRecipes show for it."""

    name: str
    recipe_type: str | None
    description: str
    feature_transformation: str | None = None
    algorithm: str | None = SAME_NAME
    domain: str | None = None

    @property
    def arn(self) -> str:
        """``arn:aws:personalize:::recipe/<name>``."""
        return RECIPE_ARN.format(name=self.name)

    @property
    def algorithm_name(self) -> str | None:
        """The name of the algorithm the recipe trains with, if the docs give one."""
        return self.name if self.algorithm == SAME_NAME else self.algorithm


UP, PR, RI = "USER_PERSONALIZATION", "PERSONALIZED_RANKING", "RELATED_ITEMS"
ECOMMERCE, VOD = "ECOMMERCE", "VIDEO_ON_DEMAND"

# fmt: off
RECIPES: tuple[Recipe, ...] = (
    Recipe("aws-user-personalization-v2", UP,
           "Transformer-based recommendations of items a user will interact with."),
    Recipe("aws-user-personalization", UP,
           "Items a user will interact with, with exploration of new items."),
    Recipe("aws-trending-now", "POPULAR_ITEMS",
           "Items gaining popularity fastest among your users.",
           algorithm="aws-trending-now-custom"),
    Recipe("aws-popularity-count", UP,
           "The items most users interacted with, the same for every user.", "sims"),
    Recipe("aws-personalized-ranking-v2", PR,
           "Transformer-based re-ranking of a list of items for a user."),
    Recipe("aws-personalized-ranking", PR,
           "Re-ranks a list of items by a user's predicted interest.",
           "JSON-percentile-filtering"),
    Recipe("aws-semantic-similarity", RI,
           "Items semantically similar to an item, from its text metadata.",
           "aws-semantic-similarity"),
    Recipe("aws-similar-items", RI,
           "Items similar to an item, from interactions and item metadata."),
    Recipe("aws-sims", RI,
           "Items most often interacted with together with an item.", "sims"),
    Recipe("aws-next-best-action", "PERSONALIZED_ACTIONS",
           "The actions a user is most likely to take next."),
    Recipe("aws-item-affinity", "USER_SEGMENTATION",
           "A segment of the users most likely to interact with each item.", "item-affinity"),
    Recipe("aws-item-attribute-affinity", "USER_SEGMENTATION",
           "A segment of the users most likely to interact with items of each attribute value.",
           "item-attribute-affinity"),
    Recipe("aws-hrnn", UP,
           "Legacy hierarchical recurrent neural network of a user's interactions.",
           "JSON-percentile-filtering"),
    Recipe("aws-hrnn-metadata", UP,
           "Legacy HRNN with contextual, user and item metadata.", "featurize_metadata"),
    Recipe("aws-hrnn-coldstart", UP,
           "Legacy HRNN-Metadata that also recommends new items.", "featurize_coldstart"),
    Recipe("aws-ecomm-popular-items-by-views", None,
           "Most viewed: popular items by view count.", algorithm=None, domain=ECOMMERCE),
    Recipe("aws-ecomm-popular-items-by-purchases", None,
           "Best sellers: popular items by purchase count.", algorithm=None, domain=ECOMMERCE),
    Recipe("aws-ecomm-frequently-bought-together", None,
           "Items frequently bought together with an item.", algorithm=None, domain=ECOMMERCE),
    Recipe("aws-ecomm-customers-who-viewed-x-also-viewed", None,
           "Items other customers viewed after viewing an item.",
           algorithm=None, domain=ECOMMERCE),
    Recipe("aws-ecomm-recommended-for-you", None,
           "Personalized item recommendations for a user.", algorithm=None, domain=ECOMMERCE),
    Recipe("aws-vod-because-you-watched-x", None,
           "Videos similar to a video the user watched.", algorithm=None, domain=VOD),
    Recipe("aws-vod-more-like-x", None,
           "Videos similar to a video, from what other users watched.",
           algorithm=None, domain=VOD),
    Recipe("aws-vod-most-popular", None,
           "The most watched videos.", algorithm=None, domain=VOD),
    Recipe("aws-vod-trending-now", None,
           "Videos gaining popularity fastest.", algorithm=None, domain=VOD),
    Recipe("aws-vod-top-picks", None,
           "Personalized video recommendations for a user.", algorithm=None, domain=VOD),
)
"""The catalogue, in the developer guide's order: custom recipes, then domain use cases."""
# fmt: on

BY_NAME = {recipe.name: recipe for recipe in RECIPES}

RECIPE_TYPES = {recipe.name: recipe.recipe_type for recipe in RECIPES if recipe.recipe_type}
"""Custom recipes by name, with the recipe type that decides how they are used."""

EXPLORATION_DEFAULTS = {"explorationWeight": "0.3", "explorationItemAgeCutOff": "30"}
"""Item exploration a User-Personalization campaign uses unless told otherwise (docs)."""

EXPLORING_RECIPES = frozenset({"aws-user-personalization", "aws-user-personalization-v2"})


def recipe_type(recipe_arn: str) -> str | None:
    """The type of a custom catalogue recipe, or None when the ARN names no custom recipe."""
    prefix, _, name = recipe_arn.rpartition("/")
    if prefix != "arn:aws:personalize:::recipe":
        return None
    return RECIPE_TYPES.get(name)


def recipe_name(recipe_arn: str) -> str:
    """The recipe's name, e.g. 'aws-user-personalization'."""
    return recipe_arn.rpartition("/")[2]
