"""The docs' generated sections (lifecycles, diagrams, coverage, markers) match the code, and
the site builds."""

import html
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def load_generator():
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["how-it-works.md", "coverage.md", "reference.md"])
def test_generated_sections_are_up_to_date(name):
    generator = load_generator()
    path = DOCS / name
    assert path.read_text() == generator.rendered(path), (
        f"docs/{name} is stale: run `python docs/generate.py`"
    )


def test_every_resource_type_and_operation_is_listed():
    from pytest_personalize_stub.clients import service_model
    from pytest_personalize_stub.services.registry import SERVICES

    generator = load_generator()
    lifecycle = generator.lifecycle_table()
    coverage = generator.coverage_table()
    for name, service in SERVICES.items():
        for rtype in service.resource_types:
            assert f"| {name} | `{rtype.kind}` |" in lifecycle
        for operation in service_model(name).operation_names:
            assert f"| {operation} |" in coverage


def test_every_resource_type_has_one_diagram():
    from pytest_personalize_stub.services.registry import SERVICES

    generator = load_generator()
    drawn = [kind for _, _, charts in generator.lifecycle_families() for kind in charts]
    kinds = [rtype.kind for service in SERVICES.values() for rtype in service.resource_types]
    assert sorted(drawn) == sorted(kinds)
    diagrams = generator.lifecycle_diagrams()
    assert diagrams.count("```mermaid\nstateDiagram-v2\n") == len(drawn)


def reached(edges):
    """The statuses a walk reaches from creation ([*]) along the diagram's moves."""
    seen, frontier = set(), {"[*]"}
    while frontier:
        seen |= frontier
        frontier = {edge.target for edge in edges if edge.source in frontier} - seen
    return seen


def test_every_status_drawn_is_reachable_from_creation():
    generator = load_generator()
    for _, _, charts in generator.lifecycle_families():
        for kind, chart in charts.items():
            for edges in (chart.edges, *chart.updates.values()):
                statuses = {status for edge in edges for status in (edge.source, edge.target)}
                assert statuses <= reached(edges), (
                    f"{kind}: unreachable {statuses - reached(edges)}"
                )


def test_diagrams_follow_the_processes():
    generator = load_generator()
    charts = {
        kind: chart
        for _, _, family in generator.lifecycle_families()
        for kind, chart in family.items()
    }
    version = {(e.source, e.target, e.label) for e in charts["solution_version"].edges}
    assert ("CREATE IN_PROGRESS", "CREATE STOPPING", "StopSolutionVersionCreation") in version
    assert ("CREATE STOPPING", "CREATE STOPPED", "") in version
    campaign = charts["campaign"]
    assert ("[*]", "CREATE PENDING", "UpdateCampaign") in {
        (e.source, e.target, e.label) for e in campaign.updates["latestCampaignUpdate"]
    }
    schema = {(e.source, e.target, e.label) for e in charts["schema"].edges}
    assert schema == {("[*]", "ACTIVE", "CreateSchema"), ("ACTIVE", "[*]", "DeleteSchema")}


def test_every_marker_and_ini_option_is_documented():
    from pytest_personalize_stub.options import INI_OPTIONS, SESSION_OPTIONS
    from pytest_personalize_stub.plugin import MARKERS

    reference = (DOCS / "reference.md").read_text()
    for name in MARKERS:
        assert f"| `{name}` |" in reference
    for name in {**INI_OPTIONS, **SESSION_OPTIONS}:
        assert f"| `personalize_stub_{name}` |" in reference


def page_text(site, page):
    """The visible text of a built page's article."""
    source = (site / page / "index.html").read_text()
    article = source[source.index("<article") : source.index("</article>")]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", article)))


def test_the_site_builds_strictly_offline(tmp_path):
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr

    reference = page_text(site, "reference")
    assert "Move time forward until no resource is in a transitional status" in reference
    assert "A boto3 personalize client in the configured region, served by the fake." in reference
    for name in ("personalize_stub", "personalize_client", "settle", "fail", "advance"):
        assert re.search(rf"\b{name}\b", reference), name
    diagrams = (site / "how-it-works" / "index.html").read_text().count('<pre class="mermaid">')
    assert diagrams == sum(len(charts) for _, _, charts in load_generator().lifecycle_families())
    assert "def release(solution_arn, campaign_arn):" in page_text(site, "recipes/polling-deploy")
    assert "--8<--" not in page_text(site, "recipes/polling-deploy")
