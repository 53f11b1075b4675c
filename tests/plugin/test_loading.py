"""How pytest loads the plugin: Python's own loader loads its modules rather than pytest's
assertion rewriting (which re-parses and re-compiles every module of a plugin's distribution
where it cannot cache), while the user's tests are rewritten as before; and what it imports
when."""

from __future__ import annotations

import importlib.util
import sys

import pytest


def test_the_plugins_modules_load_plainly_and_the_users_tests_stay_rewritten(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import importlib.machinery
        import sys


        def test_the_fake_was_loaded_by_python(personalize_stub):
            loader = sys.modules["pytest_personalize_stub.controller"].__loader__
            assert isinstance(loader, importlib.machinery.SourceFileLoader), loader


        def test_a_failed_assert_still_shows_its_values():
            expected = {"status": "ACTIVE"}
            assert {"status": "CREATE PENDING"} == expected
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*{'status': 'CREATE PENDING'} == {'status': 'ACTIVE'}*"])


def test_a_run_takes_its_finder_away_when_it_ends(pytester: pytest.Pytester) -> None:
    """Each pytest run puts the plugin's finder ahead of pytest's hook and removes it when its
    config is done: a program calling ``pytest.main()`` keeps no finder of the plugin after it
    (run in a fresh process: pytester's own runs restore ``sys.meta_path`` themselves)."""
    pytester.makepyfile(test_inner="def test_nothing(personalize_stub):\n    pass\n")
    script = pytester.makepyfile(
        program="""
        import sys

        import pytest


        def plugin_finders():
            return sum(type(finder).__name__ == "_PlainImports" for finder in sys.meta_path)


        class Probe:
            def pytest_sessionstart(self):
                print("during the run", plugin_finders())


        code = pytest.main(["-q", "-p", "no:cacheprovider", "test_inner.py"], plugins=[Probe()])
        print("exit", int(code))
        print("after the run", plugin_finders())
        """
    )
    result = pytester.run(sys.executable, str(script))
    result.stdout.fnmatch_lines(["during the run 1", "exit 0", "after the run 0"])


def test_what_the_plugin_imports_waits_for_what_needs_it(pytester: pytest.Pytester) -> None:
    """Loading the plugin imports none of botocore, boto3 or pydantic; the fake's own modules
    import asyncio only where ``virtual_sleep`` has it patch ``asyncio.sleep``, and aiobotocore
    exactly where it is installed (the fake patches its client). In a fresh process, so that no
    earlier test has imported them. Some dependencies import asyncio themselves (pydantic does
    with typing_extensions 4.15), so the program watches each ``import`` statement of the
    plugin's modules, whether or not the module is already loaded."""
    script = pytester.makepyfile(
        program="""
        import builtins
        import sys

        asked_by_the_plugin = []
        plain_import = builtins.__import__


        def watched_import(name, globals=None, locals=None, fromlist=(), level=0):
            importer = (globals or {}).get("__name__", "")
            package = name.partition(".")[0]
            if importer.startswith("pytest_personalize_stub") and package in ("asyncio", "aiobotocore"):
                asked_by_the_plugin.append(package)
            return plain_import(name, globals, locals, fromlist, level)


        builtins.__import__ = watched_import

        import pytest_personalize_stub.plugin

        print("at load", [name for name in ("botocore", "boto3", "pydantic") if name in sys.modules])

        from pytest_personalize_stub import mock_personalize

        with mock_personalize():
            print("fake without virtual sleep", sorted(set(asked_by_the_plugin)))
        with mock_personalize(virtual_sleep=True):
            import asyncio

            print("fake with virtual sleep", type(asyncio.sleep).__name__, sorted(set(asked_by_the_plugin)))
        """
    )
    result = pytester.run(sys.executable, str(script))
    aiobotocore = ["aiobotocore"] if importlib.util.find_spec("aiobotocore") else []
    result.stdout.fnmatch_lines(
        [
            "at load []",
            f"fake without virtual sleep {aiobotocore}",
            f"fake with virtual sleep VirtualAsyncSleep {aiobotocore + ['asyncio']}",
        ]
    )


def test_pydantic_loads_only_when_there_is_configuration_to_check(
    pytester: pytest.Pytester,
) -> None:
    """A suite that configures nothing never imports pydantic: the fixtures' first tests, an
    empty marker and ``mock_personalize()`` take the defaults as they are. The first value
    given (here a marker's region) loads it and is checked, and a bad one is refused in the
    plugin's words. In a fresh pytest process, so that no earlier test has imported it."""
    pytester.makepyfile(
        """
        import sys

        import pytest
        from pytest_personalize_stub import mock_personalize


        def loaded():
            return "pydantic" in sys.modules


        def test_fixtures(personalize_stub, personalize_client):
            assert personalize_client.meta.region_name == "us-east-1"
            assert not loaded()


        @pytest.mark.personalize_stub(wire=False, durations={})
        def test_marker_with_defaults(personalize_stub):
            assert not personalize_stub.config.wire
            assert not loaded()


        def test_mock_personalize():
            with mock_personalize(region="us-east-1") as stub:
                assert stub.config.account_id == "123456789012"
            assert not loaded()


        @pytest.mark.personalize_stub(region="eu-west-1", advance_per_call="2.5")
        def test_marker_with_values(personalize_stub, personalize_client):
            assert personalize_client.meta.region_name == "eu-west-1"
            assert personalize_stub.config.advance_per_call == 2.5
            assert loaded()


        @pytest.mark.personalize_stub(wire=0)
        def test_a_value_of_another_type_is_checked(personalize_stub):
            assert personalize_stub.config.wire is False


        @pytest.mark.personalize_stub(region="us-east")
        def test_a_bad_value(personalize_stub):
            pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=5, errors=1)
    result.stdout.fnmatch_lines(["*region= must be an AWS region name such as us-east-1*"])


def test_fastavro_loads_with_the_first_schema_checked(pytester: pytest.Pytester) -> None:
    """A test that creates no schema never imports fastavro (its import takes 15-20 ms): the
    fixtures, a dataset group and its describe leave it unloaded. The first CreateSchema loads
    it and checks the text with it, a bad one refused as before. In a fresh pytest process, so
    that no earlier test has imported it."""
    pytester.makepyfile(
        """
        import json
        import sys

        import pytest
        from botocore.exceptions import ClientError


        def loaded():
            return "fastavro" in sys.modules


        def test_no_schema(personalize_stub, personalize_client):
            arn = personalize_client.create_dataset_group(name="shop")["datasetGroupArn"]
            personalize_client.describe_dataset_group(datasetGroupArn=arn)
            assert not loaded()


        def test_a_schema(personalize_stub, personalize_client):
            fields = [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
                      {"name": "TIMESTAMP", "type": "long"}]
            text = json.dumps({"type": "record", "name": "Interactions", "fields": fields,
                               "namespace": "com.amazonaws.personalize.schema", "version": "1.0"})
            personalize_client.create_schema(name="interactions", schema=text)
            assert loaded()
            bad = json.dumps({"type": "record", "name": "Interactions", "fields": [
                {"name": "USER_ID", "type": "no-such-type"}]})
            with pytest.raises(ClientError, match="Invalid schema"):
                personalize_client.create_schema(name="bad", schema=bad)
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly", "-v")
    result.assert_outcomes(passed=2)
