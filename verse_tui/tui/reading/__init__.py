"""The reader: `ReadingScreen` (screen.py) and what only it uses.

- `chapter_view.py`, `text_layout.py`: the chapter as laid-out lines, with the cursor and
  selection; `passages.py`: the chapter and its parallel translation, fetched for a page.
- `marks.py` + `annotations.py`: bookmarks, highlights and notes (held in memory);
  `study.py`: psalm titles, paragraphs and inline Strong's from the study library;
  `study_actions.py`: chat, insights, define, devices from the reader and the palette.
- `reader_header.py`, `goto_bar.py`: the header line and the go-to box.
"""
