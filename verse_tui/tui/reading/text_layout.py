"""Lays a chapter out as lines of styled runs: flowing text, or two translations side by side.

Pure functions over domain dataclasses (no Textual here), so the chapter view only has to
paint the lines it is asked for. Every run remembers the row (verse) it belongs to, which is
what the verse cursor, the highlights and mouse clicks work from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from rich.cells import cell_len

from verse_tui.domain.bible import Passage, Verse, VerseRef
from verse_tui.domain.lexicon import TaggedWord, VerseWords

READING_WIDTH = 78
"""The widest a column of flowing text gets; wider lines are hard to read."""

GUTTER = 3
"""Blank cells between the two columns of the parallel view."""


class Kind(Enum):
    """What a run of text is, which decides its style."""

    NUMBER = "number"
    TEXT = "text"
    SUPPLIED = "supplied"
    OMITTED = "omitted"
    MARKER = "marker"
    HEADING = "heading"
    TITLE = "title"
    PARAGRAPH = "paragraph"
    STRONGS = "strongs"
    SPACE = "space"


def width_of(text: str) -> int:
    """Cells a text takes (plain `len` for ASCII, which is nearly all Bible text)."""
    return len(text) if text.isascii() else cell_len(text)


class Run:
    """A piece of one line: text, what it is, the row it belongs to (-1: none), its width."""

    __slots__ = ("kind", "row", "text", "width")

    def __init__(self, text: str, kind: Kind, row: int) -> None:
        self.text = text
        self.kind = kind
        self.row = row
        self.width = width_of(text)

    def __repr__(self) -> str:
        return f"Run({self.text!r}, {self.kind.name}, {self.row})"


@dataclass(slots=True)
class Line:
    runs: list[Run] = field(default_factory=list)
    width: int = 0

    def add(self, run: Run) -> None:
        self.runs.append(run)
        self.width += run.width


@dataclass(frozen=True, slots=True)
class Layout:
    """The laid-out chapter: lines, and for each row the first and last line it occupies."""

    lines: tuple[Line, ...]
    row_lines: tuple[tuple[int, int], ...]
    width: int

    def row_at(self, line: int, column: int) -> int | None:
        """The row under a cell, for mouse clicks (None between verses)."""
        if not 0 <= line < len(self.lines):
            return None
        x = 0
        for run in self.lines[line].runs:
            x += run.width
            if column < x:
                return run.row if run.row >= 0 else None
        return None


@dataclass(frozen=True, slots=True)
class Marks:
    """Per-verse decorations: highlight colour, bookmark and note flags."""

    highlights: dict[VerseRef, str] = field(default_factory=dict)
    bookmarked: frozenset[VerseRef] = frozenset()
    noted: frozenset[VerseRef] = frozenset()


@dataclass(frozen=True, slots=True)
class StudyText:
    """What the study library adds to the chapters of one translation (the KJV): the titles
    before verses, the paragraph starts, and each verse's words with their Strong's numbers,
    which replace the plain text when `strongs` is on."""

    translation: str = ""
    titles: dict[VerseRef, str] = field(default_factory=dict)
    paragraphs: frozenset[VerseRef] = frozenset()
    words: dict[VerseRef, tuple[TaggedWord, ...]] = field(default_factory=dict)
    strongs: bool = False


NO_MARKS = Marks()
NO_STUDY = StudyText()
Unit = list[Run]


def study_text(translation: str, verses: tuple[VerseWords, ...], *, strongs: bool) -> StudyText:
    """The reader's view of a chapter's study data."""
    return StudyText(
        translation,
        {v.ref: v.title for v in verses if v.title},
        frozenset(v.ref for v in verses if v.paragraph),
        {v.ref: v.words for v in verses} if strongs else {},
        strongs,
    )


def verse_units(
    verse: Verse, row: int, marks: Marks = NO_MARKS, study: StudyText = NO_STUDY
) -> list[Unit]:
    """The verse as unbreakable units: the number glued to the first word, then each word.

    Words inside square brackets are the translators' supplied words (KJV), kept as their
    own kind so they can be set in italics; the brackets themselves are dropped. A verse that
    starts a paragraph gets a ¶ after its number; with Strong's numbers on, each tagged word
    group is followed by its numbers ("loved<G25>").
    """
    head: Unit = [Run(str(verse.ref.verse), Kind.NUMBER, row)]
    if verse.ref in marks.bookmarked:
        head.append(Run("⚑", Kind.MARKER, row))
    if verse.ref in marks.noted:
        head.append(Run("✎", Kind.MARKER, row))
    head.append(Run(" ", Kind.SPACE, row))
    if verse.omitted or not verse.text.strip():
        return [[*head, Run("—", Kind.OMITTED, row)], [Run("(omitted)", Kind.OMITTED, row)]]
    if verse.ref in study.paragraphs:
        head += [Run("¶", Kind.PARAGRAPH, row), Run(" ", Kind.SPACE, row)]
    tagged = study.words.get(verse.ref) if study.strongs else None
    if tagged:
        words = _styled_words([(w.text, w.numbers) for w in tagged], row)
    else:
        words = _styled_words([(verse.text, ())], row)
    if not words:
        return [head]
    return [head + words[0], *words[1:]]


def _styled_words(pieces: list[tuple[str, tuple[str, ...]]], row: int) -> list[Unit]:
    """Units of text pieces; a piece's Strong's numbers follow its last word, glued to it."""
    units: list[Unit] = []
    unit: Unit = []
    supplied = 0  # bracket depth: the study text nests a supplied word in a supplied clause
    piece = ""

    def flush_piece() -> None:
        nonlocal piece
        if piece:
            unit.append(Run(piece, Kind.SUPPLIED if supplied else Kind.TEXT, row))
            piece = ""

    for text, numbers in pieces:
        for char in text:
            if char.isspace():
                flush_piece()
                if unit:
                    units.append(unit)
                    unit = []
            elif char in "[]":
                flush_piece()
                supplied = supplied + 1 if char == "[" else max(supplied - 1, 0)
            else:
                piece += char
        if numbers:
            flush_piece()
            unit.append(Run("".join(f"<{n}>" for n in numbers), Kind.STRONGS, row))
    flush_piece()
    if unit:
        units.append(unit)
    return units


def title_units(title: str) -> list[Unit]:
    """A title before a verse (a psalm's superscription) as units of its own kind."""
    units = _styled_words([(title, ())], -1)
    for unit in units:
        for run in unit:
            run.kind = Kind.TITLE
    return units


def _unit_width(unit: Unit) -> int:
    return sum(run.width for run in unit)


def wrap(units: list[Unit], width: int, lines: list[Line] | None = None) -> list[Line]:
    """Greedy word wrap of units into lines at most `width` cells wide.

    Consecutive units of the same row are joined by a space that belongs to that row (so a
    highlight is continuous); a unit wider than the line is split by characters.
    """
    width = max(width, 8)
    lines = lines if lines is not None else [Line()]
    for unit in units:
        line = lines[-1]
        needed = _unit_width(unit)
        if line.width and line.width + 1 + needed > width:
            line = Line()
            lines.append(line)
        if line.width:
            previous_row = line.runs[-1].row
            line.add(Run(" ", Kind.SPACE, unit[0].row if previous_row == unit[0].row else -1))
        for run in _split_long(unit, width) if needed > width else unit:
            if run.text == "\n":
                line = Line()
                lines.append(line)
                continue
            line.add(run)
    return lines


def _split_long(unit: Unit, width: int) -> list[Run]:
    pieces: list[Run] = []
    column = 0
    for run in unit:
        for char in run.text:
            if column == width:
                pieces.append(Run("\n", Kind.SPACE, -1))
                column = 0
            pieces.append(Run(char, run.kind, run.row))
            column += 1
    return pieces


def _study_of(passage: Passage, study: StudyText) -> StudyText:
    return study if passage.translation == study.translation else NO_STUDY


def _new_line(lines: list[Line], *, blank: bool = False) -> None:
    """Start a new line (after a blank one with `blank`) unless the last line is empty."""
    if lines[-1].width:
        lines.append(Line())
        if blank:
            lines.append(Line())


def flow(
    passage: Passage, width: int, marks: Marks = NO_MARKS, study: StudyText = NO_STUDY
) -> Layout:
    """The chapter as flowing text; each row is one verse of `passage.verses`.

    A title starts on a line of its own (after a blank line when text comes before it) and
    its verse on the next; a paragraph starts on a new line.
    """
    study = _study_of(passage, study)
    text_width = min(width, READING_WIDTH)
    lines: list[Line] = [Line()]
    spans: list[tuple[int, int]] = []
    for row, verse in enumerate(passage.verses):
        title = study.titles.get(verse.ref)
        if title:
            _new_line(lines, blank=True)
            wrap(title_units(title), text_width, lines)
            lines.append(Line())
        elif verse.ref in study.paragraphs:
            _new_line(lines)
        first = len(lines) - 1
        wrap(verse_units(verse, row, marks, study), text_width, lines)
        spans.append((first, len(lines) - 1))
    return Layout(tuple(lines), tuple(spans), text_width)


def parallel_rows(left: Passage, right: Passage) -> list[VerseRef]:
    """The verse references of both passages, in order, each once (the aligned rows)."""
    return sorted({verse.ref for verse in left.verses} | {verse.ref for verse in right.verses})


def parallel(
    left: Passage,
    right: Passage,
    width: int,
    marks: Marks = NO_MARKS,
    study: StudyText = NO_STUDY,
) -> Layout:
    """Two translations side by side, each verse starting on the same line in both columns.

    A verse one translation lacks leaves its cell blank on that side; a title (KJV) takes
    lines of its own above its verse in its column.
    """
    column = max((width - GUTTER) // 2, 8)
    by_ref = [{v.ref: v for v in left.verses}, {v.ref: v for v in right.verses}]
    studies = [_study_of(left, study), _study_of(right, study)]
    lines: list[Line] = [_joined(_heading(left, column), _heading(right, column), column)]
    spans: list[tuple[int, int]] = []
    for row, ref in enumerate(parallel_rows(left, right)):
        titles = [s.titles.get(ref) for s in studies]
        if any(titles):
            _add_cells(
                lines, [wrap(title_units(t), column) if t else [Line()] for t in titles], column
            )
        cells = [
            wrap(verse_units(side[ref], row, marks, s), column) if ref in side else [Line()]
            for side, s in zip(by_ref, studies, strict=True)
        ]
        first = len(lines)
        _add_cells(lines, cells, column)
        spans.append((first, len(lines) - 1))
    return Layout(tuple(lines), tuple(spans), column * 2 + GUTTER)


def _add_cells(lines: list[Line], cells: list[list[Line]], column: int) -> None:
    for index in range(max(len(cells[0]), len(cells[1]))):
        pair = [cell[index] if index < len(cell) else Line() for cell in cells]
        lines.append(_joined(pair[0], pair[1], column))


def _heading(passage: Passage, column: int) -> Line:
    line = Line()
    line.add(Run(passage.translation[:column], Kind.HEADING, -1))
    return line


def _joined(left: Line, right: Line, column: int) -> Line:
    line = Line()
    for run in left.runs:
        line.add(run)
    line.add(Run(" " * (column - left.width + GUTTER), Kind.SPACE, -1))
    for run in right.runs:
        line.add(run)
    return line
