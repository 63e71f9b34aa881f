"""Verse's own themes, registered next to Textual's built-in ones."""

from __future__ import annotations

from textual.theme import Theme

PARCHMENT = Theme(
    name="verse-parchment",
    primary="#7a4b1e",
    secondary="#5b6b3a",
    accent="#a0522d",
    warning="#b7791f",
    error="#b03a2e",
    success="#4f7a28",
    foreground="#2b2118",
    background="#f4ecd8",
    surface="#ebe0c6",
    panel="#e2d4b2",
    dark=False,
)

NIGHT = Theme(
    name="verse-night",
    primary="#8fa8d8",
    secondary="#a88fd8",
    accent="#e0b35a",
    warning="#e0b35a",
    error="#e06c75",
    success="#98c379",
    foreground="#d7d2c8",
    background="#15171c",
    surface="#1d2027",
    panel="#262a33",
    dark=True,
)

VERSE_THEMES: tuple[Theme, ...] = (PARCHMENT, NIGHT)
