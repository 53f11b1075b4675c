"""A promotion's name is optional in the model (Promotion has no required member)."""

from flows import deployed_campaign


def test_a_promotion_without_a_name_promotes_and_names_nothing(
    personalize_stub, personalize_client, personalize_runtime_client
):
    campaign = deployed_campaign(personalize_stub, personalize_client)["campaignArn"]
    answer = personalize_runtime_client.get_recommendations(
        campaignArn=campaign, userId="u1", numResults=4, promotions=[{"percentPromotedItems": 50}]
    )
    assert len(answer["itemList"]) == 4
    assert all("promotionName" not in item for item in answer["itemList"])
