"""Verse: read, search and study the Bible in the terminal.

This module is imported on every start, including the fast `verse read` path:
it must stay free of imports.
"""

__version__ = "0.1.0"
