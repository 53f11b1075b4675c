"""How pytest loads the plugin: Python's own loader loads its modules rather than pytest's
assertion rewriting (which re-parses and re-compiles every module of a plugin's distribution
where it cannot cache), while the user's tests are rewritten as before."""

from __future__ import annotations

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
