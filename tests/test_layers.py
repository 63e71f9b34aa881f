"""The layer rule, checked on every module's imports (an AST walk: nothing is imported).

    tui -> services -> (db, bible, llm) -> domain        cli beside tui

- a layer imports only the layers below it (`tui` and `cli` may also read the Bible data
  directly, and build the services through `app_factory`); `cli` never imports `tui`, nor
  `tui` `cli`; error modules (`verse_tui.errors`, `db/errors.py`, `llm/errors.py`) and the
  base modules (`domain`, `config`, `private_files`) may be imported from anywhere above;
- Textual only under `tui/`; SQLAlchemy only under `db/` and `services/`;
- SQL statements are built only under `db/` (no `select`/`insert`/`update`/`delete`/`text`
  imported elsewhere);
- no import cycles (imports under `if TYPE_CHECKING:` are left out: they never run).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import verse_tui

PACKAGE = Path(verse_tui.__file__).resolve().parent

BASE = {"domain", "errors", "config", "config_values", "private_files", ""}
ALLOWED: dict[str, set[str]] = {
    "domain": {"errors"},
    "errors": set(),
    "config_values": {"domain", "errors"},
    "config": {"domain", "errors", "config_values"},
    "private_files": {"errors"},
    "db": BASE,
    "bible": BASE,
    "llm": BASE,
    "services": BASE | {"db", "bible", "llm"},
    "app_factory": BASE | {"services", "db", "bible", "llm"},
    "tui": BASE | {"services", "app_factory", "bible"},
    "cli": BASE | {"services", "app_factory", "bible"},
    "__main__": BASE | {"cli"},
}
# One import across the rule, on purpose: `verse` with no command opens the TUI from the
# CLI's dispatcher (inside its crash and Ctrl+C handling).
EXCEPTIONS = {("verse_tui.cli", "verse_tui.tui.run")}

SQL_BUILDERS = {"select", "insert", "update", "delete", "text", "exists"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> str:
    """`verse_tui.tui.reading.screen` -> `tui`; `verse_tui` itself -> ``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node except those under `if TYPE_CHECKING:`."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in [child, *runtime_nodes(child)])
            continue
        yield node
        yield from runtime_nodes(node)


def imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module, names imported from it, line) of each import that runs (absolute only)."""
    found = []
    for node in runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names], node.lineno))
    return found


def own_module(name: str) -> str | None:
    """The package module an import refers to (`verse_tui.tui.host.services` -> `...host`)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        targets = set()
        for imported, names, _ in imports(path):
            for full in [imported] + [f"{imported}.{name}" for name in names]:
                target = own_module(full)
                if target is not None and target != module:
                    targets.add(target)
        graph[module] = targets
    return graph


def allowed(source: str, target: str) -> bool:
    src, dst = layer(source), layer(target)
    if src == dst or (source, target) in EXCEPTIONS:
        return True
    if target.endswith(".errors"):  # errors are raised upwards: anyone above may catch them
        return True
    return dst in ALLOWED.get(src, set())


def test_every_import_follows_the_layer_rule() -> None:
    graph = import_graph()
    offenders = sorted(
        f"{source} -> {target}"
        for source, targets in graph.items()
        for target in targets
        if not allowed(source, target)
    )
    assert offenders == []


def test_the_rule_rejects_what_it_should() -> None:
    assert not allowed("verse_tui.tui.app", "verse_tui.db.engine")
    assert not allowed("verse_tui.tui.app", "verse_tui.cli.read")
    assert not allowed("verse_tui.cli.read", "verse_tui.tui.app")
    assert not allowed("verse_tui.services.bible", "verse_tui.tui.host")
    assert not allowed("verse_tui.db.engine", "verse_tui.services.context")
    assert not allowed("verse_tui.domain.bible", "verse_tui.bible.canon")
    assert allowed("verse_tui.tui.claude", "verse_tui.llm.errors")


def third_party_users(package: str) -> set[str]:
    return {
        module
        for module, path in MODULES.items()
        if any(name.split(".")[0] == package for name, _, _ in imports(path))
    }


def test_textual_only_in_tui() -> None:
    assert {m for m in third_party_users("textual") if layer(m) != "tui"} == set()


def test_sqlalchemy_only_in_db_and_services() -> None:
    users = third_party_users("sqlalchemy")
    assert {m for m in users if layer(m) not in {"db", "services"}} == set()


def sql_builders(path: Path) -> list[str]:
    return [
        f"{name} (line {line})"
        for module, names, line in imports(path)
        if module.split(".")[0] == "sqlalchemy"
        for name in names
        if name in SQL_BUILDERS
    ]


def test_sql_is_built_only_in_db() -> None:
    offenders = {
        module: found
        for module, path in MODULES.items()
        if layer(module) != "db"
        if (found := sql_builders(path))
    }
    assert offenders == {}


def test_the_sql_check_finds_a_statement_builder(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from sqlalchemy import Column, update\nfrom sqlalchemy.sql import text\n")
    assert sql_builders(sample) == ["update (line 1)", "text (line 2)"]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_imports_under_type_checking_are_left_out(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a\nelse:\n"
        "    import b\ndef f():\n    from c import d\n"
    )
    assert [(m, n) for m, n, _ in imports(sample)] == [
        ("typing", ["TYPE_CHECKING"]),
        ("b", []),
        ("c", ["d"]),
    ]
