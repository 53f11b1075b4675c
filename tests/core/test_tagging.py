"""Tags: TagResource, UntagResource, ListTagsForResource and tags given at creation.

Both services document at most 50 user tags per resource and reserve keys starting with
``aws:``; Personalize answers TooManyTagsException / TooManyTagKeysException, Clean Rooms ML
ValidationException.
"""

import pytest
from botocore.exceptions import ClientError
from support.cleanroomsml_flows import configured_audience_model
from support.schemas import INTERACTIONS_SCHEMA


def tag_list(pairs):
    return [{"tagKey": key, "tagValue": value} for key, value in pairs.items()]


def listed(client, arn):
    return client.list_tags_for_resource(resourceArn=arn)["tags"]


def test_tags_given_at_creation_are_listed(personalize_client):
    arn = personalize_client.create_dataset_group(name="g", tags=tag_list({"team": "recs"}))[
        "datasetGroupArn"
    ]
    assert listed(personalize_client, arn) == [{"tagKey": "team", "tagValue": "recs"}]


def test_tag_adds_and_overwrites_and_untag_removes(personalize_client):
    arn = personalize_client.create_dataset_group(name="g", tags=tag_list({"a": "1"}))[
        "datasetGroupArn"
    ]
    personalize_client.tag_resource(resourceArn=arn, tags=tag_list({"a": "2", "b": "3"}))
    assert {t["tagKey"]: t["tagValue"] for t in listed(personalize_client, arn)} == {
        "a": "2",
        "b": "3",
    }
    personalize_client.untag_resource(resourceArn=arn, tagKeys=["a", "never-there"])
    assert listed(personalize_client, arn) == [{"tagKey": "b", "tagValue": "3"}]


def test_more_than_50_tags_is_too_many(personalize_client):
    arn = personalize_client.create_dataset_group(
        name="g", tags=tag_list({f"k{i}": "v" for i in range(50)})
    )["datasetGroupArn"]
    with pytest.raises(personalize_client.exceptions.TooManyTagsException):
        personalize_client.tag_resource(resourceArn=arn, tags=tag_list({"one-more": "v"}))
    assert len(listed(personalize_client, arn)) == 50


def test_creating_with_51_tags_is_refused_and_creates_nothing(personalize_client):
    with pytest.raises(personalize_client.exceptions.TooManyTagsException):
        personalize_client.create_dataset_group(
            name="g", tags=tag_list({f"k{i}": "v" for i in range(51)})
        )
    assert personalize_client.list_dataset_groups()["datasetGroups"] == []


def test_untagging_more_than_50_keys_is_refused(personalize_client):
    arn = personalize_client.create_dataset_group(name="g")["datasetGroupArn"]
    with pytest.raises(personalize_client.exceptions.TooManyTagKeysException):
        personalize_client.untag_resource(resourceArn=arn, tagKeys=[f"k{i}" for i in range(51)])


def test_aws_prefixed_keys_are_reserved(personalize_client):
    arn = personalize_client.create_dataset_group(name="g")["datasetGroupArn"]
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        personalize_client.tag_resource(resourceArn=arn, tags=tag_list({"AWS:owner": "x"}))


def test_schemas_cannot_be_tagged(personalize_client):
    arn = personalize_client.create_schema(name="s", schema=INTERACTIONS_SCHEMA)["schemaArn"]
    with pytest.raises(personalize_client.exceptions.InvalidInputException):
        personalize_client.tag_resource(resourceArn=arn, tags=tag_list({"a": "b"}))


def test_unknown_resource_is_not_found(personalize_client):
    arn = "arn:aws:personalize:us-east-1:123456789012:dataset-group/missing"
    for call in (
        lambda: personalize_client.list_tags_for_resource(resourceArn=arn),
        lambda: personalize_client.tag_resource(resourceArn=arn, tags=tag_list({"a": "b"})),
        lambda: personalize_client.untag_resource(resourceArn=arn, tagKeys=["a"]),
    ):
        with pytest.raises(personalize_client.exceptions.ResourceNotFoundException):
            call()


def test_a_resource_being_deleted_cannot_be_retagged(personalize_stub, personalize_client):
    arn = personalize_client.create_dataset_group(name="g")["datasetGroupArn"]
    personalize_stub.settle()
    personalize_client.delete_dataset_group(datasetGroupArn=arn)
    with pytest.raises(personalize_client.exceptions.ResourceInUseException):
        personalize_client.tag_resource(resourceArn=arn, tags=tag_list({"a": "b"}))
    assert listed(personalize_client, arn) == []


def test_cleanroomsml_tags_are_a_map_and_get_echoes_them(personalize_stub, cleanroomsml_client):
    arns = configured_audience_model(personalize_stub, cleanroomsml_client, tags={"a": "1"})
    cam = arns["configuredAudienceModelArn"]
    cleanroomsml_client.tag_resource(resourceArn=cam, tags={"b": "2"})
    assert listed(cleanroomsml_client, cam) == {"a": "1", "b": "2"}
    cleanroomsml_client.untag_resource(resourceArn=cam, tagKeys=["a"])
    got = cleanroomsml_client.get_configured_audience_model(configuredAudienceModelArn=cam)
    assert got["tags"] == {"b": "2"}


def test_cleanroomsml_limits_are_validation_errors(personalize_stub, cleanroomsml_client):
    cam = configured_audience_model(personalize_stub, cleanroomsml_client)[
        "configuredAudienceModelArn"
    ]
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        cleanroomsml_client.tag_resource(resourceArn=cam, tags={f"k{i}": "v" for i in range(51)})
    with pytest.raises(cleanroomsml_client.exceptions.ValidationException):
        cleanroomsml_client.tag_resource(resourceArn=cam, tags={"aws:team": "x"})
    assert listed(cleanroomsml_client, cam) == {}


def test_cleanroomsml_unknown_resource_is_not_found(cleanroomsml_client):
    arn = "arn:aws:cleanrooms-ml:us-east-1:123456789012:training-dataset/abcdefghijklmnopqrstuv"
    with pytest.raises(ClientError) as error:
        cleanroomsml_client.list_tags_for_resource(resourceArn=arn)
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_an_arn_of_the_other_service_is_not_found(
    personalize_stub, personalize_client, cleanroomsml_client
):
    """Each service tags only its own resources."""
    cam = configured_audience_model(personalize_stub, cleanroomsml_client)[
        "configuredAudienceModelArn"
    ]
    with pytest.raises(ClientError):
        personalize_client.list_tags_for_resource(resourceArn=cam)
