"""A throwaway PostgreSQL server on loopback (initdb, pg_ctl), which a test can also stop and
start again, as a team's server goes away and comes back."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


class PostgresServer:
    """``url`` is the server's base URL (no database name)."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="s47pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._as_postgres: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.root, "postgres")
            self._as_postgres = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-U", "s47", "--auth=trust", "-E", "UTF8")
        self.url = f"postgresql+psycopg://s47@127.0.0.1:{self.port}"

    def _run(self, tool: str, *args: str) -> None:
        command = [*self._as_postgres, str(self.bindir / tool), *args]
        subprocess.run(command, check=True, cwd="/tmp", capture_output=True)

    def start(self) -> None:
        self._run(
            "pg_ctl", "-D", str(self.data), "-w", "-l", str(self.root / "log"), "-o",
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c fsync=off "
            f"-c unix_socket_directories={self.root}",
            "start",
        )  # fmt: skip

    def stop(self) -> None:
        """As a server that is switched off or unplugged: at once, connections dropped."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def create_database(self, name: str) -> str:
        import psycopg

        base = self.url.replace("postgresql+psycopg", "postgresql")
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"{self.url}/{name}"
