"""Shared builders and harnesses of the test suite (not tests), imported as ``support.*``."""
