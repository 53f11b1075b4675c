"""The README's quick start works as printed, and CI runs the README's commands."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_quick_start_passes_saved_and_run_as_the_readme_says(pytester):
    """The quick start's code block, saved under the name the README gives and run with the
    command it gives (in a fresh process), passes."""
    text = README.read_text()
    block = re.search(r"```python\n(.*?)```", text, re.DOTALL)
    assert block is not None
    saved = re.search(r"Save this as `(test_\w+)\.py` and run `python -m pytest (\S+)`", text)
    assert saved is not None
    pytester.makepyfile(**{saved.group(1): block.group(1)})
    result = pytester.runpytest_subprocess(saved.group(2), "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_ci_runs_the_readme_commands():
    """CI installs and tests exactly as the README tells a new user to."""
    block = re.search(r"## Set up and test\n.*?```bash\n(.*?)```", README.read_text(), re.DOTALL)
    assert block is not None
    commands = block.group(1).strip().splitlines()
    ci = (README.parent / ".ci" / "run").read_text().splitlines()
    assert len(commands) == 2
    assert [line for line in ci if line in commands] == commands
