"""Shared test setup: the test folder is importable (flows, conformance)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
