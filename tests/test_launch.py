"""scripts/run.sh on a copy of the checkout, as a person starting the app would run it.

The first run installs (.venv from the package index, the launcher, the menu entry); every later
run must start the app without network and without pip; a broken .venv is rebuilt. All of it
runs in a temporary copy with its own HOME, never on this checkout's .venv. "Offline" is a new,
empty network namespace (unshare -n). About a minute: the copy installs the stack three times
(from pip's cache).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
COPY_IGNORE = shutil.ignore_patterns(
    ".venv", ".git", "dist", "build", "tmp", "__pycache__", "*.egg-info",
    ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis",
)  # fmt: skip


def _offline_prefix() -> list[str] | None:
    """A command prefix that runs its command with no network, if this machine has one."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    for prefix in ([unshare, "-n"], [unshare, "-r", "-n"]):  # root, or a user namespace
        if subprocess.run([*prefix, "true"], capture_output=True, check=False).returncode == 0:
            return prefix
    return None


OFFLINE = _offline_prefix()
needs_offline = pytest.mark.skipif(
    OFFLINE is None, reason="no network namespace here (unshare -n is missing or not permitted)"
)


@dataclass
class Checkout:
    root: Path
    home: Path
    env: dict[str, str]
    first_run: subprocess.CompletedProcess[str]

    @property
    def launcher(self) -> Path:
        return self.home / ".local" / "bin" / "s47desk"

    def run(
        self, args: Sequence[str | Path], *, offline: bool = False, timeout: float = 600, **env: str
    ) -> subprocess.CompletedProcess[str]:
        prefix = (OFFLINE or []) if offline else []
        return subprocess.run(
            [*prefix, *map(str, args)],
            cwd=self.root,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def run_sh(
        self, *args: str, offline: bool = False, **env: str
    ) -> subprocess.CompletedProcess[str]:
        return self.run(["bash", "scripts/run.sh", *args], offline=offline, **env)


def _output(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


def _venv_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [
        line for line in (result.stdout + result.stderr).splitlines() if line.startswith("venv:")
    ]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Checkout:
    """A copy of this checkout, installed once by `bash scripts/run.sh --version` (online)."""
    base = tmp_path_factory.mktemp("launch")
    root = base / "s47desk"
    shutil.copytree(REPO, root, ignore=COPY_IGNORE, symlinks=True)
    home = base / "home"
    home.mkdir()
    cache = os.environ.get("PIP_CACHE_DIR") or str(
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pip"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("S47DESK_", "QT_", "XDG_DATA_HOME", "VIRTUAL_ENV", "PYTHON"))
    }
    env.update(
        HOME=str(home),
        PATH=f"{home / '.local' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        PIP_CACHE_DIR=cache,  # the real user's pip cache: no second download of the stack
        PYTHON=getattr(sys, "_base_executable", sys.executable),
        S47DESK_DATA=str(base / "data"),
        S47DESK_CONFIG=str(base / "config"),
        S47DESK_TODAY="2026-11-23",
    )
    first = subprocess.run(
        ["bash", "scripts/run.sh", "--version"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert first.returncode == 0, "the first run (it needs the package index)\n" + _output(first)
    return Checkout(root, home, env, first)


def test_first_run_installs_venv_launcher_and_menu_entry(checkout: Checkout) -> None:
    assert checkout.first_run.stdout == f"s47desk {VERSION}\n"  # messages go to stderr
    out = checkout.first_run.stderr
    assert "venv: creating .venv" in out
    assert (checkout.root / ".venv" / ".s47desk-install").is_file()
    # One line says what went where.
    installed = [line for line in out.splitlines() if line.startswith("s47desk: installed")]
    assert len(installed) == 1, out
    assert "~/.local/bin/s47desk" in installed[0]
    assert os.access(checkout.launcher, os.X_OK)
    entry = checkout.home / ".local" / "share" / "applications" / "s47desk.desktop"
    text = entry.read_text(encoding="utf-8")
    assert f'Exec="{checkout.launcher}"' in text
    assert "Icon=s47desk" in text
    icon = checkout.home / ".local/share/icons/hicolor/scalable/apps/s47desk.svg"
    assert icon.read_bytes() == (REPO / "resources" / "s47desk.svg").read_bytes()


@needs_offline
def test_network_namespace_has_no_network(checkout: Checkout) -> None:
    code = "import socket; print(sorted(n for _, n in socket.if_nameindex()))"
    result = checkout.run([checkout.env["PYTHON"], "-c", code], offline=True)
    assert result.returncode == 0, _output(result)
    assert result.stdout.strip() == "['lo']"


@needs_offline
def test_second_launch_runs_offline_without_pip(checkout: Checkout) -> None:
    start = time.monotonic()
    result = checkout.run_sh("--version", offline=True)
    seconds = time.monotonic() - start
    assert result.returncode == 0, _output(result)
    assert result.stdout == f"s47desk {VERSION}\n", _output(result)  # no install, no messages
    assert _venv_lines(result) == []
    assert seconds < 10, f"an installed launch took {seconds:.1f} s"


@needs_offline
def test_launcher_on_path_runs_commands_offline(checkout: Checkout) -> None:
    version = checkout.run(["s47desk", "--version"], offline=True)  # found on PATH
    assert version.stdout == f"s47desk {VERSION}\n", _output(version)
    demo = checkout.run(["s47desk", "demo"], offline=True)
    assert demo.returncode == 0, _output(demo)
    listing = checkout.run(["s47desk", "list"], offline=True)
    assert listing.returncode == 0, _output(listing)
    assert len(listing.stdout.splitlines()) > 6, listing.stdout  # heading + the demo meetings


@needs_offline
def test_window_starts_offline(checkout: Checkout, tmp_path: Path) -> None:
    """The window runs for a few seconds offscreen on an empty database (it loads the demo)."""
    env = {**checkout.env, "QT_QPA_PLATFORM": "offscreen", "S47DESK_DATA": str(tmp_path)}
    log = tmp_path / "window.log"
    with log.open("w") as out:
        window = subprocess.Popen(
            [*(OFFLINE or []), str(checkout.launcher)], env=env, stdout=out, stderr=out
        )
        try:
            exited = window.wait(timeout=6)
        except subprocess.TimeoutExpired:
            exited = None
        finally:
            window.terminate()
            window.wait(timeout=30)
    assert exited is None, f"the window exited with {exited}:\n{log.read_text()}"
    listing = checkout.run(["s47desk", "list"], offline=True, S47DESK_DATA=str(tmp_path))
    assert len(listing.stdout.splitlines()) > 6, _output(listing)


@needs_offline
def test_changed_pyproject_reinstalls_offline(checkout: Checkout) -> None:
    """A reinstall needs the index only for new packages: no build isolation fetching setuptools."""
    pyproject = checkout.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + "\n# changed by test_launch\n")
    result = checkout.run_sh("--version", offline=True)
    assert result.returncode == 0, _output(result)
    assert result.stdout == f"s47desk {VERSION}\n"
    assert _venv_lines(result) == [
        "venv: pyproject.toml, constraints.txt or the extras changed; updating .venv"
    ]
    again = checkout.run_sh("--version", offline=True)
    assert _venv_lines(again) == [], _output(again)


@needs_offline
def test_update_needing_the_index_offline_starts_the_installed_version(checkout: Checkout) -> None:
    pyproject = checkout.root / "pyproject.toml"
    original = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(
        original.replace(
            "dependencies = [\n", 'dependencies = [\n    "s47desk-test-not-installed>=1",\n'
        )
    )
    try:
        result = checkout.run_sh("--version", offline=True, PIP_RETRIES="0")
    finally:
        pyproject.write_text(original)
    assert result.returncode == 0, _output(result)
    assert result.stdout == f"s47desk {VERSION}\n"
    assert "starting the version installed" in result.stderr
    again = checkout.run_sh("--version", offline=True)  # back as it was: installs offline
    assert again.returncode == 0, _output(again)
    assert again.stdout == f"s47desk {VERSION}\n"


@needs_offline
def test_unfinished_install_is_finished_offline(checkout: Checkout) -> None:
    (checkout.root / ".venv" / ".s47desk-install").unlink()  # as if pip had been interrupted
    result = checkout.run_sh("--version", offline=True)
    assert result.returncode == 0, _output(result)
    assert _venv_lines(result) == ["venv: finishing an install that did not complete"]


def test_venv_without_pip_is_rebuilt(checkout: Checkout) -> None:
    """A .venv made without python3-venv has no pip: rebuilt, not 'No module named pip'."""
    venv = checkout.root / ".venv"
    shutil.rmtree(venv)
    subprocess.run([checkout.env["PYTHON"], "-m", "venv", "--without-pip", str(venv)], check=True)
    result = checkout.run_sh("--version")
    assert result.returncode == 0, _output(result)
    assert _venv_lines(result) == [
        "venv: .venv has no pip (made without python3-venv?); rebuilding .venv"
    ]
    assert (venv / "bin" / "pip").exists()
    assert result.stdout == f"s47desk {VERSION}\n"


def test_venv_without_python_is_rebuilt(checkout: Checkout) -> None:
    (checkout.root / ".venv" / "bin" / "python").unlink()
    result = checkout.run_sh("--version")
    assert result.returncode == 0, _output(result)
    assert _venv_lines(result) == ["venv: .venv has no Python that runs; rebuilding .venv"]
    assert result.stdout == f"s47desk {VERSION}\n"
    if OFFLINE:
        offline = checkout.run_sh("--version", offline=True)
        assert offline.stdout == f"s47desk {VERSION}\n", _output(offline)
