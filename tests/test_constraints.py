"""The committed constraints file pins every dependency, inside pyproject's ranges.

Both README commands install with `-c constraints.txt`, so a fresh machine gets the versions
the suite passed with; `.ci/update-constraints` moves them forward.
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, version = line.partition("==")
        assert sep, f"constraints.txt: {line!r} is not an exact pin (name==version)"
        pins[canonicalize_name(name)] = version
    return pins


def _requirements(*extras: str) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        lines += project["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


def test_every_runtime_and_test_dependency_is_pinned_within_its_range() -> None:
    pins = _pins()
    for req in _requirements("test"):
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is in pyproject.toml but not pinned in constraints.txt"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"constraints.txt pins {req.name}=={pins[name]}, outside pyproject's {req.specifier}"
        )


def test_every_runtime_dependency_has_an_upper_bound() -> None:
    for req in _requirements():
        assert any(spec.operator in ("<", "==", "~=") for spec in req.specifier), (
            f"{req.name} has no upper bound: a new major version could break a fresh install"
        )


def test_installed_versions_are_the_pinned_ones() -> None:
    """The environment running the suite was installed from constraints.txt."""
    pins = _pins()
    for req in _requirements("test"):
        name = canonicalize_name(req.name)
        assert metadata.version(req.name) == pins[name], (
            f"{req.name} {metadata.version(req.name)} is installed but constraints.txt pins "
            f"{pins[name]}: install with `pip install -c constraints.txt -e '.[test]'`"
        )
