"""The offline study library in the app: the study panel (commentary and topics)."""
