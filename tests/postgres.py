"""A throwaway PostgreSQL server for the store tests, and the fixtures that hand out databases.

The server is Debian's (``/usr/lib/postgresql/<version>/bin``), started once per test session in
a temporary directory on a free port bound to 127.0.0.1, with its unix socket in the same
directory, and stopped at the end. PostgreSQL refuses to run as root, so as root the binaries run
as the ``postgres`` user. A test module runs against both backends with::

    from tests.postgres import BACKENDS, postgres_server, url_for_backend  # noqa: F401

    @pytest.fixture(params=BACKENDS)
    def store_url(request, tmp_path):
        return url_for_backend(request, tmp_path)
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import require_system_tool

BACKENDS = ("sqlite", "postgresql")
SERVER_USER = "postgres"


@dataclass(frozen=True)
class PostgresServer:
    port: int
    superuser: str

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.superuser}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A fresh, empty database; each test gets its own so none sees another's rows."""
        import psycopg

        name = "eakit_" + uuid.uuid4().hex[:12]
        with psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=self.superuser,
            dbname="postgres",
            autocommit=True,
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _server_binaries() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    initdb = require_system_tool(
        found[-1] if found else "initdb",
        "the store tests run against a real PostgreSQL server (Debian package 'postgresql')",
    )
    return Path(initdb).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(args: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *args] if os.geteuid() == 0 else args


def _run(args: list[str]) -> None:
    result = subprocess.run(_as_server_user(args), capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """initdb into a temporary folder, start on a free local port, stop at session end."""
    bin_dir = _server_binaries()
    # Not under pytest's tmp folder: that one is private to root, and the server user must
    # be able to reach its data directory.
    base = Path(tempfile.mkdtemp(prefix="eakit-pg-"))
    data, sockets, log = base / "data", base / "sockets", base / "server.log"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, SERVER_USER)
        shutil.chown(sockets, SERVER_USER)
    superuser = "eakit"
    port = _free_port()
    _run(
        [
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            superuser,
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ]
    )
    options = (
        f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
    )
    _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start"])
    try:
        yield PostgresServer(port, superuser)
    finally:
        _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])
        shutil.rmtree(base, ignore_errors=True)


def url_for_backend(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to an empty store for ``request.param``: a SQLite file in tmp_path, or a new
    database on the session's PostgreSQL server (started on first use)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return request.getfixturevalue("postgres_server").create_database()
