"""/metrics: what a service's dashboards and alerts need (messages, replies, sends and their outcomes, the
outbox backlog and its oldest due row, open safeguarding alerts and the oldest unacknowledged one, duty
notices, scheduler ticks, request times), behind a bearer token, and never an address, pseudonym or word."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.app.metrics import Metrics
from bot.app.ops import UNMATCHED, route_template
from bot.app.safeguarding import build_safeguarding
from bot.app.wiring import Parts, build_parts, create_app
from bot.messages import Channel, Inbound, Outbound
from bot.safeguarding.duty import DutySettings
from channels.base import SendFailed, Sent
from storage.privacy.vault import short

from .conftest import PERSON, SECRET, TOKEN, sample


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # a Tuesday noon in London: not quiet hours

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def parts(make_settings, database, clock: Clock) -> Parts:
    return build_parts(make_settings(), database=database, clock=clock)


async def _text(parts: Parts, clock: Clock, words: str, *, address: str = PERSON, n: int = 1) -> None:
    message = Inbound(text=words, channel=Channel.SMS, received_at=clock.now, provider_id=f"SM{n:030d}")
    await parts.service.handle(Channel.SMS, address, message)


class FlakySms:
    """Fails every send until `up` is set, then sends."""

    channel = "sms"

    def __init__(self) -> None:
        self.up = False
        self.sent: list[str] = []

    async def send(self, address: str, messages: list[Outbound], *, outbox_id: int) -> Sent:
        if not self.up:
            raise SendFailed("the provider is busy", retryable=True)
        self.sent.append(address)
        return Sent(provider_id=f"fake-{outbox_id}")


async def test_the_metrics_page_needs_the_token(make_settings, run_app) -> None:
    async with run_app(make_settings()) as running:
        http = running.http
        assert (await http.get("/metrics")).status_code == 401
        refused = await http.get("/metrics", headers={"Authorization": "Bearer not-the-token-at-all"})
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert TOKEN not in refused.text
        assert (await http.get("/metrics", headers={"Authorization": f"Basic {TOKEN}"})).status_code == 401
        ok = await http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200
        assert ok.headers["content-type"].startswith("text/plain; version=")
        assert "said_outbox_backlog" in ok.text and "said_inbound_messages_total" in ok.text
        assert sample(ok.text, "said_database_up") == 1


async def test_without_a_token_there_are_no_metrics(make_settings, run_app) -> None:
    async with run_app(make_settings(metrics_token=None)) as running:
        response = await running.http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 404
        assert "SAID_METRICS_TOKEN" in response.text


def test_a_short_token_is_refused_with_a_clear_message(make_settings) -> None:
    from bot.app.settings import SettingsError

    with pytest.raises(SettingsError, match="SAID_METRICS_TOKEN is too short"):
        make_settings(metrics_token="short")


async def test_messages_replies_and_every_outcome_of_a_send_are_counted(parts: Parts, clock: Clock) -> None:
    await _text(parts, clock, "hello")
    sms = FlakySms()
    parts.dispatcher.senders["sms"] = sms
    async with parts.store.unit() as uow:
        person = await uow.participant("sms", PERSON)
        await uow.enqueue(person.id, "sms", "reply", {"messages": []}, direct_reply=True)
        await uow.enqueue(person.id, "sms", "broadcast", {"messages": []}, max_attempts=1)
    await parts.dispatcher.tick()  # both fail: the reply is tried again, the broadcast had one try
    clock.now += timedelta(hours=2)
    sms.up = True
    await parts.dispatcher.tick()

    text = parts.metrics.exposition().decode()
    assert sample(text, "said_inbound_messages_total", channel="sms") == 1
    assert sample(text, "said_replies_total", channel="sms", outcome="answered") == 1
    assert sample(text, "said_outbox_sends_total", channel="sms", kind="reply", outcome="retry") == 1
    assert sample(text, "said_outbox_sends_total", channel="sms", kind="reply", outcome="sent") == 1
    assert sample(text, "said_outbox_sends_total", channel="sms", kind="broadcast", outcome="gave_up") == 1
    assert sample(text, "said_outbox_retries_total", channel="sms") == 1
    assert sample(text, "said_outbox_give_ups_total", channel="sms") == 1
    assert sample(text, "said_inbound_messages_total", channel="telegram") == 0, "every channel from the start"
    assert sms.sent == [PERSON]


async def test_the_backlog_and_its_oldest_due_row_are_read_from_the_database(
    parts: Parts, clock: Clock, database
) -> None:
    async with parts.store.unit() as uow:
        person = await uow.participant("sms", PERSON)
        await uow.enqueue(person.id, "sms", "followup", {"messages": []})
        await uow.enqueue(person.id, "sms", "followup", {"messages": []}, not_before=clock.now + timedelta(hours=1))
    await parts.metrics.refresh(database, now=clock.now + timedelta(seconds=90))
    text = parts.metrics.exposition().decode()
    assert sample(text, "said_outbox_backlog", channel="sms", state="due") == 1
    assert sample(text, "said_outbox_backlog", channel="sms", state="waiting") == 1
    assert sample(text, "said_outbox_backlog", channel="sms", state="sending") == 0
    assert sample(text, "said_outbox_oldest_due_age_seconds", channel="sms") == pytest.approx(90, abs=1)
    assert sample(text, "said_outbox_oldest_due_age_seconds", channel="telegram") == 0

    parts.dispatcher.senders["sms"] = FlakySms()
    parts.dispatcher.senders["sms"].up = True
    await parts.dispatcher.tick()
    await parts.metrics.refresh(database, now=clock.now + timedelta(seconds=95))
    text = parts.metrics.exposition().decode()
    assert sample(text, "said_outbox_backlog", channel="sms", state="due") == 0
    assert sample(text, "said_outbox_oldest_due_age_seconds", channel="sms") == 0


async def test_open_alerts_the_oldest_unacknowledged_and_duty_notices_waiting(
    parts: Parts, clock: Clock, database, make_settings
) -> None:
    await _text(parts, clock, "I want to kill myself tonight")
    await parts.metrics.refresh(database, now=clock.now + timedelta(minutes=5))
    text = parts.metrics.exposition().decode()
    levels = ("urgent", "concern")
    assert sum(sample(text, "said_safeguarding_alerts_open", level=level) for level in levels) == 1
    assert sum(sample(text, "said_safeguarding_alerts_unacknowledged", level=level) for level in levels) == 1
    assert sample(text, "said_safeguarding_oldest_unacknowledged_age_seconds") == pytest.approx(300, abs=1)
    assert sample(text, "said_duty_notices_due") == 1
    assert sample(text, "said_duty_notices_oldest_due_age_seconds") == pytest.approx(300, abs=1)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_duty_notices_that_fail_are_counted(parts: Parts, clock: Clock, make_settings) -> None:
    duty = DutySettings(
        public_url="https://said.example.org", duty_emails="duty@example.org",
        smtp_host="127.0.0.1", smtp_port=_closed_port(), smtp_security="none",
    )
    safeguarding = build_safeguarding(make_settings(), parts, duty=duty, clock=clock)
    await _text(parts, clock, "I want to kill myself tonight")
    stats = await safeguarding.notifier.tick()
    assert stats.claimed == 1 and stats.emailed == 0
    text = parts.metrics.exposition().decode()
    assert sample(text, "said_duty_notices_total", via="any", outcome="failed") == 1
    assert sample(text, "said_duty_notices_total", via="email", outcome="sent") is None


async def test_requests_are_timed_by_route_template_never_by_path(make_settings, run_app) -> None:
    async with run_app(make_settings()) as running:
        await running.http.get("/staff/results/secret-looking-pack-name")
        await running.http.get("/no/such/page/+447700900461")
        text = await running.metrics()
    assert sample(text, "said_http_request_duration_seconds_count", route="/staff/results/{pack_id}", method="GET")
    assert sample(text, "said_http_request_duration_seconds_count", route=UNMATCHED, status="404") == 1
    assert "secret-looking-pack-name" not in text and "900461" not in text


@pytest.mark.parametrize(
    "words",
    ["hello", "my number is 07700 900461 call me", "I want to kill myself tonight", "write to sam@example.org"],
)
async def test_no_address_pseudonym_or_words_in_any_metric(
    parts: Parts, clock: Clock, database, words: str
) -> None:
    await _text(parts, clock, "DEMO")
    await _text(parts, clock, words, n=2)
    async with parts.store.unit() as uow:
        person = await uow.participant("sms", PERSON)
    await parts.metrics.refresh(database, now=clock.now)
    text = parts.metrics.exposition().decode()
    for secret in (PERSON, PERSON[1:], "7700900461", short(person.pseudonym), person.pseudonym, words, SECRET):
        assert secret not in text




@pytest.fixture(scope="module")
def app_routes(tmp_path_factory) -> list:
    from bot.app.settings import load_settings

    folder: Path = tmp_path_factory.mktemp("routes")
    settings = load_settings(database_url=f"sqlite+aiosqlite:///{folder / 'x.db'}", secret_key=SECRET, var_dir=folder)
    return create_app(settings).routes


@given(path=st.text(alphabet=st.characters(codec="ascii", exclude_categories=["Cc"]), max_size=60))
def test_a_route_label_is_always_a_template_of_the_app(app_routes, path: str) -> None:
    templates = _templates(app_routes)
    label = route_template(app_routes, {"path": "/" + path, "method": "GET"})
    assert label == UNMATCHED or label in templates


def _templates(routes, prefix: str = "") -> set[str]:
    from starlette.routing import Mount

    found: set[str] = set()
    for route in routes:
        if isinstance(route, Mount):
            found.add(prefix + route.path + "/{path}")
            found |= _templates(route.routes or [], prefix + route.path)
        else:
            found.add(prefix + route.path)
    return found


def test_a_fresh_registry_for_every_service() -> None:
    first, second = Metrics(("sms",)), Metrics(("sms",))
    first.handled("sms", "answered")
    assert sample(second.exposition().decode(), "said_inbound_messages_total", channel="sms") == 0


def test_skipped_and_failed_ticks_are_counted() -> None:
    metrics = Metrics()
    metrics.tick_skipped("outbox", "still_running")
    metrics.tick_finished("outbox", 0.5, ok=False)
    text = metrics.exposition().decode()
    assert sample(text, "said_scheduler_ticks_skipped_total", job="outbox", why="still_running") == 1
    assert sample(text, "said_scheduler_tick_failures_total", job="outbox") == 1
