"""The console's home page, each pack's results, and their exports (audited)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response

from bot.content.packs.model import Kind, Purpose
from bot.web.staff import charts
from bot.web.staff.auth import actor_of, console_of, current_staff, requires_role
from bot.web.staff.console import StaffConsole
from bot.web.staff.exports import to_csv, to_xlsx
from bot.web.staff.results import (
    RULE,
    Comparison,
    Group,
    PackResult,
    channel_groups,
    compare,
    english,
    enough_for_weeks,
    has_trend,
    month_group,
    pack_result,
    period_groups,
)
from bot.web.staff.suppression import suppress_counts
from bot.web.staff.written import MOST_WORDS, READ_AT_MOST, summarise
from storage.staff.records import StaffMember

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# How long a safeguarding lead's home page tells them another lead was added.
NEW_LEAD_NOTICE = timedelta(days=30)
@dataclass(frozen=True, slots=True)
class Promise:
    """A question that promises people something the service has not set up yet."""

    pack_title: str
    question_text: str
    missing: str
    link: str
    link_text: str


# A broadcast to these audiences keeps an "updates" promise: people who said yes to updates, or everyone
# who answered the pack.
UPDATE_AUDIENCES = frozenset({"updates", "pack"})


async def unkept_promises(console: StaffConsole) -> list[Promise]:
    checkin_packs, audiences = await console.store.promises_kept()
    found = []
    for pack in console.packs.all():
        for question in pack.questions:
            if question.purpose is Purpose.CHECKINS and pack.id not in checkin_packs:
                found.append(Promise(english(pack.title), english(question.text), "no check-in is set up",
                                     "/staff/checkins", "Set up the check-in"))
            elif question.purpose is Purpose.UPDATES and not audiences & UPDATE_AUDIENCES:
                found.append(Promise(english(pack.title), english(question.text), "no update has been sent or planned",
                                     "/staff/broadcasts/new", "Plan an update"))
    return found


@requires_role()
async def home(request: Request) -> Response:
    console = console_of(request)
    totals, promises = await asyncio.gather(console.store.pack_totals(), unkept_promises(console))
    packs = [
        (pack, english(pack.title), suppress_counts([totals.get(pack.id, 0)], threshold=console.threshold)[1])
        for pack in console.packs.all()
    ]
    done = request.query_params.get("done")
    member = await current_staff(request)
    new_leads = []
    if member is not None and member.role == "safeguarding_lead":
        since = console.store.now() - NEW_LEAD_NOTICE
        new_leads = [(lead, e) for lead, e in await console.store.leads_added_since(since) if lead.id != member.id]
    return console.pages.render(
        request, "home.html", packs=packs, done=done, new_leads=new_leads, promises=promises
    )


async def _result(console: StaffConsole, pack_id: str) -> PackResult | None:
    pack = console.packs.get(pack_id)
    if pack is None:
        return None
    # Two queries side by side, each on its own connection.
    counts, times = await asyncio.gather(
        console.store.answer_counts(pack.id), console.store.submission_times(pack.id, console.zone.key)
    )
    today = console.store.now().astimezone(console.zone).date()
    return pack_result(
        pack, counts, times, threshold=console.threshold, office_hours=console.office_hours, today=today
    )


def _charts(result: PackResult) -> dict[str, charts.Chart]:
    drawn = {q.question.id: charts.bars(q.answers) for q in result.questions if q.answers is not None}
    drawn["_channels"] = charts.bars(result.channels, scale="largest")
    drawn["_office"] = charts.bars(result.office)
    drawn["_hours"] = charts.bars(result.hours, scale="largest", labels=[label[:5] for label in result.hours.labels])
    drawn["_weeks"] = charts.bars(result.weeks, scale="largest")
    return drawn


@requires_role()
async def results(request: Request) -> Response:
    console = console_of(request)
    result = await _result(console, request.path_params["pack_id"])
    if result is None:
        return console.pages.refused(request, 404, "There is no question pack with that name.")
    return console.pages.render(
        request, "results.html", result=result, charts=_charts(result), has_trend=has_trend,
        rule=RULE.format(n=console.threshold),
    )


BY = ("channel", "month")


def _this_and_last_month(console: StaffConsole) -> list[Group]:
    today = console.store.now().astimezone(console.zone).date()
    first = today.replace(day=1)
    last = (first - timedelta(days=1)).replace(day=1)
    return [month_group(f"{last:%Y-%m}"), month_group(f"{first:%Y-%m}")]


@requires_role()
async def comparison(request: Request) -> Response:
    """This month against last, or one channel against another, with the same suppression."""
    console = console_of(request)
    pack = console.packs.get(request.path_params["pack_id"])
    by = request.query_params.get("by", "month")
    if pack is None:
        return console.pages.refused(request, 404, "There is no question pack with that name.")
    if by not in BY:
        return console.pages.refused(request, 404, "Results can be compared by month or by channel.")
    counts = await console.store.answer_groups(pack.id, by, console.zone.key)  # type: ignore[arg-type]
    if by == "channel":
        groups = channel_groups(counts)
        title = "One channel against another"
    else:
        groups = _this_and_last_month(console)
        title = "This month against last month"
    result: Comparison = compare(title, by, pack.questions, counts, groups, console.threshold)
    labels = [g.label for g in groups]
    pictures = {q.question.id: charts.compared(q, labels) for q in result.questions}
    return console.pages.render(
        request, "compare.html", comparison=result, pack_title=english(pack.title), pack_id=pack.id,
        charts=pictures, rule=RULE.format(n=console.threshold),
    )


@requires_role()
async def written(request: Request) -> Response:
    """One written question's answers: by theme, with counts, and the words people used most."""
    console = console_of(request)
    pack = console.packs.get(request.path_params["pack_id"])
    question = pack.question(request.path_params["question_id"]) if pack else None
    if pack is None or question is None or question.kind is not Kind.TEXT:
        return console.pages.refused(request, 404, "There is no such written question.")
    (comments, total), themes = await asyncio.gather(
        console.store.comment_answers(pack_id=pack.id, question_id=question.id, theme=None,
                                      limit=READ_AT_MOST, offset=0),
        console.store.loop_themes(),
    )
    summary = summarise(comments, total, themes, console.threshold)
    return console.pages.render(
        request, "written.html", summary=summary, question_text=english(question.text),
        pack_title=english(pack.title), pack_id=pack.id, question_id=question.id, most=MOST_WORDS,
    )


@requires_role()
async def trend(request: Request) -> Response:
    console = console_of(request)
    pack = console.packs.get(request.path_params["pack_id"])
    question = pack.question(request.path_params["question_id"]) if pack else None
    if pack is None or question is None or not has_trend(question):
        return console.pages.refused(request, 404, "There is no such question to show over time.")
    asked = request.query_params.get("by")
    if asked not in (None, "week", "month"):
        return console.pages.refused(request, 404, "A question can be shown week by week or month by month.")
    weeks = []
    if asked != "month":
        weeks = await console.store.answer_groups(pack.id, "week", console.zone.key, question.id)
    if asked == "week" or (asked is None and enough_for_weeks(question, weeks, console.threshold)):
        by, counts = "week", weeks
    else:
        by, counts = "month", await console.store.answer_groups(pack.id, "month", console.zone.key, question.id)
    groups = period_groups(counts, by)
    title = f"{english(question.text)}: {'week by week' if by == 'week' else 'month by month'}"
    result = compare(title, by, [question], counts, groups, console.threshold)
    [compared] = result.questions
    labels = [g.label for g in groups]
    return console.pages.render(
        request, "trend.html", comparison=result, compared=compared, pictures=charts.over_time(compared, labels),
        question_text=english(question.text), pack_title=english(pack.title), pack_id=pack.id,
        question_id=question.id, by=by, rule=RULE.format(n=console.threshold),
    )


async def _export(request: Request, kind: str) -> Response:
    console = console_of(request)
    member = await current_staff(request)
    assert isinstance(member, StaffMember)
    result = await _result(console, request.path_params["pack_id"])
    if result is None:
        return console.pages.refused(request, 404, "There is no question pack with that name.")
    stamp = datetime.now(console.zone).strftime("%Y-%m-%d")
    filename = f"said-and-done-{result.pack.id}-{stamp}.{kind}"
    await console.store.audit(actor_of(member), f"export.{kind}", subject=f"pack {result.pack.id}")
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
    if kind == "csv":
        return Response(to_csv(result, console.threshold), media_type="text/csv; charset=utf-8", headers=headers)
    return Response(to_xlsx(result, console.threshold), media_type=XLSX, headers=headers)


@requires_role()
async def export_csv(request: Request) -> Response:
    return await _export(request, "csv")


@requires_role()
async def export_xlsx(request: Request) -> Response:
    return await _export(request, "xlsx")
