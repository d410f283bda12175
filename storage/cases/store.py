"""The storage API for the inbox. Each console method is one short transaction; replies, closes and
reveals write their audit entry in the same transaction, so none happens without its record.

    cases = CaseStore(database, keys)
    found, total = await cases.listing(statuses=("new", "waiting_us"), limit=50)
    queued = await cases.reply(7, Actor("sam@example.org", 3), "We have booked you in.", payload)

The person's side runs inside the conversation's own transaction, with the unit of work:

    handover = await handover_for(uow, person.id)        # the engine steps aside for this case
    case_id = await take_message(uow, participant_id=…, text=…, …)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from storage import transactions
from storage.cases import cases
from storage.cases.cases import CaseRefused
from storage.cases.records import CaseRecord, CaseSummary, Handover, Queued, RevealedNumber
from storage.conversations.unit import UnitOfWork
from storage.db import Database
from storage.privacy.vault import Keys, Vault
from storage.staff.records import Actor, AuditEntry

__all__ = ["CaseRefused", "CaseStore", "end_handover", "handover_for", "link_alert", "take_message"]

T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


# Inside the conversation's transaction. The unit of work's connection, vault and clock are shared on purpose,
# as storage.safeguarding.store.record_alert does.


async def handover_for(uow: UnitOfWork, participant_id: int) -> Handover | None:
    if not uow.may_have_handover(participant_id):
        return None  # the person's arrival in this unit found none open: no statement needed
    return await cases.handover_of(uow._conn, participant_id)


async def take_message(
    uow: UnitOfWork,
    *,
    participant_id: int,
    channel: str,
    language: str | None,
    pack_id: str | None,
    text: str | None,
    media: str | None,
    feedback_id: int | None = None,
    callback: bool = False,
) -> int:
    return await cases.take_message(
        uow._conn, participant_id=participant_id, channel=channel, language=language, pack_id=pack_id, text=text,
        media=media, feedback_id=feedback_id, callback=callback, now=uow._clock(),
    )


async def link_alert(uow: UnitOfWork, case_id: int, alert_id: int) -> None:
    await cases.link_alert(uow._conn, case_id, alert_id)


async def end_handover(uow: UnitOfWork, case_id: int) -> None:
    await cases.end_handover(uow._conn, case_id)


class CaseStore:
    def __init__(self, database: Database, keys: Keys, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.database = database
        self._vault = Vault(keys)
        self._clock = clock

    def __repr__(self) -> str:
        return f"CaseStore({self.database!r})"

    def now(self) -> datetime:
        return self._clock()

    async def _run(self, work: Callable[[AsyncConnection], Awaitable[T]], *, read_only: bool = False) -> T:
        # Short statements: inline on SQLite, like the conversation's own transactions.
        return await transactions.run(self.database, work, read_only=read_only, inline=True)

    async def listing(
        self,
        *,
        statuses: Collection[str],
        channel: str | None = None,
        pack_id: str | None = None,
        theme: str | None = None,
        owner_id: int | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[CaseSummary], int]:
        return await self._run(
            lambda conn: cases.listing(
                conn, statuses=statuses, channel=channel, pack_id=pack_id, theme=theme, owner_id=owner_id,
                limit=limit, offset=offset,
            ),
            read_only=True,
        )

    async def for_alert(self, alert_id: int) -> int | None:
        return await self._run(lambda conn: cases.for_alert(conn, alert_id), read_only=True)

    async def waiting_count(self) -> int:
        return await self._run(cases.waiting_count, read_only=True)

    async def filters(self) -> tuple[list[str], list[str], list[str]]:
        """Channels, packs and themes cases have, for the inbox's filters."""

        async def work(conn: AsyncConnection) -> tuple[list[str], list[str], list[str]]:
            channels, packs = await cases.channels_and_packs(conn)
            return channels, packs, await cases.theme_names(conn)

        return await self._run(work, read_only=True)

    async def case(self, case_id: int) -> CaseRecord | None:
        now = self._clock()
        return await self._run(lambda conn: cases.get(conn, case_id, now), read_only=True)

    async def history(self, case_id: int) -> list[AuditEntry]:
        return await self._run(lambda conn: cases.history(conn, case_id), read_only=True)

    async def reply(self, case_id: int, actor: Actor, text: str, payload: dict[str, Any]) -> Queued:
        """Queue a staff reply; raises `CaseRefused` (nothing stored) when it cannot go."""
        now = self._clock()
        return await self._run(
            lambda conn: cases.queue_reply(
                conn, case_id=case_id, text=text, payload=payload, staff_id=actor.staff_id, actor=actor.name, now=now
            )
        )

    async def close(
        self, case_id: int, actor: Actor, *, closing: dict[str, Any] | None, closing_text: str | None
    ) -> Queued | None:
        now = self._clock()
        return await self._run(
            lambda conn: cases.close(
                conn, case_id=case_id, closing=closing, closing_text=closing_text, staff_id=actor.staff_id,
                actor=actor.name, now=now,
            )
        )

    async def set_owner(self, case_id: int, owner_id: int | None, actor: Actor) -> None:
        now = self._clock()
        await self._run(
            lambda conn: cases.set_owner(
                conn, case_id=case_id, owner_id=owner_id, staff_id=actor.staff_id, actor=actor.name, now=now
            )
        )

    async def tag(self, case_id: int, theme: str, actor: Actor, *, add: bool = True) -> bool:
        now = self._clock()
        return await self._run(
            lambda conn: cases.tag(
                conn, case_id=case_id, theme=theme, add=add, staff_id=actor.staff_id, actor=actor.name, now=now
            )
        )

    async def reveal(self, case_id: int, actor: Actor, reason: str, *, role_ok: bool) -> RevealedNumber:
        """The number to call; a refusal's audit entry is committed before `CaseRefused` is raised."""
        now = self._clock()

        async def work(conn: AsyncConnection) -> RevealedNumber | CaseRefused:
            try:
                return await cases.reveal(
                    conn, self._vault, case_id=case_id, staff_id=actor.staff_id, actor=actor.name, role_ok=role_ok,
                    reason=reason, now=now,
                )
            except CaseRefused as refusal:
                return refusal

        outcome = await self._run(work)
        if isinstance(outcome, CaseRefused):
            raise outcome
        return outcome

    async def claim_notices(self, *, fresh: timedelta = timedelta(days=1)) -> list[int]:
        """New cases the duty team has not been told about (and were opened within `fresh`)."""
        now = self._clock()
        return await self._run(lambda conn: cases.claim_notices(conn, now=now, fresh=fresh))
