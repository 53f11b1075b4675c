"""``python -m pytest_personalize_stub serve``: the same as ``pytest-personalize-stub serve``."""

import sys

from .cli import main

sys.exit(main())
