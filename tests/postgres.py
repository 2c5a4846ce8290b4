"""A throwaway PostgreSQL server for the tests that prove the shared store: initdb in a temporary
folder, started on a free port with trust authentication, stopped afterwards. (.ci/run installs
PostgreSQL when the machine lacks it.)"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest


def _binary(name: str) -> str | None:
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return (candidates[0] if candidates else None) or shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    """PostgreSQL will not run as root: run it as the postgres user then."""
    if os.geteuid() != 0:
        return args
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.fail("running as root without runuser: cannot start PostgreSQL as the postgres user")
    return [runuser, "-u", "postgres", "--", *args]


def start_server(folder: Path):
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not (initdb and pg_ctl):
        if os.environ.get("REGCERT_ALLOW_NO_POSTGRES"):
            pytest.skip("PostgreSQL is not installed")
        pytest.fail("PostgreSQL is needed: apt-get install postgresql (.ci/run installs it)")
    folder.mkdir(parents=True, exist_ok=True)
    data, sockets = folder / "data", folder / "sock"
    sockets.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(sockets, "postgres")
    port = _free_port()
    done = subprocess.run(_as_postgres([initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"]),
                          capture_output=True, text=True, timeout=120)
    if done.returncode:
        pytest.fail(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(_as_postgres([pg_ctl, "-D", str(data), "-o", options, "-w", "-t", "60", "-l",
                                 str(folder / "log"), "start"]), check=True, capture_output=True, timeout=120)
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    for _ in range(50):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.2)

    def stop() -> None:
        subprocess.run(_as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), capture_output=True,
                       timeout=60)

    return url, stop
