"""The docs' lifecycle table tells the truth about the code."""

import re
from pathlib import Path

from pytest_personalize_stub.services import SERVICES

DOC = Path(__file__).resolve().parent.parent / "docs" / "how-it-works.md"


def _rows() -> dict[tuple[str, str], list[str]]:
    rows = {}
    for line in DOC.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[1].startswith("`"):
            rows[(cells[0], cells[1].strip("`"))] = cells
    return rows


def test_every_resource_type_is_in_the_lifecycle_table():
    rows = _rows()
    for service in SERVICES.values():
        for rtype in service.resource_types:
            cells = rows.get((service.name, rtype.kind))
            assert cells is not None, f"{service.name} {rtype.kind} missing from the docs"
            assert float(cells[3]) == rtype.lifecycle.seconds, rtype.kind
            create = rtype.lifecycle.create
            if create is not None:
                documented = re.split(r"\s*>\s*|\s*/\s*", cells[2])
                assert documented == [*create.steps, create.done, create.failed], rtype.kind


def test_the_table_names_no_type_the_code_lacks():
    kinds = {(s.name, r.kind) for s in SERVICES.values() for r in s.resource_types}
    assert set(_rows()) <= kinds
