"""The console's home page, each pack's results, and their exports (audited)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response

from bot.web.staff import charts
from bot.web.staff.auth import actor_of, console_of, current_staff, requires_role
from bot.web.staff.console import StaffConsole
from bot.web.staff.exports import to_csv, to_xlsx
from bot.web.staff.results import PackResult, Table, english, has_trend, pack_result, question_trend
from bot.web.staff.suppression import suppress_counts
from storage.staff.records import StaffMember

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# How long a safeguarding lead's home page tells them another lead was added.
NEW_LEAD_NOTICE = timedelta(days=30)


@requires_role()
async def home(request: Request) -> Response:
    console = console_of(request)
    totals = await console.store.pack_totals()
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
    return console.pages.render(request, "home.html", packs=packs, done=done, new_leads=new_leads)


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


@requires_role()
async def results(request: Request) -> Response:
    console = console_of(request)
    result = await _result(console, request.path_params["pack_id"])
    if result is None:
        return console.pages.refused(request, 404, "There is no question pack with that name.")
    pictures = {
        q.question.id: charts.bar_chart(q.answers.labels, [r.figure for r in q.answers.rows])
        for q in result.questions
        if q.answers is not None and _drawable(q.answers)
    }
    if _drawable(result.channels):
        pictures["_channels"] = charts.bar_chart(result.channels.labels, [r.figure for r in result.channels.rows])
    if _drawable(result.hours):
        pictures["_hours"] = charts.bar_chart(
            [label[:5] for label in result.hours.labels], [r.figure for r in result.hours.rows], horizontal=False
        )
    if len(result.weeks.rows) > 1 and _drawable(result.weeks):
        pictures["_weeks"] = charts.line_chart(result.weeks.labels, [r.figure for r in result.weeks.rows])
    return console.pages.render(request, "results.html", result=result, charts=pictures, has_trend=has_trend)


@requires_role()
async def trend(request: Request) -> Response:
    console = console_of(request)
    pack = console.packs.get(request.path_params["pack_id"])
    question = pack.question(request.path_params["question_id"]) if pack else None
    if pack is None or question is None or not has_trend(question):
        return console.pages.refused(request, 404, "There is no such question to show month by month.")
    months = await console.store.answer_months(pack.id, question.id, console.zone.key)
    grid = question_trend(question, months, console.threshold)
    picture = None
    if any(f.shown and f.value for row in grid.table.cells for f in row):
        picture = charts.lines_chart(
            grid.row_labels,
            {label: [row[c] for row in grid.table.cells] for c, label in enumerate(grid.column_labels)},
        )
    return console.pages.render(
        request, "trend.html", grid=grid, picture=picture, question_text=english(question.text),
        pack_title=english(pack.title), pack_id=pack.id, question_id=question.id,
    )


def _drawable(table: Table) -> bool:
    """A chart helps only when it has a shown, non-zero bar; otherwise the table says it all."""
    return any(row.figure.shown and row.figure.value for row in table.rows)


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
