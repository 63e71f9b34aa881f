"""The offline study library in the app: the concordance screen and how the reader's study
panel words its text (`study_text`); the panel itself is part of the reader
(`tui/reading/study_panel.py`)."""
