"""The docs' generated sections (lifecycles, diagrams, coverage, markers) match the code, and
the site builds strictly, loads nothing from the network, serves the Mermaid its diagrams need
and shows every code line whole."""

import html
import importlib.util
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
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


def visible(fragment):
    """An HTML fragment's text, as the reader sees it (tags stripped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def page_text(site, page):
    """The visible text of a built page's article."""
    source = (site / page / "index.html").read_text()
    article = source[source.index("<article") : source.index("</article>")]
    return re.sub(r"\s+", " ", visible(article))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site built once for the module's tests, strictly, as CI builds it."""
    site = tmp_path_factory.mktemp("docs") / "site"
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
    return site


def pages(site):
    """Every built HTML page, by its path in the site."""
    return {path.relative_to(site).as_posix(): path for path in sorted(site.rglob("*.html"))}


class Tags(HTMLParser):
    """The start tags of a page, with their attributes."""

    def __init__(self, source):
        super().__init__()
        self.tags = []
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def test_the_site_builds_strictly_offline(site):
    reference = page_text(site, "reference")
    assert "Move time forward until no resource is in a transitional status" in reference
    assert "A boto3 personalize client in the configured region, served by the fake." in reference
    for name in ("personalize_stub", "personalize_client", "settle", "fail", "advance"):
        assert re.search(rf"\b{name}\b", reference), name
    diagrams = (site / "how-it-works" / "index.html").read_text().count('<pre class="mermaid">')
    assert diagrams == sum(len(charts) for _, _, charts in load_generator().lifecycle_families())
    assert "def release(solution_arn, campaign_arn):" in page_text(site, "recipes/polling-deploy")
    assert "--8<--" not in page_text(site, "recipes/polling-deploy")


REMOTE = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
"""An absolute http(s) URL, or a protocol-relative one."""

LOADED_LINKS = {"stylesheet", "preload", "preconnect", "modulepreload"}
"""The ``rel`` values of a ``<link>`` that make the browser fetch (or connect to) its href."""


def test_the_site_loads_no_remote_script_or_stylesheet(site):
    remote = []
    for name, path in pages(site).items():
        for tag, attrs in Tags(path.read_text()).tags:
            if tag == "script" and REMOTE.match(attrs.get("src", "")):
                remote.append(f"{name}: <script src={attrs['src']!r}>")
            rels = set(attrs.get("rel", "").lower().split())
            if tag == "link" and rels & LOADED_LINKS and REMOTE.match(attrs.get("href", "")):
                remote.append(f"{name}: <link rel={attrs['rel']!r} href={attrs['href']!r}>")
    assert not remote, "the site fetches from the network:\n" + "\n".join(remote)


def vendored_mermaid():
    """The Mermaid file served with the site (docs/assets/javascripts) and its version."""
    (path,) = (DOCS / "assets" / "javascripts").glob("mermaid-*.min.js")
    return path, path.name.removeprefix("mermaid-").removesuffix(".min.js")


def material_mermaid_major():
    """The Mermaid major that Material's bundle fetches from its CDN when none is defined."""
    import material

    scripts = Path(material.__file__).parent / "templates" / "assets" / "javascripts"
    (bundle,) = scripts.glob("bundle.*.min.js")
    (major,) = set(re.findall(r"unpkg\.com/mermaid@(\d+)", bundle.read_text()))
    return major


def test_the_diagrams_load_the_vendored_mermaid_of_materials_major(site):
    path, version = vendored_mermaid()
    source = path.read_text()
    assert f'"{version}"' in source, f"{path.name} is not Mermaid {version}"
    # Material skips its CDN fetch when `typeof mermaid != "undefined"`.
    defines = re.search(r"""globalThis(?:\.mermaid|\[["']mermaid["']\])\s*=(?!=)""", source)
    assert defines, f"{path.name} does not define globalThis.mermaid"
    assert version.split(".")[0] == material_mermaid_major(), (
        f"Material now falls back to Mermaid {material_mermaid_major()}, "
        f"the site serves {version}: vendor that major"
    )
    with_diagrams = {
        name: page
        for name, page in pages(site).items()
        if '<pre class="mermaid">' in page.read_text()
    }
    assert "how-it-works/index.html" in with_diagrams
    served = site / "assets" / "javascripts" / path.name
    assert served.read_bytes() == path.read_bytes()
    for name, page in with_diagrams.items():
        scripts = [
            (page.parent / attrs["src"]).resolve()
            for tag, attrs in Tags(page.read_text()).tags
            if tag == "script" and "src" in attrs
        ]
        assert served.resolve() in scripts, f"{name} has diagrams but does not load {path.name}"


CODE_COLUMNS = 80
"""The widest code line that Material's content column shows whole (about 84 monospace
characters fit beside both sidebars at desktop width)."""

PRE = re.compile(r"<pre\b([^>]*)>(.*?)</pre>", re.DOTALL)
CODE = re.compile(r"<code\b[^>]*>(.*?)</code>", re.DOTALL)


def code_lines(source):
    """The lines of every code block of a page, as the reader sees them (diagrams aside)."""
    for attributes, content in PRE.findall(source):
        if re.search(r"""class=["'][^"']*\bmermaid\b""", attributes):
            continue
        for code in CODE.findall(content):
            yield from visible(code).splitlines()


def test_every_code_line_fits_the_page(site):
    counted, wide = 0, []
    for name, path in pages(site).items():
        for line in code_lines(path.read_text()):
            counted += 1
            if len(line) > CODE_COLUMNS:
                wide.append(f"{name} ({len(line)} characters): {line}")
    assert counted > 500  # the recipes' code was found
    assert not wide, f"code lines over {CODE_COLUMNS} characters:\n" + "\n".join(wide)


def test_the_coverage_page_leads_with_its_totals(site):
    from pytest_personalize_stub.clients import service_model
    from pytest_personalize_stub.services.registry import SERVICES

    counts = {}
    for name, service in SERVICES.items():
        operations = service_model(name).operation_names
        counts[name] = (sum(op in service.operations for op in operations), len(operations))
    served = sum(done for done, _ in counts.values())
    total = sum(len(service_model(name).operation_names) for name in SERVICES)

    source = (site / "coverage" / "index.html").read_text()
    lead = re.sub(
        r"<!--.*?-->", "", source[source.index("</h1>") + len("</h1>") :], flags=re.DOTALL
    )
    first = re.match(r"\s*<p>((?:(?!</p>).)*)</p>\s*<table>(.*?)</table>", lead, re.DOTALL)
    assert first, "the coverage page does not open with a paragraph and a table"
    sentence, table = first.groups()
    assert f"{served} of {total} operations" in visible(sentence)
    rows = [
        [visible(cell).strip() for cell in cells]
        for cells in (re.findall(r"<t[hd]>(.*?)</t[hd]>", row) for row in table.split("</tr>"))
        if cells
    ]
    assert rows == [
        ["service", "operations served"],
        *([name, f"{done} of {known}"] for name, (done, known) in counts.items()),
        ["all", f"{served} of {total}"],
    ]
