"""The package builds: an sdist and a wheel that ``twine check`` accepts, carrying what users
need (the plugin's entry point, ``py.typed``, the classifiers and the license)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pytest_personalize_stub import __version__

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        check=False,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def test_build_makes_an_sdist_and_a_wheel_that_twine_accepts(built: Path) -> None:
    names = sorted(path.name for path in built.iterdir())
    assert names == [
        f"pytest_personalize_stub-{__version__}-py3-none-any.whl",
        f"pytest_personalize_stub-{__version__}.tar.gz",
    ]
    checked = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, built.iterdir())],
        capture_output=True,
        check=False,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == 2


def test_the_wheel_carries_the_plugin_its_types_and_its_metadata(built: Path) -> None:
    [wheel] = built.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        files = archive.namelist()
        info = next(name for name in files if name.endswith(".dist-info/METADATA"))
        metadata = archive.read(info).decode()
        entry_points = archive.read(info.replace("METADATA", "entry_points.txt")).decode()
    assert "pytest_personalize_stub/py.typed" in files
    assert "pytest_personalize_stub/services/personalize/s3_data.py" in files
    assert not any(name.startswith(("tests/", "docs/", "benchmarks/")) for name in files)
    assert "[pytest11]\npersonalize_stub = pytest_personalize_stub.plugin" in entry_points
    assert "Classifier: Framework :: Pytest" in metadata
    assert "License-Expression: MIT" in metadata
    assert any(name.endswith("licenses/LICENSE") for name in files)
