"""The shape of the package: no module imports one that imports it back, Qt only in the window,
and the commands that never touch the database never load SQLAlchemy."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "s47desk"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {
    module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations/versions" not in p.as_posix()
}


def _resolve(current: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = current.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node that runs (lazy imports in functions too), but not ``if TYPE_CHECKING:``."""
    out: list[ast.AST] = []
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            pending.extend(node.orelse)
            continue
        out.append(node)
        pending.extend(ast.iter_child_nodes(node))
    return out


def imports_of(name: str) -> set[str]:
    """Every s47desk module *name* imports when it runs, anywhere in it."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(name, path.name == "__init__.py", node)
            targets = [
                f"{module}.{alias.name}" if f"{module}.{alias.name}" in MODULES else module
                for alias in node.names
            ]
        else:
            continue
        found |= {t for t in targets if t in MODULES and t != name}
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in GRAPH[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_one_that_imports_it_back() -> None:
    assert cycles() == []


def test_the_walk_sees_lazy_imports() -> None:
    """The walk would catch a cycle hidden in a function (as ``cli -> ui.app -> cli`` was)."""
    assert "s47desk.ui.app" in GRAPH["s47desk.cli.commands.window"]


def test_qt_is_imported_only_by_the_window() -> None:
    for name, path in MODULES.items():
        if name.startswith("s47desk.ui"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                names.append(getattr(node, "module", None) or "")
                assert not any(n.startswith(("PySide6", "shiboken6")) for n in names), name


PROBE = r"""
import json, sys
from s47desk.cli import main
code = main(sys.argv[1:])
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"sqlalchemy", "alembic", "docx", "lxml"})
models = "s47desk.models" in sys.modules
print(json.dumps({"code": code, "heavy": heavy, "models": models}))
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["deadlines", "--referral", "2026-12-24", "--json"],
        ["schema"],
        ["checks"],
        ["forms"],
    ],
)
def test_commands_that_do_not_touch_the_database_load_no_database_code(argv: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        timeout=60,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"code": 0, "heavy": [], "models": False}, result.stderr


OPENING = r"""
import json, sys
import s47desk.ui.document, s47desk.ui.meeting_view, s47desk.ui.main_window
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & {"docx", "lxml", "cryptography"})))
"""


def test_opening_a_meeting_in_the_window_loads_no_record_or_cryptography() -> None:
    """The Word record, its signing and the mail are loaded when the chair exports, signs or
    circulates; every meeting opened before that is quicker and the window smaller for it."""
    result = subprocess.run(
        [sys.executable, "-c", OPENING],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [], result.stderr


def test_the_list_of_a_sqlite_file_loads_no_database_code(tmp_path: Path) -> None:
    """Once its statements are compiled (by the first list, through SQLAlchemy), the list of a
    SQLite file is read with sqlite3 alone: SQLAlchemy's import is most of its time."""
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    reports = []
    for argv in (["demo"], ["list", "--json"], ["list", "--json"], ["list"]):
        result = subprocess.run(
            [sys.executable, "-c", PROBE, "--db", url, *argv],
            capture_output=True,
            text=True,
            cwd=REPO,
            check=False,
            timeout=120,
        )
        reports.append(json.loads(result.stdout.strip().splitlines()[-1]))
    assert [r["code"] for r in reports] == [0, 0, 0, 0]
    assert reports[1]["heavy"] == ["sqlalchemy"]  # the first: through SQLAlchemy, compiling
    assert reports[2] == reports[3] == {"code": 0, "heavy": [], "models": False}
