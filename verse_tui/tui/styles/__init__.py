"""The app's stylesheets. `modals.tcss` is loaded by the modal screens when first shown."""

from pathlib import Path

MODALS_CSS = str(Path(__file__).with_name("modals.tcss"))
