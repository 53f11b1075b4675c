"""The README's quick start works as printed."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_quick_start_passes(pytester):
    """The quick start's code block, run as a user would run it, passes."""
    block = re.search(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
    assert block is not None
    pytester.makepyfile(test_quick_start=block.group(1))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_ci_runs_the_readme_commands():
    """CI installs and tests exactly as the README tells a new user to."""
    block = re.search(r"## Set up and test\n\n```bash\n(.*?)```", README.read_text(), re.DOTALL)
    assert block is not None
    commands = block.group(1).strip().splitlines()
    ci = (README.parent / ".ci" / "run").read_text().splitlines()
    assert len(commands) == 2
    assert [line for line in ci if line in commands] == commands
