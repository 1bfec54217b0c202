"""A real server on loopback over its own database, and Debian's Chromium driven by
Playwright (no browser download). Skips with a reason where Chromium is not installed."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, make_url
from sqlalchemy.orm import sessionmaker

from tastemaker.kit.db import make_engine
from tastemaker.models import Base

CHROMIUM = os.environ.get("TASTEMAKER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class LiveServer:
    url: str
    engine: Engine


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def browser_database_url() -> Iterator[str]:
    """SQLite by default; on the PostgreSQL pass a separate database on the same server, so
    what the server commits never meets the rolled-back tests."""
    base = os.environ.get("TASTEMAKER_TEST_DATABASE_URL")
    if not base:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/browser.db"
        return
    admin = make_engine(base)
    name = "tastemaker_browser"
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


@pytest.fixture(scope="module")
def live_server(browser_database_url: str) -> Iterator[LiveServer]:
    import uvicorn

    from tastemaker.app import create_app

    engine = make_engine(browser_database_url)
    Base.metadata.create_all(engine)
    app = create_app(sessionmaker(bind=engine, expire_on_commit=False))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", engine)
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
