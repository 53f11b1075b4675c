"""Recipe: every test gets its own empty fake account, on any xdist worker."""

from pathlib import Path

# --8<-- [start:tests]
import pytest


@pytest.mark.parametrize("run", range(4))
def test_each_test_starts_from_an_empty_account(
    personalize_stub, personalize_client, run
):
    assert personalize_client.list_dataset_groups()["datasetGroups"] == []
    # No calls of other tests:
    assert personalize_stub.calls[0].operation == "ListDatasetGroups"

    # The same name in every test: no ResourceAlreadyExistsException.
    personalize_client.create_dataset_group(name="shop")
    # Nor does another test's clock leak in:
    personalize_stub.clock.advance(days=run)
    personalize_stub.settle()
    groups = personalize_client.list_dataset_groups()["datasetGroups"]
    assert [group["status"] for group in groups] == ["ACTIVE"]


# --8<-- [end:tests]
START, END = "# --8<-- [start:tests]\n", "# --8<-- [end:tests]\n"
UNNEEDED_PLUGINS = (
    "-p",
    "no:cacheprovider",
    "-p",
    "no:benchmark",
    "-p",
    "no:hypothesispytest",
)


def test_the_tests_above_pass_on_two_workers(pytester):
    source = Path(__file__).read_text()
    pytester.makepyfile(test_isolated=source.split(START)[1].split(END)[0])

    result = pytester.runpytest("-p", "xdist", "-n", "2", *UNNEEDED_PLUGINS)

    result.stdout.fnmatch_lines(["*2 workers*"])
    result.assert_outcomes(passed=4)
