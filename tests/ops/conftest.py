"""The whole app on the test database (SQLite, and PostgreSQL when SAID_TEST_POSTGRES_URL is set), for the
operations tests: health, readiness, metrics, logs, the worker and backups."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.app.settings import Settings, load_settings
from bot.app.wiring import create_app
from storage.db import Database

SECRET = "ops-test-secret-not-for-production-k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7Ty1Io3Pa6Sd9Fg4Hj0Kl"
TOKEN = "metrics-token-for-the-tests-0123"
PERSON = "+447700900461"


def database_url(database: Database) -> str:
    return database.url.render_as_string(hide_password=False)


@pytest.fixture
def make_settings(database: Database, tmp_path: Path) -> Callable[..., Settings]:
    def make(**overrides: object) -> Settings:
        options: dict[str, object] = {
            "database_url": database_url(database), "secret_key": SECRET, "var_dir": tmp_path,
            "scheduler": False, "metrics_token": TOKEN,
        }
        options.update(overrides)
        return load_settings(**options)

    return make


@dataclass
class Running:
    app: Starlette
    http: httpx.AsyncClient

    async def metrics(self) -> str:
        response = await self.http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200, response.text
        return response.text


@pytest.fixture
def run_app() -> Callable[[Settings], object]:
    """`async with run_app(settings) as running:` the app started (lifespan) with an HTTP client on it."""
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def run(settings: Settings) -> AsyncIterator[Running]:
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as http:
                yield Running(app, http)

    return run


def sample(exposition: str, name: str, **labels: str) -> float | None:
    """The value of one sample in Prometheus text, or None when there is no such sample."""
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(exposition):
        for s in family.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                return s.value
    return None


@pytest.fixture(autouse=True)
def _root_logger_put_back():
    """`said` commands set up logging; put the root logger back for the tests that follow."""
    import logging

    root = logging.getLogger()
    saved = root.handlers[:], root.level
    yield
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
