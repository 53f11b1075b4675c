"""The docs' generated tables (lifecycles, operation coverage) match the code."""

import importlib.util
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"


def load_generator():
    spec = importlib.util.spec_from_file_location("generate", DOCS / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["how-it-works.md", "coverage.md"])
def test_generated_sections_are_up_to_date(name):
    generator = load_generator()
    path = DOCS / name
    assert path.read_text() == generator.rendered(path), (
        f"docs/{name} is stale: run `python docs/generate.py`"
    )


def test_every_resource_type_and_operation_is_listed():
    from pytest_personalize_stub.clients import service_model
    from pytest_personalize_stub.services import SERVICES

    generator = load_generator()
    lifecycle = generator.lifecycle_table()
    coverage = generator.coverage_table()
    for name, service in SERVICES.items():
        for rtype in service.resource_types:
            assert f"| {name} | `{rtype.kind}` |" in lifecycle
        for operation in service_model(name).operation_names:
            assert f"| {operation} |" in coverage
