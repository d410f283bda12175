"""`said worker` does the scheduler's work without the web app; `said serve --no-scheduler` serves without
it; `said serve` alone still does both."""

from __future__ import annotations

import asyncio
import logging
import socket

import httpx
import pytest
from sqlalchemy import select

from bot.app import cli
from bot.app.webchat_transcripts import StoreTranscripts
from bot.app.worker import run_worker
from storage.conversations.store import Store
from storage.models import OutboxMessage
from storage.privacy.vault import Keys

from .conftest import SECRET, TOKEN, sample

TOKEN_OF_A_CHAT = "a-web-chat-token-that-is-its-address-000000"


async def _queue_a_reply(database) -> int:
    """A web chat person with an open session, and a reply for them in the outbox, as a web process leaves it."""
    store = Store(database, Keys.from_secret(SECRET))
    await StoreTranscripts(store).start(TOKEN_OF_A_CHAT)
    async with store.unit() as uow:
        person = await uow.participant("web", TOKEN_OF_A_CHAT)
        return await uow.enqueue(person.id, "web", "reply", {"messages": []}, direct_reply=True)


async def _status(database, outbox_id: int) -> str:
    async with database.engine.connect() as conn:
        return (await conn.execute(select(OutboxMessage.status).where(OutboxMessage.id == outbox_id))).scalar_one()


async def _wait_for(database, outbox_id: int, status: str, seconds: float) -> str:
    found = await _status(database, outbox_id)
    for _ in range(int(seconds / 0.1)):
        if found == status:
            break
        await asyncio.sleep(0.1)
        found = await _status(database, outbox_id)
    return found


async def test_the_worker_sends_what_was_queued(make_settings, database) -> None:
    outbox_id = await _queue_a_reply(database)
    stop = asyncio.Event()
    worker = asyncio.create_task(run_worker(make_settings(dispatch_interval_seconds=0.1), stop=stop))
    try:
        assert await _wait_for(database, outbox_id, "sent", 15) == "sent"
    finally:
        stop.set()
        await asyncio.wait_for(worker, 15)


@pytest.mark.parametrize(("scheduler", "expected"), [(False, "pending"), (True, "sent")])
async def test_serve_sends_on_its_ticks_only_with_the_scheduler(make_settings, run_app, database, scheduler, expected):
    outbox_id = await _queue_a_reply(database)
    async with run_app(make_settings(dispatch_interval_seconds=0.1, scheduler=scheduler)):
        found = await _wait_for(database, outbox_id, "sent", 3 if scheduler else 1.5)
    assert found == expected


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_the_worker_answers_health_readiness_and_metrics_on_its_ops_port_and_nothing_else(
    make_settings,
) -> None:
    port = _free_port()
    stop = asyncio.Event()
    worker = asyncio.create_task(run_worker(make_settings(dispatch_interval_seconds=0.2), ops_port=port, stop=stop))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            for _ in range(100):
                try:
                    alive = await http.get("/healthz")
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.1)
            assert alive.status_code == 200
            ready = await http.get("/readyz")
            assert ready.status_code == 200 and ready.json()["checks"]["scheduler"] == "ok"
            ticks = finished = None
            for _ in range(50):  # the worker's own counters: its outbox ticks, started and finished
                metrics = await http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
                assert metrics.status_code == 200
                ticks = sample(metrics.text, "said_scheduler_tick_lag_seconds_count", job="outbox")
                # a tick is counted when it starts and stamped when it finishes: a scrape may fall between
                finished = sample(metrics.text, "said_scheduler_last_tick_timestamp_seconds", job="outbox")
                if ticks and finished:
                    break
                await asyncio.sleep(0.1)
            assert ticks and ticks >= 1
            assert finished and finished > 0
            assert (await http.get("/chat")).status_code == 404
            assert (await http.get("/staff")).status_code == 404
    finally:
        stop.set()
        await asyncio.wait_for(worker, 15)


def test_the_commands_choose_where_the_scheduler_runs(monkeypatch) -> None:
    monkeypatch.setenv("SAID_SECRET_KEY", SECRET)
    served = []
    monkeypatch.setattr(cli, "_serve", lambda settings, host, port, workers=1: served.append(settings.scheduler) or 0)
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        assert cli.main(["serve", "--no-scheduler"]) == 0
        assert cli.main(["serve"]) == 0
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
    assert served == [False, True]
