"""An independent check that a response has the documented shape of botocore's model."""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from botocore import xform_name
from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape

STUBBED = ("personalize", "cleanroomsml", "personalize-runtime", "personalize-events")

Flow = Callable[[Any, dict[str, Any], "Conformance"], None]
"""A conformance flow: (stub, clients by service name, check) -> None."""


def assert_conforms(response: dict[str, Any], operation: OperationModel) -> None:
    """Fail unless ``response`` is what botocore would hand back for this operation."""
    metadata = response.get("ResponseMetadata")
    assert isinstance(metadata, dict), "no ResponseMetadata"
    assert metadata["HTTPStatusCode"] == 200
    assert isinstance(metadata["RequestId"], str) and metadata["RequestId"]
    body = {key: value for key, value in response.items() if key != "ResponseMetadata"}
    shape = operation.output_shape
    if shape is None:
        assert body == {}, f"{operation.name} has no output shape but answered {body}"
        return
    problems: list[str] = []
    _check(body, shape, operation.name, problems)
    assert not problems, "\n".join(problems)


def _check(value: Any, shape: Shape, path: str, problems: list[str]) -> None:
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        if not isinstance(value, dict):
            problems.append(f"{path}: expected a structure, got {value!r}")
            return
        for key in value:
            if key not in shape.members:
                problems.append(f"{path}: undocumented key {key!r}")
        for key in shape.required_members:
            if key not in value:
                problems.append(f"{path}: required member {key!r} missing")
        for key, item in value.items():
            if key in shape.members:
                _check(item, shape.members[key], f"{path}.{key}", problems)
    elif kind == "list":
        assert isinstance(shape, ListShape)
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list, got {value!r}")
            return
        for index, item in enumerate(value):
            _check(item, shape.member, f"{path}[{index}]", problems)
    elif kind == "map":
        assert isinstance(shape, MapShape)
        if not isinstance(value, dict):
            problems.append(f"{path}: expected a map, got {value!r}")
            return
        for key, item in value.items():
            _check(key, shape.key, f"{path} key", problems)
            _check(item, shape.value, f"{path}[{key!r}]", problems)
    elif kind == "string":
        if not isinstance(value, str):
            problems.append(f"{path}: expected a string, got {value!r}")
        elif shape.enum and value not in shape.enum:
            problems.append(f"{path}: {value!r} is not one of {shape.enum}")
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{path}: expected an integer, got {value!r}")
    elif kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{path}: expected a number, got {value!r}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: expected a boolean, got {value!r}")
    elif kind == "timestamp":
        if not isinstance(value, datetime.datetime) or value.tzinfo is None:
            problems.append(f"{path}: expected an aware datetime, got {value!r}")
    elif kind == "blob" and not isinstance(value, (bytes, bytearray)):
        problems.append(f"{path}: expected bytes, got {value!r}")


class Conformance:
    """Calls operations and checks every answer against the operation's output shape."""

    def __init__(self) -> None:
        self.exercised: dict[str, set[str]] = {name: set() for name in STUBBED}

    def call(self, client: Any, operation: str, **params: Any) -> dict[str, Any]:
        """Call ``operation`` through the boto3 client and check the response's shape."""
        response = getattr(client, xform_name(operation))(**params)
        model = client.meta.service_model.operation_model(operation)
        assert_conforms(response, model)
        self.exercised[client.meta.service_model.service_name].add(operation)
        return response


def model_operations() -> list[tuple[str, str]]:
    """(service, operation) for every operation of the four services' botocore models."""
    from pytest_personalize_stub.clients import service_model

    return [
        (service, name) for service in STUBBED for name in service_model(service).operation_names
    ]


def family_flows() -> list[Flow]:
    """The ``flow`` of every family module of this package (``support/conformance/<family>.py``)."""
    folder = Path(__file__).parent
    return [
        importlib.import_module(f"{__name__}.{path.stem}").flow
        for path in sorted(folder.glob("*.py"))
        if path.stem != "__init__"
    ]


def check_flows(flows: list[Flow], *, wire: bool = False) -> dict[str, set[str]]:
    """Run each flow (and every family flow) in a fresh fake account, through botocore's whole
    stack and the wire layer if ``wire``; the operations reached."""
    from pytest_personalize_stub.config import StubConfig
    from pytest_personalize_stub.controller import PersonalizeStub
    from pytest_personalize_stub.intercept import activated

    check = Conformance()
    for flow in [*flows, *family_flows()]:
        stub = PersonalizeStub(StubConfig(wire=wire))
        with activated(stub):
            clients = {service: stub.client(service) for service in STUBBED}
            flow(stub, clients, check)
    return check.exercised
