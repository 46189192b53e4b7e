"""Shared fixtures: real SQLite files, a real PostgreSQL server, the built-in forms and protocol."""

from __future__ import annotations

import os

# Qt aborts the whole run without a display unless told to draw offscreen; this must happen
# before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from s47desk.forms import FormRegistry, load_forms
from s47desk.protocol import Protocol
from s47desk.storage import Database, open_database
from tests.mailkit import MailServer, serve
from tests.pgkit import PostgresServer, pg_bin

REPO = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(autouse=True)
def _private_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the real user's data, settings or forms."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("S47DESK_DATA", str(home / "data"))
    monkeypatch.setenv("S47DESK_CONFIG", str(home / "config"))
    monkeypatch.delenv("S47DESK_DB", raising=False)
    monkeypatch.setenv("S47DESK_TODAY", "2026-11-23")


@pytest.fixture
def today() -> date:
    return date(2026, 11, 23)


@pytest.fixture(scope="session")
def forms() -> FormRegistry:
    return load_forms()


@pytest.fixture(scope="session")
def protocol() -> Protocol:
    return Protocol()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 's47desk.sqlite3'}"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL server on loopback; its base URL (no database name)."""
    bindir = pg_bin()
    if bindir is None:
        if IN_CI:
            pytest.fail("PostgreSQL is not installed; .ci/run must install it")
        pytest.skip("PostgreSQL is not installed")
    server = PostgresServer(bindir)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()
        server.remove()


@pytest.fixture
def postgres_url(postgres_server: str, request: pytest.FixtureRequest) -> str:
    """A fresh, empty database on the test server."""
    import psycopg

    name = "t_" + str(abs(hash(request.node.nodeid)))[:12]
    with psycopg.connect(
        postgres_server.replace("postgresql+psycopg", "postgresql") + "/postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{postgres_server}/{name}"


@pytest.fixture
def mail_server(tmp_path: Path) -> Iterator[MailServer]:
    """A local SMTP server that requires STARTTLS and a login, like a council's mail relay."""
    folder = tmp_path / "smtp"
    folder.mkdir()
    yield from serve(folder, tls=True)
