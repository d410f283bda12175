"""Publishing an action whose themes 100,000 people raised: how long planning their follow-ups takes, and
that the memory it needs does not grow with the number of people.

The people are written straight into the tables in bulk (a real service gathers them over months):
most raised the theme through a linked question ("How was your visit?" = Poor), some through a written
answer staff tagged; a quarter of them did not say yes to hearing back, and a few sent STOP. Channels are
SMS, Telegram and web chat, in English and Welsh. The figure is the whole `Loop.publish`: the easy-read
check, one transaction of set-based INSERT … SELECT with the (action, person) guard, spreading at each
channel's rate around quiet hours, and linking every contact to its outbox row. Memory is the peak of
Python allocations during publishing (tracemalloc), for 10,000 and for 100,000 people.

    python -m bench loop_followups           # SQLite; PostgreSQL too with SAID_BENCH_POSTGRES_URL
    python -m bench.loop --people 20000      # one database, smaller
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
import tracemalloc
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, literal, select, text

from bot.app.loop import build_loop
from bot.app.settings import load_settings
from bot.app.wiring import build_parts
from storage.loop.records import QuestionLink
from storage.models import Answer, Base, Consent, OutboxMessage, Participant, Submission, VaultEntry
from storage.staff.records import Actor
from storage.staff.tables import CommentTag
from storage.types import UTCDateTime

CHUNK = 5_000
BENCH = Actor("bench")
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def _settings(database_url: str) -> Any:
    return load_settings(
        database_url=database_url, secret_key="bench-loop-secret", var_dir=Path(tempfile.mkdtemp()),
        scheduler=False, twilio_account_sid="AC" + "2" * 32, twilio_auth_token="bench-token",
        twilio_phone_number="+447700900999", telegram_bot_token="123456:bench-token",
        telegram_webhook_secret="bench-webhook-secret-0123456789",
    )


async def _empty(parts: Any) -> None:
    async with parts.database.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            await conn.execute(delete(table))


async def _seed(parts: Any, people: int, first: int = 0) -> None:
    """`people` contributors: participant, sealed address, consent, a submission and its answer."""
    channels = ("sms", "sms", "telegram", "web")
    async with parts.database.engine.begin() as conn:
        for start in range(first, first + people, CHUNK):
            ids = range(start + 1, min(start + CHUNK, first + people) + 1)
            await conn.execute(insert(Participant), [
                {"id": n, "pseudonym": f"{n:064x}", "channel": channels[n % 4],
                 "language": "cy" if n % 5 == 0 else "en", "stopped": n % 50 == 0, "created_at": NOW,
                 "last_seen_at": NOW}
                for n in ids
            ])
            await conn.execute(insert(VaultEntry), [
                {"participant_id": n, "sealed": b"sealed-address", "created_at": NOW, "expires_at": None} for n in ids
            ])
            await conn.execute(insert(Consent), [
                {"participant_id": n, "purpose": "hear_back", "granted": n % 4 != 1, "changed_at": NOW} for n in ids
            ])
            submissions = [str(uuid.UUID(int=n)) for n in ids]
            await conn.execute(insert(Submission), [
                {"id": s, "participant_id": n, "pack_id": "demo", "pack_version": 1, "language": "en",
                 "channel": channels[n % 4], "status": "completed", "started_at": NOW, "finished_at": NOW}
                for n, s in zip(ids, submissions, strict=True)
            ])
            # Nine in ten raised it by answering Poor; one in ten in words that staff tagged.
            await conn.execute(insert(Answer), [
                {"submission_id": s, "question_id": "overall" if n % 10 else "better",
                 "value": "poor" if n % 10 else None, "text": None if n % 10 else "The wait was far too long",
                 "skipped": False, "answered_at": NOW}
                for n, s in zip(ids, submissions, strict=True)
            ])
        tagged = select(Answer.id).where(Answer.question_id == "better")
        await conn.execute(
            insert(CommentTag).from_select(
                ["answer_id", "theme", "tagged_at"],
                select(tagged.subquery().c.id, literal("waiting times"), literal(NOW, UTCDateTime())),
            )
        )
    if parts.database.is_postgres:
        # Months of real use leave the planner good statistics; a bulk load needs them gathered now.
        async with parts.database.engine.connect() as conn:
            await conn.execute(text("COMMIT"))
            await conn.execute(text("ANALYZE"))


async def _publish(parts: Any, settings: Any, *, trace: bool) -> tuple[float, int, int]:
    loop = build_loop(settings, parts, clock=lambda: NOW)
    theme_id = await loop.store.create_theme("waiting times", actor=BENCH)
    await loop.store.link_question(theme_id, QuestionLink("demo", "overall", ("poor",)), actor=BENCH)
    action_id, _ = await loop.create_action(
        you_said={"en": "The wait for a first visit was too long.", "cy": "Roedd yr aros yn rhy hir."},
        we_did={"en": "We added more visits on Saturdays.", "cy": "Rydyn ni wedi ychwanegu ymweliadau."},
        status="done", symbol="clock", happened_on=date(2026, 11, 2), theme_ids=[theme_id], actor=BENCH,
    )
    if trace:  # tracing every allocation slows Python down: timed runs go untraced
        tracemalloc.start()
    started = time.perf_counter()
    plan = await loop.publish(action_id, actor=BENCH)
    elapsed = time.perf_counter() - started
    peak = 0
    if trace:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    async with parts.database.engine.connect() as conn:
        queued = int(await conn.scalar(select(func.count()).select_from(OutboxMessage)) or 0)
    assert queued == plan.total, "every planned follow-up is an outbox row"
    return elapsed, plan.total, peak


async def _round(database_url: str, people: int, *, trace: bool = False) -> dict[str, float]:
    settings = _settings(database_url)
    parts = build_parts(settings)
    try:
        await parts.database.migrate()
        await _empty(parts)
        started = time.perf_counter()
        await _seed(parts, people)
        seeded = time.perf_counter() - started
        elapsed, queued, peak = await _publish(parts, settings, trace=trace)
    finally:
        await parts.database.dispose()
    return {"people": people, "seed_seconds": round(seeded, 1), "plan_seconds": round(elapsed, 2),
            "queued": queued, "peak_python_kib": round(peak / 1024)}


async def run(database_url: str, people: int = 100_000) -> dict[str, float]:
    small = await _round(database_url, people // 10, trace=True)
    traced = await _round(database_url, people, trace=True)
    large = await _round(database_url, people)
    return {
        "contributors": people,
        "followups_queued": large["queued"],
        "plan_seconds": large["plan_seconds"],
        "people_per_second": round(people / large["plan_seconds"]),
        f"peak_python_kib_{people // 10}": small["peak_python_kib"],
        f"peak_python_kib_{people}": traced["peak_python_kib"],
        "seed_seconds": large["seed_seconds"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.db")
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.database_url, args.people))))


if __name__ == "__main__":
    main()
