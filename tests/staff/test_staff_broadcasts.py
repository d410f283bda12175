"""Broadcasts through the console: the live check, send now, schedule, change, cancel, stop, and what the
dispatcher does with the rows (stop status is checked again at the moment of sending)."""

from __future__ import annotations

import re
from datetime import timedelta

from storage.conversations.store import Store
from storage.privacy.vault import Keys

from .conftest import SECRET


async def web_people(world, count: int, *, first: int = 0) -> list[int]:
    """People on the web chat who said yes to updates, with live sessions (the web 'address')."""
    store = Store(world.parts.database, Keys.from_secret(SECRET), clock=world.clock)
    ids = []
    for n in range(first, first + count):
        token = f"web-token-{n:04d}-abcdefghijklmnopqrstuvwxyz"
        async with store.unit() as uow:
            person = await uow.participant("web", token)
            await uow.set_consent(person.id, "updates", True)
        await store.open_web_session(token, person.id, timedelta(days=14))
        ids.append(person.id)
    return ids


async def as_staff(world) -> None:
    await world.add("staff@example.org", "staff")
    await world.sign_in("staff@example.org")


def compose(**fields: str) -> dict[str, str]:
    return {"name": "Nurses", "text_en": "We have two new nurses.", "audience": "updates", "when": "now",
            "action": "send", **fields}


async def test_the_live_check_reports_easy_read_problems_cost_and_reach(staff_world):
    await web_people(staff_world, 2)
    await as_staff(staff_world)
    token = await staff_world.csrf("/staff/broadcasts/new")
    answer = await staff_world.http.post("/staff/broadcasts/check", data={
        "csrf": token, "text": "Your appointment is soon & we'll phone you 😀", "language": "en",
        "audience": "updates"})
    data = answer.json()
    rules = {f["rule"] for f in data["findings"]}
    assert {"hard-word", "contraction", "punctuation"} <= rules
    # Texts go out plain (SAID_SMS_SYMBOLS is off): the emoji is left out, so it costs no more.
    assert data["sms"]["encoding"] == "GSM-7" and data["sms"]["segments"] == 1
    assert data["people"] == 2
    bad = await staff_world.http.post("/staff/broadcasts/check", data={
        "csrf": token, "text": "Hello.", "language": "fr", "audience": "updates"})
    assert bad.status_code == 400
    assert (await staff_world.http.post("/staff/broadcasts/check", data={"text": "x"})).status_code == 400


async def test_check_and_preview_without_javascript_shows_every_channel(staff_world):
    await as_staff(staff_world)
    page = await staff_world.post("/staff/broadcasts/new", compose(action="check"), csrf_from="/staff/broadcasts/new")
    assert page.status_code == 200
    for channel in ("SMS", "WhatsApp", "Telegram", "Web chat"):
        assert f"<figcaption>{channel}</figcaption>" in page.text
    assert "The easy-read check found nothing to fix." in page.text


async def test_send_now_queues_one_message_a_person_and_the_dispatcher_delivers_them(staff_world):
    await web_people(staff_world, 3)
    await as_staff(staff_world)
    sent = await staff_world.post("/staff/broadcasts/new", compose(), csrf_from="/staff/broadcasts/new")
    assert sent.status_code == 303
    detail = sent.headers["location"]
    page = (await staff_world.http.get(detail)).text
    assert re.search(r'data-status="queued">3<', page)
    stats = await staff_world.parts.dispatcher.tick()
    assert stats.sent == 3
    page = (await staff_world.http.get(detail)).text
    assert re.search(r'data-status="sent">3<', page)


async def test_someone_who_stops_after_planning_is_not_sent_the_broadcast(staff_world):
    first, *_ = await web_people(staff_world, 3)
    await as_staff(staff_world)
    detail = (await staff_world.post("/staff/broadcasts/new", compose(), csrf_from="/staff/broadcasts/new")
              ).headers["location"]
    async with staff_world.parts.store.unit() as uow:
        await uow.set_stopped(first, True)
    stats = await staff_world.parts.dispatcher.tick()
    assert (stats.sent, stats.cancelled) == (2, 1)
    page = (await staff_world.http.get(detail)).text
    assert re.search(r'data-status="cancelled">1<', page) and re.search(r'data-status="sent">2<', page)


async def test_easy_read_problems_hold_a_send_until_staff_confirm(staff_world):
    await web_people(staff_world, 1)
    await as_staff(staff_world)
    words = compose(text_en="Your appointment is soon & we'll call.")
    held = await staff_world.post("/staff/broadcasts/new", words, csrf_from="/staff/broadcasts/new")
    assert held.status_code == 400 and "tick the box to send it as it is" in held.text
    assert await staff_world.console.store.broadcasts() == []
    sent = await staff_world.post("/staff/broadcasts/new", {**words, "override": "yes"},
                                  csrf_from="/staff/broadcasts/new")
    assert sent.status_code == 303


async def test_a_scheduled_broadcast_goes_when_due_and_cannot_be_changed_after(staff_world):
    await web_people(staff_world, 2)
    await as_staff(staff_world)
    later = compose(when="later", send_date="2026-11-24", send_time="15:30")  # the clock says 12:00 UTC
    scheduled = await staff_world.post("/staff/broadcasts/new", later, csrf_from="/staff/broadcasts/new")
    assert scheduled.status_code == 303
    detail = scheduled.headers["location"]
    broadcast_id = int(detail.rsplit("/", 1)[1])
    planner = staff_world.console.planner
    assert await planner.plan_due_broadcasts() == []
    changed = await staff_world.post(f"{detail}/edit", {**later, "text_en": "We have three new nurses."},
                                     csrf_from=f"{detail}/edit")
    assert changed.status_code == 303
    staff_world.clock.advance(hours=4)
    results = await planner.plan_due_broadcasts()
    assert [(r.broadcast_id, r.total) for r in results] == [(broadcast_id, 2)]
    assert await planner.plan_due_broadcasts() == []  # planned once
    await staff_world.sign_in("staff@example.org")  # four idle hours ended the session
    too_late = await staff_world.http.get(f"{detail}/edit")
    assert too_late.status_code == 409
    record = await staff_world.console.store.broadcast(broadcast_id)
    assert record.texts == {"en": "We have three new nurses."}


async def test_a_time_in_the_past_or_a_bad_date_is_explained(staff_world):
    await as_staff(staff_world)
    for fields_, words in (({"send_date": "2026-11-23", "send_time": "10:00"}, "choose a time in the future"),
                           ({"send_date": "tomorrow", "send_time": "10:00"}, "give a date and a time")):
        page = await staff_world.post("/staff/broadcasts/new", compose(when="later", **fields_),
                                      csrf_from="/staff/broadcasts/new")
        assert page.status_code == 400 and words in page.text


async def test_cancel_before_it_starts_and_stop_what_is_still_waiting_after(staff_world):
    await web_people(staff_world, 2)
    await as_staff(staff_world)
    later = await staff_world.post("/staff/broadcasts/new", compose(when="later", send_date="2026-12-01",
                                                                    send_time="10:00"),
                                   csrf_from="/staff/broadcasts/new")
    detail = later.headers["location"]
    cancelled = await staff_world.post(f"{detail}/cancel", {}, csrf_from=detail)
    assert cancelled.headers["location"].endswith("?done=cancelled")
    assert (await staff_world.post(f"{detail}/cancel", {}, csrf_from=detail)).status_code == 409
    now = (await staff_world.post("/staff/broadcasts/new", compose(), csrf_from="/staff/broadcasts/new")
           ).headers["location"]
    stopped = await staff_world.post(f"{now}/stop", {}, csrf_from=now)
    assert stopped.status_code == 303
    assert (await staff_world.parts.dispatcher.tick()).sent == 0
    assert re.search(r'data-status="cancelled">2<', (await staff_world.http.get(now)).text)


async def test_a_safeguarding_lead_cannot_send_broadcasts(staff_world):
    await staff_world.add("lead@example.org", "safeguarding_lead")
    await staff_world.sign_in("lead@example.org")
    assert (await staff_world.http.get("/staff/broadcasts/new")).status_code == 403


async def test_a_broadcast_number_with_a_slash_on_the_end_is_not_found_not_redirected(staff_world):
    # Starlette used to answer these with a 307 to the address without the slash.
    await as_staff(staff_world)
    detail = (await staff_world.post("/staff/broadcasts/new", compose(), csrf_from="/staff/broadcasts/new")
              ).headers["location"]
    assert (await staff_world.http.get(detail)).status_code == 200
    unknown = await staff_world.http.get("/staff/broadcasts/999999")
    assert unknown.status_code == 404
    for path in (f"{detail}/", f"{detail}%2F", f"{detail}/edit/", "/staff/broadcasts/999999%2F",
                 "/staff/broadcasts/x/"):
        response = await staff_world.http.get(path)
        assert response.status_code == 404, path
        assert "location" not in response.headers, path
        assert response.text == unknown.text, path  # the page an unknown number gets
    stop = await staff_world.post(f"{detail}/stop/", {}, csrf_from=detail)
    assert stop.status_code == 404 and "location" not in stop.headers
    assert "There is no broadcast with that number." in stop.text
    # The list with a slash on the end still goes to the list.
    listing = await staff_world.http.get("/staff/broadcasts/")
    assert listing.status_code == 307 and listing.headers["location"].endswith("/staff/broadcasts")
