"""The read-only catalogue: ListRecipes, DescribeRecipe, DescribeAlgorithm,
DescribeFeatureTransformation, with the recipes the developer guide lists."""

from __future__ import annotations

import pytest
from support.conformance import assert_conforms

RECIPE = "arn:aws:personalize:::recipe/{}"
ALGORITHM = "arn:aws:personalize:::algorithm/{}"
TRANSFORMATION = "arn:aws:personalize:::feature-transformation/{}"

CUSTOM = {
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
ECOMMERCE = {
    "aws-ecomm-popular-items-by-views",
    "aws-ecomm-popular-items-by-purchases",
    "aws-ecomm-frequently-bought-together",
    "aws-ecomm-customers-who-viewed-x-also-viewed",
    "aws-ecomm-recommended-for-you",
}
VIDEO_ON_DEMAND = {
    "aws-vod-because-you-watched-x",
    "aws-vod-more-like-x",
    "aws-vod-most-popular",
    "aws-vod-trending-now",
    "aws-vod-top-picks",
}


def all_recipes(client, **params):
    pages = client.get_paginator("list_recipes").paginate(**params)
    return [recipe for page in pages for recipe in page["recipes"]]


def test_list_recipes_returns_every_documented_recipe(personalize_client):
    listed = all_recipes(personalize_client)
    assert {r["name"] for r in listed} == set(CUSTOM) | ECOMMERCE | VIDEO_ON_DEMAND
    for recipe in listed:
        assert recipe["recipeArn"] == RECIPE.format(recipe["name"])
        assert recipe["status"] == "ACTIVE"
        assert recipe["creationDateTime"].tzinfo is not None
    assert all("domain" not in r for r in listed if r["name"] in CUSTOM)


def test_list_recipes_defaults_to_the_service_provider(personalize_client):
    explicit = all_recipes(personalize_client, recipeProvider="SERVICE")
    assert explicit == all_recipes(personalize_client)


def test_list_recipes_by_domain_gives_that_domains_use_cases(personalize_client):
    shop = all_recipes(personalize_client, domain="ECOMMERCE")
    assert {r["name"] for r in shop} == ECOMMERCE
    assert {r["domain"] for r in shop} == {"ECOMMERCE"}
    video = all_recipes(personalize_client, domain="VIDEO_ON_DEMAND")
    assert {r["name"] for r in video} == VIDEO_ON_DEMAND
    assert {r["domain"] for r in video} == {"VIDEO_ON_DEMAND"}


def test_list_recipes_pages_with_max_results(personalize_client):
    first = personalize_client.list_recipes(maxResults=7)
    assert len(first["recipes"]) == 7
    second = personalize_client.list_recipes(maxResults=7, nextToken=first["nextToken"])
    names = [r["name"] for r in first["recipes"] + second["recipes"]]
    assert len(set(names)) == 14
    everything = [r["name"] for r in all_recipes(personalize_client)]
    assert names == everything[:14]
    last = personalize_client.list_recipes(maxResults=100)
    assert "nextToken" not in last
    assert len(last["recipes"]) == len(everything)


def test_list_recipes_rejects_a_forged_token(personalize_client):
    with pytest.raises(personalize_client.exceptions.InvalidNextTokenException):
        personalize_client.list_recipes(nextToken="forged")


def test_list_recipes_rejects_an_unknown_domain(personalize_client):
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        personalize_client.list_recipes(domain="GAMES")


@pytest.mark.parametrize("name", sorted(CUSTOM))
def test_describe_recipe_gives_the_documented_type(personalize_client, name):
    response = personalize_client.describe_recipe(recipeArn=RECIPE.format(name))
    assert_conforms(
        response, personalize_client.meta.service_model.operation_model("DescribeRecipe")
    )
    recipe = response["recipe"]
    assert recipe["name"] == name
    assert recipe["recipeType"] == CUSTOM[name]
    assert recipe["status"] == "ACTIVE"
    assert recipe["description"]


@pytest.mark.parametrize(
    ("name", "algorithm", "transformation"),
    [
        ("aws-sims", "aws-sims", "sims"),
        ("aws-popularity-count", "aws-popularity-count", "sims"),
        ("aws-personalized-ranking", "aws-personalized-ranking", "JSON-percentile-filtering"),
        ("aws-hrnn", "aws-hrnn", "JSON-percentile-filtering"),
        ("aws-hrnn-metadata", "aws-hrnn-metadata", "featurize_metadata"),
        ("aws-hrnn-coldstart", "aws-hrnn-coldstart", "featurize_coldstart"),
        ("aws-item-affinity", "aws-item-affinity", "item-affinity"),
        ("aws-item-attribute-affinity", "aws-item-attribute-affinity", "item-attribute-affinity"),
        ("aws-semantic-similarity", "aws-semantic-similarity", "aws-semantic-similarity"),
        ("aws-user-personalization", "aws-user-personalization", None),
        ("aws-trending-now", "aws-trending-now-custom", None),
    ],
)
def test_describe_recipe_names_its_algorithm_and_feature_transformation(
    personalize_client, name, algorithm, transformation
):
    recipe = personalize_client.describe_recipe(recipeArn=RECIPE.format(name))["recipe"]
    assert recipe["algorithmArn"] == ALGORITHM.format(algorithm)
    if transformation is None:
        assert "featureTransformationArn" not in recipe
    else:
        assert recipe["featureTransformationArn"] == TRANSFORMATION.format(transformation)


def test_describe_domain_use_case(personalize_client):
    recipe = personalize_client.describe_recipe(recipeArn=RECIPE.format("aws-vod-top-picks"))[
        "recipe"
    ]
    assert recipe["name"] == "aws-vod-top-picks"
    assert "recipeType" not in recipe


def test_describe_unknown_recipe_is_not_found(personalize_client):
    with pytest.raises(personalize_client.exceptions.ResourceNotFoundException) as caught:
        personalize_client.describe_recipe(recipeArn=RECIPE.format("aws-crystal-ball"))
    assert "aws-crystal-ball" in caught.value.response["Error"]["Message"]


def test_every_recipes_algorithm_and_transformation_can_be_described(personalize_client):
    client = personalize_client
    model = client.meta.service_model
    for summary in all_recipes(client):
        recipe = client.describe_recipe(recipeArn=summary["recipeArn"])["recipe"]
        if "algorithmArn" in recipe:
            response = client.describe_algorithm(algorithmArn=recipe["algorithmArn"])
            assert_conforms(response, model.operation_model("DescribeAlgorithm"))
            algorithm = response["algorithm"]
            assert algorithm["algorithmArn"] == recipe["algorithmArn"]
            assert algorithm["algorithmImage"]["dockerURI"]
        if "featureTransformationArn" in recipe:
            arn = recipe["featureTransformationArn"]
            response = client.describe_feature_transformation(featureTransformationArn=arn)
            assert_conforms(response, model.operation_model("DescribeFeatureTransformation"))
            assert response["featureTransformation"]["featureTransformationArn"] == arn
            assert response["featureTransformation"]["status"] == "ACTIVE"


def test_unknown_algorithm_and_transformation_are_not_found(personalize_client):
    client = personalize_client
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_algorithm(algorithmArn=ALGORITHM.format("aws-crystal-ball"))
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_feature_transformation(
            featureTransformationArn=TRANSFORMATION.format("crystal-ball")
        )


def test_catalogue_arns_have_no_region_or_account(personalize_stub, personalize_client):
    personalize_stub.clock.advance(days=3)
    recipe = personalize_client.describe_recipe(recipeArn=RECIPE.format("aws-sims"))["recipe"]
    assert recipe["recipeArn"].split(":")[3:5] == ["", ""]
    assert recipe["creationDateTime"] == recipe["lastUpdatedDateTime"]
    assert recipe["creationDateTime"] < personalize_stub.clock.now()


def test_every_domain_use_case_of_the_catalogue_can_back_a_recommender():
    """The recommenders know what each catalogued use case needs at runtime, and no other."""
    from pytest_personalize_stub.services.personalize.recipes import RECIPES
    from pytest_personalize_stub.services.personalize.recommenders import USE_CASES

    domain_recipes = {recipe.name: recipe.domain for recipe in RECIPES if recipe.domain}
    assert {name: case.domain for name, case in USE_CASES.items()} == domain_recipes
