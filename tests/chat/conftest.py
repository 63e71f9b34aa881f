"""Fixtures for the chat tests: the fake Anthropic server (database fixtures: tests/conftest.py)."""

from tests.support.fixtures import fake_anthropic  # noqa: F401
