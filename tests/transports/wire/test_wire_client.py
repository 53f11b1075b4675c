"""End to end with real botocore clients: botocore serializes, signs and parses; a
``before-send`` handler answers through the wire layer, as ``wire=True`` will."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import botocore.session
import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.exceptions import ClientError
from support.wire import synthetic_models
from support.wire.strategies import as_sent

from pytest_personalize_stub.wire import (
    HttpRequest,
    WireError,
    WireProtocol,
    default_protocol,
)

UTC = datetime.timezone.utc
WHEN = datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)

Answer = Callable[[str, str, dict[str, Any]], Any]
"""(service, operation, params) -> an output dict, or (code, message, members) to fail."""


class _Raw:
    """The ``raw`` of an ``AWSResponse``: what botocore streams the body from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


class Wire:
    """A before-send handler that records what was parsed and answers with ``answer``."""

    def __init__(self, answer: Answer, protocol: WireProtocol | None = None) -> None:
        self.answer = answer
        self.protocol = protocol or default_protocol()
        self.calls: list[tuple[str, str, dict[str, Any]]] = []

    def __call__(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        url = urlsplit(request.url)
        body = request.body or b""
        http = HttpRequest(
            request.method,
            url.path,
            url.query,
            request.headers,
            body.encode() if isinstance(body, str) else bytes(body),
        )
        try:
            service, operation, params = self.protocol.parse_request(http)
        except WireError as error:
            response = self.protocol.serialize_wire_error(error, "request-1")
        else:
            self.calls.append((service, operation, params))
            answer = self.answer(service, operation, params)
            if isinstance(answer, tuple):
                code, message, members = answer
                response = self.protocol.serialize_error(
                    service, code, message, members, "request-1"
                )
            else:
                response = self.protocol.serialize_response(service, operation, answer, "request-1")
        return AWSResponse(request.url, response.status, response.headers, _Raw(response.body))


def client(service: str, wire: Wire, session: Any = None) -> Any:
    made = (session or botocore.session.get_session()).create_client(
        service,
        region_name="us-east-1",
        endpoint_url="http://wire.test",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
    )
    made.meta.events.register("before-send", wire)
    return made


CAMPAIGN = {
    "campaign": {
        "name": "c",
        "campaignArn": "arn:aws:personalize:us-east-1:123456789012:campaign/c",
        "solutionVersionArn": "arn:aws:personalize:us-east-1:123456789012:solution/s/1",
        "minProvisionedTPS": 1,
        "status": "ACTIVE",
        "creationDateTime": WHEN,
        "lastUpdatedDateTime": WHEN,
        "campaignConfig": {"itemExplorationConfig": {"explorationWeight": "0.3"}},
    }
}


def test_personalize_json_round_trips_through_botocore():
    wire = Wire(lambda service, operation, params: CAMPAIGN)
    personalize = client("personalize", wire)
    answer = personalize.describe_campaign(campaignArn=CAMPAIGN["campaign"]["campaignArn"])
    assert wire.calls == [
        ("personalize", "DescribeCampaign", {"campaignArn": CAMPAIGN["campaign"]["campaignArn"]})
    ]
    assert answer["campaign"]["creationDateTime"] == WHEN
    assert answer["campaign"]["campaignConfig"] == CAMPAIGN["campaign"]["campaignConfig"]
    assert answer["ResponseMetadata"]["RequestId"] == "request-1"
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_personalize_params_of_every_kind_reach_the_wire_as_passed():
    wire = Wire(lambda service, operation, params: {"datasetGroupArn": "arn:g"})
    client("personalize", wire).create_dataset_group(
        name="g", roleArn="arn:r", tags=[{"tagKey": "k", "tagValue": "v"}]
    )
    wire.answer = lambda service, operation, params: {"campaigns": [], "nextToken": "n"}
    listed = client("personalize", wire).list_campaigns(maxResults=5, nextToken="t")
    assert listed["campaigns"] == [] and listed["nextToken"] == "n"
    assert wire.calls == [
        (
            "personalize",
            "CreateDatasetGroup",
            {"name": "g", "roleArn": "arn:r", "tags": [{"tagKey": "k", "tagValue": "v"}]},
        ),
        ("personalize", "ListCampaigns", {"maxResults": 5, "nextToken": "t"}),
    ]


def test_personalize_errors_raise_the_clients_exceptions():
    wire = Wire(lambda service, operation, params: ("ResourceNotFoundException", "No c", {}))
    personalize = client("personalize", wire)
    with pytest.raises(personalize.exceptions.ResourceNotFoundException) as raised:
        personalize.describe_campaign(campaignArn="arn:x")
    assert raised.value.response["Error"] == {
        "Code": "ResourceNotFoundException",
        "Message": "No c",
    }
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_runtime_and_events_share_a_signing_name_and_still_route():
    recommended = {"itemList": [{"itemId": "i", "score": 0.5}], "recommendationId": "r"}
    wire = Wire(lambda service, operation, params: recommended if "Get" in operation else {})
    runtime = client("personalize-runtime", wire)
    assert runtime.get_recommendations(campaignArn="arn:c", userId="u", numResults=3)[
        "itemList"
    ] == [{"itemId": "i", "score": 0.5}]
    ranked = runtime.get_personalized_ranking(campaignArn="arn:c", userId="u", inputList=["a"])
    assert ranked["recommendationId"] == "r"
    events = client("personalize-events", wire)
    events.put_events(
        trackingId="t",
        sessionId="s",
        eventList=[{"eventType": "click", "sentAt": WHEN, "properties": '{"n": "1"}'}],
    )
    events.put_items(datasetArn="arn:d", items=[{"itemId": "i", "properties": '{"a": 1}'}])
    assert [call[:2] for call in wire.calls] == [
        ("personalize-runtime", "GetRecommendations"),
        ("personalize-runtime", "GetPersonalizedRanking"),
        ("personalize-events", "PutEvents"),
        ("personalize-events", "PutItems"),
    ]
    sent_at = wire.calls[2][2]["eventList"][0]["sentAt"]
    assert sent_at == as_sent(WHEN, "rest-json", "unixtimestamp") and sent_at.tzinfo is not None
    assert wire.calls[3][2]["items"][0]["properties"] == '{"a": 1}'


def test_runtime_errors_carry_their_modelled_status():
    wire = Wire(lambda service, operation, params: ("ResourceNotFoundException", "gone", {}))
    runtime = client("personalize-runtime", wire)
    with pytest.raises(runtime.exceptions.ResourceNotFoundException) as raised:
        runtime.get_recommendations(campaignArn="arn:c", userId="u")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


ARN = "arn:aws:cleanrooms-ml:us-east-1:123456789012:membership/0a1b/trained-model/m 1"
MEMBERSHIP = "00000000-0000-4000-8000-000000000000"


def test_cleanroomsml_labels_and_query_strings_round_trip():
    versions = {
        "trainedModels": [
            {
                "createTime": WHEN,
                "updateTime": WHEN,
                "trainedModelArn": ARN,
                "name": "m",
                "membershipIdentifier": MEMBERSHIP,
                "collaborationIdentifier": MEMBERSHIP,
                "status": "ACTIVE",
                "configuredModelAlgorithmAssociationArn": ARN,
            }
        ],
        "nextToken": "n+/=",
    }
    wire = Wire(lambda service, operation, params: versions if "List" in operation else {})
    cleanrooms = client("cleanroomsml", wire)
    listed = cleanrooms.list_trained_model_versions(
        membershipIdentifier=MEMBERSHIP,
        trainedModelArn=ARN,
        maxResults=7,
        nextToken="a b+c/d=",
        status="ACTIVE",
    )
    assert listed["trainedModels"][0]["createTime"] == WHEN
    assert listed["nextToken"] == "n+/="
    cleanrooms.untag_resource(resourceArn=ARN, tagKeys=["a", "b&c", "d=e f"])
    assert wire.calls == [
        (
            "cleanroomsml",
            "ListTrainedModelVersions",
            {
                "membershipIdentifier": MEMBERSHIP,
                "trainedModelArn": ARN,
                "maxResults": 7,
                "nextToken": "a b+c/d=",
                "status": "ACTIVE",
            },
        ),
        ("cleanroomsml", "UntagResource", {"resourceArn": ARN, "tagKeys": ["a", "b&c", "d=e f"]}),
    ]


def test_cleanroomsml_errors_carry_their_status_and_members():
    wire = Wire(
        lambda service, operation, params: (
            "ServiceQuotaExceededException",
            "Too many",
            {"quotaName": "trained models", "quotaValue": 5.0},
        )
    )
    cleanrooms = client("cleanroomsml", wire)
    with pytest.raises(cleanrooms.exceptions.ServiceQuotaExceededException) as raised:
        cleanrooms.create_training_dataset(
            name="d",
            roleArn="arn:aws:iam::123456789012:role/r",
            trainingData=[
                {
                    "type": "INTERACTIONS",
                    "inputConfig": {
                        "schema": [{"columnName": "user", "columnTypes": ["USER_ID"]}],
                        "dataSource": {"glueDataSource": {"tableName": "t", "databaseName": "d"}},
                    },
                }
            ],
        )
    response = raised.value.response
    assert response["Error"] == {"Code": "ServiceQuotaExceededException", "Message": "Too many"}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 402
    assert (response["quotaName"], response["quotaValue"]) == ("trained models", 5.0)


def test_a_refused_request_raises_a_client_error_with_the_wire_code():
    def unknown(request: AWSPreparedRequest, **_: Any) -> None:
        request.headers["X-Amz-Target"] = "AmazonPersonalize.NoSuchOperation"

    wire = Wire(lambda service, operation, params: {})
    personalize = client("personalize", wire)
    personalize.meta.events.register_first("before-send", unknown)
    with pytest.raises(ClientError) as raised:
        personalize.list_campaigns()
    assert raised.value.response["Error"]["Code"] == "UnknownOperationException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.fixture(scope="module")
def traits_session(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A botocore session that knows the synthetic rest-json model as a service."""
    folder = tmp_path_factory.mktemp("models")
    for name, model in (("wiretraits", synthetic_models.REST), ("wirejson", synthetic_models.JSON)):
        version = folder / name / model["metadata"]["apiVersion"]
        version.mkdir(parents=True)
        (version / "service-2.json").write_text(json.dumps(model))
    session = botocore.session.get_session()
    session.get_component("data_loader").search_paths.insert(0, str(folder))
    return session


def test_labels_query_strings_and_headers_round_trip_on_a_model_that_has_them(traits_session):
    output = {
        "Status": 202,
        "ETag": "e-1",
        "HWhen": WHEN.replace(microsecond=0),
        "HFlag": True,
        "HNames": ["a", "b"],
        "HJson": {"k": [1, "v"]},
        "Meta": {"color": "blue"},
        "Created": WHEN,
        "CreatedIso": WHEN,
        "Data": b"\x00\xff",
    }
    protocol = WireProtocol(synthetic_models.models())
    wire = Wire(lambda service, operation, params: output, protocol)
    traits = client("wiretraits", wire, traits_session)
    answer = traits.put_thing(
        ThingId="t-1",
        Key="a/b c",
        Count=3,
        Flag=False,
        Since=WHEN,
        Names=["x", "y z"],
        Extra={"free": ["1", "2"]},
        HFlag=True,
        HCount=2**40,
        HWhen=WHEN.replace(microsecond=0),
        HNames=["p,q", 'say "hi"'],
        HJson={"a": [1, 2]},
        Meta={"owner": "me"},
        Token="token-1",
        Nested={"Label": "l", "Choice": {"When": WHEN}},
    )
    service, operation, params = wire.calls[0]
    assert (service, operation) == ("wiretraits", "PutThing")
    assert params["Key"] == "a/b c" and params["Count"] == 3 and params["Flag"] is False
    assert params["Since"] == WHEN and params["Extra"] == {"free": ["1", "2"]}
    assert params["HCount"] == 2**40 and params["HNames"] == ["p,q", 'say "hi"']
    assert params["HJson"] == {"a": [1, 2]} and params["Meta"] == {"owner": "me"}
    sent_when = as_sent(WHEN, "rest-json", "unixtimestamp")
    assert params["Nested"] == {"Label": "l", "Choice": {"When": sent_when}}
    assert answer["Status"] == 202 and answer["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert answer["ETag"] == "e-1" and answer["HWhen"] == WHEN.replace(microsecond=0)
    assert answer["HJson"] == {"k": [1, "v"]} and answer["Meta"] == {"color": "blue"}
    assert answer["Created"] == WHEN and answer["CreatedIso"] == WHEN
    assert answer["Data"] == b"\x00\xff"
    wire.answer = lambda service, operation, params: ("ThingError", "taken", {"Reason": "r"})
    with pytest.raises(traits.exceptions.ThingError) as raised:
        traits.put_thing(ThingId="t-1", Key="k")
    assert raised.value.response["Reason"] == "r"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
