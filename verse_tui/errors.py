"""The base of every error a user can cause or meet. Messages say what happened and what to do."""

from __future__ import annotations


class VerseError(Exception):
    """An error with a message fit to show a user as it is."""

    exit_code = 1

    @property
    def message(self) -> str:
        return str(self)


class InputError(VerseError):
    """The user's input cannot be used (a bad reference, an unknown translation, a bad code)."""

    exit_code = 2


class NotFoundError(InputError):
    """The thing asked for does not exist (or not for this account)."""
