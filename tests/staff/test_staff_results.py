"""Results, comments and exports as staff see them: suppressed, escaped, and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from bot.web.staff.exports import neutralise
from storage.conversations.store import Store
from storage.privacy.vault import Keys

from .conftest import SECRET
from .seed import FORMULA_COMMENT, HOSTILE_COMMENT, seed_answers, seed_comment


async def seeded(world, **counts) -> Store:
    store = Store(world.parts.database, Keys.from_secret(SECRET), clock=world.clock)
    await seed_answers(store, world.clock, **counts)
    return store


async def signed_in(world, role: str = "staff") -> None:
    await world.add(f"{role}@example.org", role)
    await world.sign_in(f"{role}@example.org")


def row(html: str, table_id: str, label: str) -> list[str]:
    table = re.search(rf'<table class="data" id="{table_id}">(.*?)</table>', html, re.DOTALL).group(1)
    found = re.search(rf"<th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", table, re.DOTALL).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", found, re.DOTALL)]


async def test_small_answers_in_a_big_enough_group_are_shown(staff_world):
    await seeded(staff_world, good=40, ok=12, poor=3)
    await signed_in(staff_world)
    page = (await staff_world.http.get("/staff/results/demo")).text
    assert row(page, "t-overall", "Good") == ["40", "73%"]
    # 55 people answered: the 3 who said "Poor" are a share of 55, not a group of their own.
    assert row(page, "t-overall", "Poor") == ["3", "5%"]
    assert "55" in re.search(r'id="t-overall">.*?<tfoot>(.*?)</tfoot>', page, re.DOTALL).group(1)


async def test_charts_are_page_text_with_no_script_and_no_picture_of_a_number(staff_world):
    await seeded(staff_world, good=40, ok=12, poor=3)
    await signed_in(staff_world)
    page = (await staff_world.http.get("/staff/results/demo")).text
    assert "<script" not in page.split("</main>")[0]
    assert "<img" not in page.split("</main>")[0]
    assert 'style="' not in page  # the strict CSP allows no inline style: bar lengths are SVG attributes
    section = re.search(r'id="q-overall".*?</section>', page, re.DOTALL).group(0)
    words = re.findall(r'class="bar-words">([^<]+)<', section)
    assert words == ["40 of 55 people, 73%", "12 of 55 people, 22%", "3 of 55 people, 5%"]


async def test_everything_below_the_threshold_hides_the_total_too(staff_world):
    await seeded(staff_world, good=2, ok=1, poor=1)
    await signed_in(staff_world)
    page = (await staff_world.http.get("/staff/results/demo")).text
    assert "Answered fewer than 5 times" in page
    assert "40" not in row(page, "t-overall", "Good")
    home = (await staff_world.http.get("/staff")).text
    assert "fewer than 5" in home


async def test_exports_carry_the_same_suppression_and_are_audited(staff_world):
    await seeded(staff_world, good=40, ok=12, poor=3)
    await signed_in(staff_world)
    response = await staff_world.http.get("/staff/results/demo/export.csv")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith('attachment; filename="said-and-done-demo-')
    rows = list(csv.reader(io.StringIO(response.text)))
    overall = {r[2]: r[3] for r in rows if r[1] == "How was your last visit?"}
    assert (overall["Good"], overall["OK"], overall["Poor"]) == ("40", "12", "3")
    sheet = await staff_world.http.get("/staff/results/demo/export.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(sheet.content))
    cells = [[c.value for c in r] for r in book["Results"].iter_rows(min_row=2)]
    good = next(r for r in cells if r[1] == "How was your last visit?" and r[2] == "Good")
    assert good[3] == 40  # a number, not text
    assert any(r[2] == "Poor" and r[3] == 3 for r in cells)
    entries, _ = await staff_world.console.store.audit_entries(limit=5, action="export")
    assert [(e.action, e.subject) for e in entries] == [("export.xlsx", "pack demo"), ("export.csv", "pack demo")]


async def test_a_value_that_looks_like_a_formula_cannot_run_in_a_spreadsheet(staff_world):
    store = await seeded(staff_world, good=6)
    async with store.unit() as uow:  # an answer value from an older pack version, shaped like a formula
        await uow.start_submission("evil", None, "demo", 1, "en", "sms")
        await uow.record_answer("evil", "overall", value="=1+1", number=None, text=None, skipped=False)
    await signed_in(staff_world)
    text = (await staff_world.http.get("/staff/results/demo/export.csv")).text
    labels = [r[2] for r in csv.reader(io.StringIO(text))]
    assert "'=1+1 (no longer offered)" in labels
    assert not any(label.startswith(("=", "+", "-", "@")) for label in labels)
    book = openpyxl.load_workbook(io.BytesIO((await staff_world.http.get("/staff/results/demo/export.xlsx")).content))
    cell = next(c for r in book["Results"].iter_rows() for c in r if c.value == "'=1+1 (no longer offered)")
    assert cell.data_type == "s"


@given(st.text(max_size=50))
def test_neutralised_text_never_starts_like_a_formula(text):
    safe = neutralise(text)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert safe.endswith(text)


async def test_comments_with_html_are_escaped_and_can_be_tagged(staff_world):
    store = await seeded(staff_world, good=5)
    await seed_comment(store, HOSTILE_COMMENT, submission="hostile")
    await seed_comment(store, FORMULA_COMMENT, submission="formula")
    await signed_in(staff_world)
    page = (await staff_world.http.get("/staff/comments?pack=demo")).text
    assert "<script>window.__pwned" not in page
    assert "&lt;script&gt;window.__pwned = true&lt;/script&gt;" in page
    answer_id = re.search(r'id="answer-(\d+)"', page).group(1)
    tagged = await staff_world.post(
        "/staff/comments/tag", {"kind": "answer", "id": answer_id, "theme": "  Waiting   room ",
                                "back": "/staff/comments?pack=demo"},
    )
    assert tagged.status_code == 303
    assert tagged.headers["location"] == f"/staff/comments?pack=demo#answer-{answer_id}"
    filtered = (await staff_world.http.get("/staff/comments?theme=Waiting+room")).text
    assert filtered.count('class="card comment"') == 1 and "Waiting room (1)" in filtered
    missing = await staff_world.post("/staff/comments/tag", {"kind": "answer", "id": "999999", "theme": "x"})
    assert missing.status_code == 404
    await staff_world.post("/staff/comments/untag", {"kind": "answer", "id": answer_id, "theme": "Waiting room"})
    assert await staff_world.console.store.themes() == []
    entries, _ = await staff_world.console.store.audit_entries(limit=5, action="comment")
    assert [e.action for e in entries] == ["comment.untag", "comment.tag"]


async def test_general_messages_are_listed_newest_first(staff_world):
    store = await seeded(staff_world, good=1)
    async with store.unit() as uow:
        await uow.add_feedback(None, "sms", "en", "Please call me on 07700 900123", None, None)
        staff_world.clock.advance(hours=1)
    async with store.unit() as uow:
        await uow.add_feedback(None, "telegram", "en", None, "picture", None)
    await signed_in(staff_world)
    page = (await staff_world.http.get("/staff/messages")).text
    assert "07700" not in page and "[phone number]" in page
    assert page.index("sent a picture") < page.index("[phone number]")


async def test_month_by_month_trend_hides_small_months_and_their_complement(staff_world):
    await seeded(staff_world, good=40, ok=12, poor=3)  # 19 hours apart from 24 November: to January
    await signed_in(staff_world)
    results = (await staff_world.http.get("/staff/results/demo")).text
    assert 'href="/staff/results/demo/trend/overall"' in results
    assert "/trend/better" not in results  # written answers have no trend
    page = await staff_world.http.get("/staff/results/demo/trend/overall?by=month")
    assert page.status_code == 200
    table = re.search(r'<table class="data" id="trend">(.*?)</table>', page.text, re.DOTALL).group(1)
    months = re.findall(r'<th scope="row">([A-Z][a-z]+ \d{4})</th>', table)
    assert months == ["November 2026", "December 2026", "January 2027"]
    people = [row(page.text, "trend", month)[-1] for month in months]
    # November has 9 people, December 39, January 7: every month is big enough, so all are shown.
    assert people == ["9", "39", "7"]
    assert (await staff_world.http.get("/staff/results/demo/trend/better")).status_code == 404
    assert (await staff_world.http.get("/staff/results/demo/trend/nope")).status_code == 404
    assert (await staff_world.http.get("/staff/results/demo/trend/overall?by=year")).status_code == 404


async def test_times_are_local_across_the_clock_change_on_every_database(database, keys):
    from datetime import UTC, date, datetime

    from bot.hours import WeeklyHours
    from bot.web.staff.results import hour_table, office_table
    from storage.staff.store import StaffStore

    class Clock:
        now = datetime(2026, 7, 1, 8, 30, tzinfo=UTC)

        def __call__(self):
            return self.now

    clock = Clock()
    store = Store(database, keys, clock=clock)
    moments = [
        datetime(2026, 7, 1, 8, 30, tzinfo=UTC),  # Wednesday 09:30 in summer time: in office hours
        datetime(2026, 7, 1, 7, 30, tzinfo=UTC),  # Wednesday 08:30 in summer time: before they open
        datetime(2026, 12, 2, 9, 30, tzinfo=UTC),  # Wednesday 09:30 in winter (UTC): in office hours
        datetime(2026, 12, 5, 11, 0, tzinfo=UTC),  # Saturday
    ]
    n = 0
    for moment in moments:
        clock.now = moment
        for _ in range(5):
            n += 1
            async with store.unit() as uow:
                await uow.start_submission(f"t-{n}", None, "demo", 1, "en", "sms")
    times = await StaffStore(database).submission_times("demo", "Europe/London")
    slots = sorted((s.weekday, s.hour, s.count) for s in times.slots)
    assert slots == [(2, 8, 5), (2, 9, 10), (5, 11, 5)]
    assert times.weeks == {date(2026, 6, 29): 10, date(2026, 11, 30): 10}
    office = office_table(times.slots, 5, WeeklyHours.parse("Mon-Fri 09:00-17:00", "Europe/London"))
    assert [(r.label, r.figure.value) for r in office.rows] == [("In office hours", 10), ("Outside office hours", 10)]
    hours = hour_table(times.slots, 5)
    assert {r.label: r.figure.value for r in hours.rows if r.figure.value} == {
        "08:00 to 09:00": 5, "09:00 to 10:00": 10, "11:00 to 12:00": 5}


async def test_a_pack_or_question_with_a_slash_on_the_end_is_not_found_not_redirected(staff_world):
    # Starlette used to answer these with a 307 to the address without the slash.
    await signed_in(staff_world)
    unknown_pack = await staff_world.http.get("/staff/results/nope")
    unknown_question = await staff_world.http.get("/staff/results/demo/trend/nope")
    assert unknown_pack.status_code == unknown_question.status_code == 404
    cases = {
        "/staff/results/demo/": unknown_pack,
        "/staff/results/demo%2F": unknown_pack,
        "/staff/results/nope%2F": unknown_pack,
        "/staff/results/demo//": unknown_pack,
        "/staff/results/demo/export.csv/": unknown_pack,
        "/staff/results/demo/trend/overall/": unknown_question,
        "/staff/results/demo/trend/overall%2F": unknown_question,
    }
    for path, expected in cases.items():
        response = await staff_world.http.get(path)
        assert response.status_code == 404, path
        assert "location" not in response.headers, path
        assert response.text == expected.text, path  # the page an unknown name gets
    assert (await staff_world.http.get("/staff/results/demo")).status_code == 200
    assert (await staff_world.http.get("/staff/results/demo/trend/overall")).status_code == 200
    # Signed out, they send you to sign in like every other staff page.
    staff_world.http.cookies.clear()
    response = await staff_world.http.get("/staff/results/demo%2F")
    assert response.status_code == 303 and response.headers["location"].startswith("/staff/login")
