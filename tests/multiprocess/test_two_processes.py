"""Two `said serve` processes on one PostgreSQL database behave as one service.

Each scheduled job runs once a tick between them, a message queued anywhere is sent at once (LISTEN/NOTIFY,
not the next poll: the poll here is a minute), a web-chat form sent twice, once to each process, adds one
turn, and the SMS rate and the daily cap hold across both. Runs only with SAID_TEST_POSTGRES_URL; SQLite
runs one process (`said serve --workers 2` refuses it, tested at the end).
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.app.cli import workers_problem
from bot.messages import Say
from bot.messages_json import message_to_dict
from storage.conversations.store import Store
from storage.db import Database
from storage.privacy.vault import Keys
from storage.scheduling.ticks import SchedulerTicks
from tests.fakes.twilio_api import FakeTwilio

SECRET = "two-processes-test-secret-not-for-real-use-k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7Ty1Io3Pa6Sd9Fg4Hj0Kl"
OUR_NUMBER = "+447700900999"
SMS_RATE = 4.0
CSRF = re.compile(r'name="csrf"\s+value="([^"]+)"')
TURN = re.compile(r'name="turn"\s+value="(\d+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Service:
    url: str  # the database
    fake: FakeTwilio
    bases: list[str]  # the two processes

    def run(self, work: Callable[[Store, Database], object]) -> object:
        """Run `work(store, database)` from this test process: a third process on the same database."""

        async def go() -> object:
            database = Database(self.url)
            try:
                return await work(Store(database, Keys.from_secret(SECRET)), database)  # type: ignore[misc]
            finally:
                await database.dispose()

        return asyncio.run(go())


@pytest.fixture(scope="module")
def service(scratch_postgres: Callable[[str], str]) -> Iterator[Service]:
    url = scratch_postgres("said_two")
    asyncio.run(_migrate(url))
    zone = ZoneInfo("Europe/London")
    # Quiet hours twelve hours away, so the test never falls inside them.
    quiet_from = (datetime.now(zone) + timedelta(hours=12)).strftime("%H:%M")
    quiet_to = (datetime.now(zone) + timedelta(hours=12, minutes=1)).strftime("%H:%M")
    with FakeTwilio() as fake:
        ports = [_free_port(), _free_port()]
        env = {
            **os.environ,
            "SAID_DATABASE_URL": url,
            "SAID_SECRET_KEY": SECRET,
            "SAID_VAR_DIR": tempfile.mkdtemp(),
            "SAID_PUBLIC_URL": f"http://127.0.0.1:{ports[0]}",
            "SAID_DISPATCH_INTERVAL_SECONDS": "60",  # so only a wake-up can send within seconds
            "SAID_QUIET_HOURS": f"{quiet_from}-{quiet_to}",
            "SAID_SMS_RATE_PER_SECOND": str(SMS_RATE),
            "SAID_DAILY_MESSAGE_CAP": "1",
            "SAID_DETECTION_PROCESSES": "0",
            "TWILIO_ACCOUNT_SID": fake.account_sid,
            "TWILIO_AUTH_TOKEN": fake.auth_token,
            "TWILIO_PHONE_NUMBER": OUR_NUMBER,
            "TWILIO_API_BASE_URL": fake.base_url,
        }
        servers = [
            subprocess.Popen(
                [sys.executable, "-m", "bot.app.cli", "serve", "--port", str(port)],
                env=env, cwd=Path(__file__).resolve().parents[2],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            for port in ports
        ]
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        try:
            for base, server in zip(bases, servers, strict=True):
                _wait_for(base, server)
            yield Service(url, fake, bases)
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                server.wait(timeout=30)


async def _migrate(url: str) -> None:
    database = Database(url)
    await database.migrate()
    await database.dispose()


def _wait_for(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("said serve stopped while starting")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("said serve did not start within 90 s")


def _queue(service: Service, numbers: list[str], kind: str, *, direct_reply: bool) -> None:
    payload = {"messages": [message_to_dict(Say("Thank you for telling us. We changed the waiting room."))]}

    async def work(store: Store, _database: Database) -> None:
        async with store.unit() as uow:  # one transaction: one notification when it commits
            for number in numbers:
                person = await uow.participant("sms", number)
                assert person is not None
                await uow.enqueue(person.id, "sms", kind, payload, direct_reply=direct_reply)

    service.run(work)


def _sent_to(fake: FakeTwilio, numbers: list[str], within: float) -> list[float]:
    """Arrival times at the fake Twilio API of messages to `numbers`, waiting up to `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        arrived = [m.at for m in fake.messages if m.to in numbers]
        if len(arrived) >= len(numbers):
            return sorted(arrived)
        time.sleep(0.02)
    return sorted(m.at for m in fake.messages if m.to in numbers)


def test_each_scheduled_job_runs_once_a_tick_across_both(service: Service):
    time.sleep(1.0)  # both processes have started their schedulers; the retention job runs at start-up
    runs = service.run(lambda _store, database: SchedulerTicks(database).runs())
    assert isinstance(runs, dict)
    first_tick, tick, count = runs["retention"]
    assert count == tick - first_tick + 1 == 1  # both processes fired it; one ran it


def test_a_message_queued_by_another_process_is_sent_at_once(service: Service):
    numbers = ["+447700900101"]
    queued = time.monotonic()
    _queue(service, numbers, "reply", direct_reply=True)
    arrived = _sent_to(service.fake, numbers, within=20)
    assert len(arrived) == 1
    # The poll is a minute; a wake-up by notification takes milliseconds (seconds on a loaded machine).
    assert arrived[0] - queued < 10


def test_the_sms_rate_holds_across_both_processes(service: Service):
    numbers = [f"+4477009002{n:02d}" for n in range(9)]
    _queue(service, numbers, "reply", direct_reply=True)
    arrived = _sent_to(service.fake, numbers, within=30)
    assert len(arrived) == len(numbers)
    achieved = (len(arrived) - 1) / (arrived[-1] - arrived[0])
    # Both processes woke and sent, drawing slots from one shared reservation: never faster than the rate
    # (a little slack for the fake API's own clock reading each arrival).
    assert achieved <= SMS_RATE * 1.15


def test_the_daily_cap_holds_across_both_processes(service: Service):
    number = "+447700900301"
    for _ in range(3):  # three updates for one person, queued separately so both processes go for them
        _queue(service, [number], "broadcast", direct_reply=False)
    time.sleep(3)
    assert sum(1 for m in service.fake.messages if m.to == number) == 1  # the cap is one a day


def test_a_web_chat_form_sent_twice_to_two_processes_adds_one_turn(service: Service):
    first, second = service.bases
    with httpx.Client(base_url=first, timeout=20) as browser:
        page = browser.get("/chat")
        csrf = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        turn = TURN.search(page.text).group(1)  # type: ignore[union-attr]
        cookies = dict(browser.cookies)
    form = {"csrf": csrf, "turn": turn, "start": "demo"}

    # The same form, three times to each process, all at once (a double tap and a retrying browser).
    bases = [first, second] * 3
    clients = [httpx.Client(base_url=base, cookies=cookies, timeout=30) for base in bases]
    for client in clients:
        client.get("/healthz")  # connected before the race starts
    ready = threading.Barrier(len(clients))

    def submit(client: httpx.Client) -> int:
        ready.wait()
        return client.post("/chat", data=form, headers={"Accept": "application/json"}).status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        statuses = list(pool.map(submit, clients))
    for client in clients:
        client.close()
    assert statuses == [200] * len(clients)
    token = next(iter(cookies.values()))

    async def read(store: Store, _database: Database) -> list[dict]:
        session = await store.web_session(token, now=datetime.now(UTC))
        assert session is not None
        return list(session.transcript)

    transcript = service.run(read)
    assert isinstance(transcript, list)
    # The welcome, the person's tap once, and one answer to it: not the tap and its answer twice.
    assert [(t["who"], t["n"]) for t in transcript] == [("bot", 0), ("person", 1), ("bot", 2)]


def test_workers_are_refused_on_sqlite_with_a_clear_message():
    problem = workers_problem("sqlite+aiosqlite:///./var/said.db", 2)
    assert problem is not None and "PostgreSQL" in problem and "one process" in problem
    assert workers_problem("postgresql+asyncpg://db/said", 4) is None
    assert workers_problem("sqlite+aiosqlite:///./var/said.db", 1) is None
