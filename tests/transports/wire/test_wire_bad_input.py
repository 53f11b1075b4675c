"""Bad requests: whatever comes in, ``parse_request`` answers or raises ``WireError`` with a
4xx status, worded as AWS words it; nothing else ever comes out.

Fuzzed: garbage methods, paths (real route templates with garbage labels, stray percent
signs), query strings, headers (targets, credential scopes, content types) and bodies
(bytes, any JSON, deep nesting, valid bodies with one member of the wrong type).
"""

from __future__ import annotations

import email.message
import json
import random
import re
from typing import Any

import pytest
from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape
from hypothesis import given, settings
from hypothesis import strategies as st
from support.wire import synthetic_models
from support.wire.harness import (
    EXAMPLES,
    MODELS,
    OPERATIONS,
    WIRE_SETTINGS,
    botocore_request,
    operation_model,
)
from support.wire.strategies import input_params, sample_params

from pytest_personalize_stub.wire import HttpRequest, WireError, WireProtocol, parse_request

SYNTHETIC = WireProtocol(synthetic_models.models())

TARGETS = [f"AmazonPersonalize.{name}" for name in MODELS["personalize"].operation_names]
TEMPLATES = [
    (str(op.http["method"]), str(op.http["requestUri"]))
    for service in ("personalize-runtime", "personalize-events", "cleanroomsml")
    for op in (MODELS[service].operation_model(name) for name in MODELS[service].operation_names)
]
GARBAGE = st.lists(
    st.sampled_from(list('aZ09/%+&=?#:{}[]"\\ .~-_,') + ["%zz", "%ff", "%2F", "é", "\x00"]),
    max_size=20,
).map("".join)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)


QUERIES = [
    "maxResults=abc",
    "maxResults=99999999999999999999",
    "tagKeys=&tagKeys",
    "X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fcleanrooms-ml%2Faws4_request",
]


def _path(draw: Any) -> str:
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return str(draw(GARBAGE))
    _, template = draw(st.sampled_from(TEMPLATES))
    path = template.partition("?")[0]
    return re.sub(r"\{[^}]+\}", lambda _: draw(GARBAGE) or "x", path)


@st.composite
def requests(draw: Any) -> HttpRequest:
    method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "get", "X"]))
    headers: dict[str, str] = {}
    if draw(st.booleans()):
        headers[draw(st.sampled_from(["X-Amz-Target", "x-amz-target", "X-AMZ-TARGET"]))] = draw(
            st.sampled_from(TARGETS) | GARBAGE | st.just("AmazonPersonalize.")
        )
    if draw(st.booleans()):
        scope = draw(st.sampled_from(["personalize", "cleanrooms-ml", "s3", ""]) | GARBAGE)
        headers["Authorization"] = draw(
            st.sampled_from(
                [
                    (
                        f"AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/{scope}/aws4_request,"
                        " SignedHeaders=host, Signature=0"
                    ),
                    f"AWS4-ECDSA-P256-SHA256 Credential=AKID/20240101/{scope}/aws4_request",
                    "Credential=",
                    f"Credential={scope}",
                ]
            )
            | GARBAGE
        )
    if draw(st.booleans()):
        headers["Content-Type"] = draw(
            st.sampled_from(["application/json", "application/x-amz-json-1.1"]) | GARBAGE
        )
    headers.update(draw(st.dictionaries(GARBAGE, GARBAGE, max_size=3)))
    body_kind = draw(st.integers(0, 3))
    if body_kind == 0:
        body = draw(st.binary(max_size=40))
    elif body_kind == 1:
        body = json.dumps(draw(JSON)).encode()
    elif body_kind == 2:
        body = draw(st.sampled_from([b"[" * 5000, b"{" * 3000, b'{"a":' * 3000, b"NaN", b"{}"]))
    else:
        body = draw(st.text(max_size=40)).encode("utf-8", "surrogatepass")
    query = draw(GARBAGE | st.sampled_from(QUERIES))
    return HttpRequest(method, _path(draw), query, headers, body)


def _parse_or_refuse(parse: Any, request: HttpRequest) -> WireError | None:
    try:
        parse(request)
    except WireError as error:
        assert 400 <= error.status < 500, error
        assert error.code in ("SerializationException", "UnknownOperationException"), error
        assert error.message
        return error
    return None


@settings(WIRE_SETTINGS, max_examples=EXAMPLES * 20)
@given(request=requests())
def test_garbage_requests_raise_wire_errors_only(request):
    _parse_or_refuse(parse_request, request)


MUTATIONS_PER_OPERATION = 100


def _mutate(text: bytes, rng: random.Random) -> bytes:
    """One byte flipped, dropped, doubled or replaced by a JSON or URL special."""
    if not text:
        return rng.choice([b"{", b"%", b"\xff", b"null"])
    at = rng.randrange(len(text))
    special = rng.choice([b'"', b"{", b"}", b"[", b"]", b",", b":", b"%", b"%2", b"\\", b"\x00",
                          b"\xc3", b"1e999", b"-", b"/", b"?", b"&", b"=", b"+", b"null"])  # fmt: skip
    kind = rng.randrange(4)
    if kind == 0:
        return text[:at] + bytes([text[at] ^ (1 << rng.randrange(8))]) + text[at + 1 :]
    if kind == 1:
        return text[:at] + text[at + 1 :]
    if kind == 2:
        return text[:at] + text[at : at + rng.randrange(1, 8)] * 2 + text[at:]
    return text[:at] + special + text[at + rng.randrange(0, 3) :]


SYNTHETIC_MODELS = {model.service_name: model for model in synthetic_models.models()}


@pytest.mark.parametrize("service", sorted(MODELS) + sorted(SYNTHETIC_MODELS))
def test_mutated_valid_requests_raise_wire_errors_only(service):
    """Valid requests of every operation of the service, each mutated many times over
    (seeded: CI sees the same mutants); a mutant may still be valid, or refused."""
    rng = random.Random(service)
    refused = 0
    models = {**MODELS, **SYNTHETIC_MODELS}
    parse = SYNTHETIC.parse_request if service in SYNTHETIC_MODELS else parse_request
    for name in models[service].operation_names:
        model = models[service].operation_model(name)
        params = sample_params(model, rng)
        request = botocore_request(model, params, signed=rng.random() < 0.5)
        for _ in range(MUTATIONS_PER_OPERATION):
            part = rng.choice(
                ["body", "body", "path", "query", "target", "authorization", "header"]
            )
            mutant = HttpRequest(
                request.method, request.path, request.query, dict(request.headers), request.body
            )
            if part == "body":
                mutant.body = _mutate(request.body, rng)
            elif part == "path":
                mutant.path = _mutate(request.path.encode(), rng).decode("utf-8", "replace")
            elif part == "query":
                mutant.query = _mutate(request.query.encode(), rng).decode("utf-8", "replace")
            elif part == "header" and len(mutant.headers) > 1:
                header = rng.choice(sorted(mutant.headers))
                value = str(mutant.headers[header]).encode()
                mutant.headers[header] = _mutate(value, rng).decode("utf-8", "replace")
            else:
                header = "X-Amz-Target" if part == "target" else "Authorization"
                value = str(mutant.headers.get(header, "")).encode()
                mutant.headers[header] = _mutate(value, rng).decode("utf-8", "replace")
            refused += _parse_or_refuse(parse, mutant) is not None
    assert refused > 0


TRAIT_HEADERS = [
    "X-Flag", "X-Count", "X-When", "X-Iso", "X-Epoch", "X-Names", "X-Dates", "X-Json",
    "X-Ratio", "X-Meta-a", "X-Numbers",
]  # fmt: skip


@settings(WIRE_SETTINGS, max_examples=EXAMPLES * 10)
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "PATCH"]),
    path=st.sampled_from(
        ["/things/t-1/parts/a/b", "/labels/1/x/true/y/1.5", "/blobs/t-1", "/text"]
    ),
    query=GARBAGE,
    headers=st.dictionaries(st.sampled_from(TRAIT_HEADERS), GARBAGE),
    body=st.binary(max_size=20) | JSON.map(lambda value: json.dumps(value).encode()),
)
def test_garbage_in_every_trait_raises_wire_errors_only(method, path, query, headers, body):
    """The same for labels, queries, headers and payloads of every scalar type."""
    _parse_or_refuse(SYNTHETIC.parse_request, HttpRequest(method, path, query, headers, body))


# --- one member of the wrong type ---------------------------------------------------

WRONG: dict[str, list[Any]] = {
    "string": [5, True, [], {}],
    "integer": ["1", 1.5, True, {}, 2**40],
    "long": ["1", 1.5, False, 2**70],
    "float": ["1.0", True, [], "NaN!"],
    "double": ["1.0", False, {}],
    "boolean": ["true", 1, []],
    "timestamp": [True, [], {}],
    "blob": [5, "not base64!", []],
    "structure": [[], "x", 5],
    "list": [{}, "x", 5],
    "map": [[], "x", 5, {"k": [[]]}],
}


def _sites(value: Any, shape: Shape) -> list[tuple[Any, Any, Shape]]:
    """Every (container, key, shape) in a JSON document of this shape."""
    found: list[tuple[Any, Any, Shape]] = []
    if isinstance(shape, StructureShape) and isinstance(value, dict) and not shape.is_document_type:
        by_wire = {m.serialization.get("name", n): m for n, m in shape.members.items()}
        for key, item in value.items():
            member = by_wire.get(key)
            if member is not None:
                found.append((value, key, member))
                found.extend(_sites(item, member))
    elif isinstance(shape, ListShape) and isinstance(value, list):
        for index, item in enumerate(value):
            found.append((value, index, shape.member))
            found.extend(_sites(item, shape.member))
    elif isinstance(shape, MapShape) and isinstance(value, dict):
        for key, item in value.items():
            found.append((value, key, shape.value))
            found.extend(_sites(item, shape.value))
    return found


def _wrong_values(shape: Shape) -> list[Any]:
    """JSON values of another type than the shape's (none for a document: any JSON goes)."""
    if isinstance(shape, StructureShape) and shape.is_document_type:
        return []
    wrong = list(WRONG[shape.type_name])
    if shape.type_name == "timestamp":
        form = shape.serialization.get("timestampFormat", "unixtimestamp").lower()
        wrong.append("2024-01-01T00:00:00Z" if form == "unixtimestamp" else 1700000000)
    return wrong


BODY_OPERATIONS = [
    (service, name)
    for service, name in OPERATIONS
    if (shape := operation_model(service, name).input_shape) is not None
    and any("location" not in m.serialization for m in shape.members.values())
]


@pytest.mark.parametrize(("service", "operation"), BODY_OPERATIONS)
@settings(WIRE_SETTINGS, max_examples=max(1, EXAMPLES // 2))
@given(data=st.data())
def test_a_body_member_of_the_wrong_type_is_a_serialization_exception(data, service, operation):
    model: OperationModel = operation_model(service, operation)
    params = data.draw(input_params(model), label="params")
    request = botocore_request(model, params)
    document = json.loads(request.body or b"{}")
    sites = [site for site in _sites(document, model.input_shape) if _wrong_values(site[2])]
    if not sites:
        return
    container, key, shape = data.draw(st.sampled_from(sites), label="site")
    container[key] = data.draw(st.sampled_from(_wrong_values(shape)), label="wrong value")
    request.body = json.dumps(document).encode()
    with pytest.raises(WireError) as raised:
        parse_request(request)
    assert (raised.value.code, raised.value.status) == ("SerializationException", 400)
    assert raised.value.service == service


# --- the answers AWS gives --------------------------------------------------------


def _json(target: str | None, body: bytes, **headers: str) -> HttpRequest:
    if target is not None:
        headers["X-Amz-Target"] = target
    return HttpRequest("POST", "/", "", headers, body)


@pytest.mark.parametrize(
    ("request_", "code", "status", "message"),
    [
        (_json("AmazonPersonalize.DescribeCampaign", b"{"), "SerializationException", 400, "JSON"),
        (
            _json("AmazonPersonalize.DescribeCampaign", b"[]"),
            "SerializationException",
            400,
            "object",
        ),
        (
            _json("AmazonPersonalize.DescribeCampaign", b'{"campaignArn": 5}'),
            "SerializationException",
            400,
            "campaignArn: expected a string, got a number",
        ),
        (
            _json("AmazonPersonalize.ListCampaigns", b'{"maxResults": 1.5}'),
            "SerializationException",
            400,
            "maxResults",
        ),
        (
            _json("AmazonPersonalize.ListCampaigns", b'{"maxResults": true}'),
            "SerializationException",
            400,
            "maxResults",
        ),
        (
            _json("AmazonPersonalize.ListCampaigns", b'{"maxResults": NaN}'),
            "SerializationException",
            400,
            "JSON",
        ),
        (_json("AmazonPersonalize.NoSuchThing", b"{}"), "UnknownOperationException", 400, "NoSuch"),
        (_json("Nope.DescribeCampaign", b"{}"), "UnknownOperationException", 400, "Nope"),
        (
            _json(None, b"{}", **{"Content-Type": "application/x-amz-json-1.1"}),
            "UnknownOperationException",
            400,
            "X-Amz-Target",
        ),
        (
            HttpRequest("GET", "/no-such-path", "", {}, b""),
            "UnknownOperationException",
            404,
            "GET /no-such-path",
        ),
        (
            HttpRequest("PUT", "/recommendations", "", {}, b"{}"),
            "UnknownOperationException",
            404,
            "PUT",
        ),
        (
            HttpRequest("POST", "/recommendations", "", {}, b'{"numResults": "5"}'),
            "SerializationException",
            400,
            "numResults",
        ),
        (
            HttpRequest("POST", "/events", "", {}, b'{"eventList": [{"sentAt": "2024-01-01"}]}'),
            "SerializationException",
            400,
            "eventList[0].sentAt: expected epoch seconds",
        ),
        (
            HttpRequest("GET", "/audience-model", "maxResults=ten", {}, b""),
            "SerializationException",
            400,
            "maxResults",
        ),
        (
            HttpRequest("GET", "/audience-model", "maxResults=99999999999", {}, b""),
            "SerializationException",
            400,
            "maxResults",
        ),
    ],
)  # fmt: skip
def test_refusals_are_worded_as_aws_words_them(request_, code, status, message):
    with pytest.raises(WireError) as raised:
        parse_request(request_)
    assert (raised.value.code, raised.value.status) == (code, status)
    assert message in raised.value.message


def test_deep_nesting_is_a_serialization_exception():
    body = b'{"eventList": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(WireError) as raised:
        parse_request(HttpRequest("POST", "/events", "", {}, body))
    assert raised.value.code == "SerializationException"


def test_a_union_needs_exactly_one_member():
    """As Smithy's malformed-union protocol tests: none, two, or an unknown one are refused."""
    membership = "/memberships/00000000-0000-0000-0000-000000000000/ml-input-channels"

    def create(data_source: Any) -> HttpRequest:
        body = {"name": "c", "inputChannel": {"dataSource": data_source, "roleArn": "arn:r"}}
        return HttpRequest("POST", membership, "", {}, json.dumps(body).encode())

    one = {"protectedQueryInputParameters": {"sqlParameters": {"queryString": "SELECT 1"}}}
    assert parse_request(create(one))[1] == "CreateMLInputChannel"
    for bad in ({}, {**one, "unknown": 1}, {"unknown": 1}, {"protectedQueryInputParameters": None}):
        with pytest.raises(WireError) as raised:
            parse_request(create(bad))
        assert raised.value.code == "SerializationException"
        assert "union" in raised.value.message


def test_null_members_are_left_out_as_botocore_users_leave_them_out():
    service, operation, params = parse_request(
        _json("AmazonPersonalize.ListCampaigns", b'{"maxResults": null, "nextToken": "t"}')
    )
    assert (service, operation, params) == ("personalize", "ListCampaigns", {"nextToken": "t"})


def test_an_empty_body_is_an_empty_input():
    assert parse_request(_json("AmazonPersonalize.ListCampaigns", b"")) == (
        "personalize",
        "ListCampaigns",
        {},
    )


# --- routing ------------------------------------------------------------------------


def _signed_as(signing_name: str) -> dict[str, str]:
    return {
        "Authorization": f"AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/{signing_name}/"
        "aws4_request, SignedHeaders=host;x-amz-date, Signature=abc"
    }


@pytest.mark.parametrize(("service", "operation"), OPERATIONS)
def test_every_operation_routes_signed_and_unsigned(service, operation):
    model = operation_model(service, operation)
    for signed in (True, False):
        params = {
            name: ("t-1" if member.type_name == "string" else 1)
            for name, member in (model.input_shape.members.items() if model.input_shape else [])
            if member.serialization.get("location") == "uri"
        }
        request = botocore_request(model, params, signed=signed)
        assert parse_request(request)[:2] == (service, operation)


def test_the_credential_scope_picks_the_service():
    body = b'{"campaignArn": "arn:x"}'
    assert parse_request(
        HttpRequest("POST", "/recommendations", "", _signed_as("personalize"), body)
    )[:2] == ("personalize-runtime", "GetRecommendations")
    with pytest.raises(WireError) as raised:
        parse_request(
            HttpRequest("POST", "/recommendations", "", _signed_as("cleanrooms-ml"), body)
        )
    assert (raised.value.code, raised.value.status, raised.value.service) == (
        "UnknownOperationException",
        404,
        "cleanroomsml",
    )
    presigned = "X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fcleanrooms-ml%2Faws4_request"
    assert parse_request(HttpRequest("GET", "/audience-model", presigned, {}, b""))[:2] == (
        "cleanroomsml",
        "ListAudienceModels",
    )


def test_headers_are_read_case_insensitively_from_any_mapping():
    message = email.message.Message()  # what http.server hands a handler
    message["x-amz-target"] = "AmazonPersonalize.DescribeCampaign"
    body = b'{"campaignArn": "arn:x"}'
    assert parse_request(HttpRequest("POST", "/", "", message, body))[:2] == (  # type: ignore[arg-type]
        "personalize",
        "DescribeCampaign",
    )
    lower = {"x-amz-target": "AmazonPersonalize.DescribeCampaign"}
    odd = {"X-aMz-TaRgEt": "AmazonPersonalize.DescribeCampaign"}
    for headers in (lower, odd):
        assert parse_request(HttpRequest("POST", "/", "", headers, body))[1] == "DescribeCampaign"


def test_a_literal_segment_wins_over_a_label():
    assert SYNTHETIC.parse_request(HttpRequest("GET", "/things/special", "", {}, b""))[1] == (
        "GetSpecialThing"
    )
    assert SYNTHETIC.parse_request(HttpRequest("GET", "/things/t-1", "", {}, b""))[1] == "GetThing"


def test_a_static_query_of_the_uri_must_be_there():
    path = "/things/t-1/parts/a/b"
    assert SYNTHETIC.parse_request(HttpRequest("PUT", path, "mode=full", {}, b""))[1] == "PutThing"
    with pytest.raises(WireError) as raised:
        SYNTHETIC.parse_request(HttpRequest("PUT", path, "", {}, b""))
    assert raised.value.status == 404


@pytest.mark.parametrize(
    ("method", "path", "query", "headers", "member"),
    [
        ("GET", "/labels/ten/2024-01-01T00:00:00Z/true/x/1.5", "", {}, "Number"),
        ("GET", "/labels/1/yesterday/true/x/1.5", "", {}, "When"),
        ("GET", "/labels/1/2024-01-01T00:00:00Z/yes/x/1.5", "", {}, "Flag"),
        ("GET", "/labels/1/2024-01-01T00:00:00Z/true/x/1,5", "", {}, "Ratio"),
        ("PUT", "/things/t-1/parts/k", "mode=full&count=1.0", {}, "Count"),
        ("PUT", "/things/t-1/parts/k", "mode=full&since=1700000000", {}, "Since"),
        ("PUT", "/things/t-1/parts/k", "mode=full&n=1&n=x", {}, "Numbers"),
        ("PUT", "/things/t-1/parts/k", "mode=full", {"X-Flag": "True"}, "HFlag"),
        ("PUT", "/things/t-1/parts/k", "mode=full", {"x-when": "2024-01-01T00:00:00Z"}, "HWhen"),
        ("PUT", "/things/t-1/parts/k", "mode=full", {"X-Json": "bm90IGpzb24="}, "HJson"),
        ("PUT", "/things/t-1/parts/k", "mode=full", {"X-Dates": "Mon, 01 Jan 2024"}, "HDates"),
    ],
)
def test_a_located_member_of_the_wrong_form_is_named(method, path, query, headers, member):
    with pytest.raises(WireError) as raised:
        SYNTHETIC.parse_request(HttpRequest(method, path, query, headers, b""))
    assert (raised.value.code, raised.value.status) == ("SerializationException", 400)
    assert raised.value.message.startswith(f"Cannot deserialize {member}:"), raised.value.message
    answer = SYNTHETIC.serialize_wire_error(raised.value, "r")
    assert (answer.status, answer.headers["X-Amzn-ErrorType"]) == (400, "SerializationException")
