"""The storage API for safeguarding. Each method is one short transaction; what must be audited writes its
audit entry in the same transaction.

    safeguarding = SafeguardingStore(database, keys)
    alerts, total = await safeguarding.alerts(status="open", limit=50)
    alert = await safeguarding.open_alert(7, Actor("lead@example.org", 3))     # audited read
    contact = await safeguarding.reveal(7, Actor("lead@example.org", 3), reason="Risk to life, calling 999")

An alert raised by a message is written inside the conversation's own transaction with `record_alert(uow,
…)`, so a message is never stored without its alert, nor an alert without its message.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from storage import transactions
from storage.conversations.unit import UnitOfWork
from storage.db import Database
from storage.privacy.vault import Keys, Vault
from storage.safeguarding import alerts as safeguarding_alerts
from storage.safeguarding.alerts import NotAllowed
from storage.safeguarding.records import AlertRecord, AlertSummary, NoticeItem, RevealedContact
from storage.staff import audit as staff_audit
from storage.staff.records import Actor, AuditEntry

__all__ = ["NotAllowed", "SafeguardingStore", "record_alert"]

T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


async def record_alert(
    uow: UnitOfWork,
    *,
    kind: str,
    level: str,
    rules: Sequence[str],
    text: str | None,
    place: str | None,
    channel: str,
    language: str | None,
    pack_id: str | None,
    participant_id: int | None,
    submission_id: str | None = None,
    question_id: str | None = None,
    feedback_id: int | None = None,
    callback_phone: str | None = None,
) -> int:
    """Add an alert (and a sealed call-back number) in the conversation's transaction. Returns its id."""
    # A sibling module of the unit of work: it shares the transaction's connection and vault on purpose.
    conn, now = uow._conn, uow._clock()
    alert_id = await safeguarding_alerts.create(
        conn, kind=kind, level=level, rules=rules, text=text, place=place, channel=channel, language=language,
        pack_id=pack_id, participant_id=participant_id, submission_id=submission_id, question_id=question_id,
        feedback_id=feedback_id, now=now,
    )
    if callback_phone is not None and participant_id is not None:
        await safeguarding_alerts.keep_callback_number(conn, uow._vault, alert_id, participant_id, callback_phone)
    return alert_id


class SafeguardingStore:
    def __init__(self, database: Database, keys: Keys, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.database = database
        self._vault = Vault(keys)
        self._clock = clock

    def __repr__(self) -> str:
        return f"SafeguardingStore({self.database!r})"

    def now(self) -> datetime:
        return self._clock()

    async def _run(self, work: Callable[[AsyncConnection], Awaitable[T]], *, read_only: bool = False) -> T:
        # Through the async engine (a worker thread on SQLite), as it always has been. Its statements are
        # short enough to run inline; moving them is a change of its own, to be measured, not part of this one.
        return await transactions.run(self.database, work, read_only=read_only, inline=False)

    async def _lead_only(self, conn: AsyncConnection, actor: Actor, action: str, subject: str) -> None:
        """Refuse (with an audit entry, committed) anyone but an active safeguarding lead."""
        if actor.staff_id is not None and await safeguarding_alerts.is_lead(conn, actor.staff_id):
            return
        await staff_audit.audit(conn, actor=actor.name, staff_id=actor.staff_id, action=f"{action}_refused",
                                subject=subject, now=self._clock())
        raise NotAllowed("Only a safeguarding lead can do this.")

    async def _refusable(self, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        """Run `work`; a `NotAllowed` it raises is raised after its audit entry is committed."""

        async def capture(conn: AsyncConnection) -> T | NotAllowed:
            try:
                return await work(conn)
            except NotAllowed as refusal:
                return refusal

        outcome = await self._run(capture)
        if isinstance(outcome, NotAllowed):
            raise outcome
        return outcome

    # The console

    async def alerts(
        self, *, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[AlertSummary], int]:
        """A page of alerts without their words: safe for any page a lead opens."""
        return await self._run(
            lambda conn: safeguarding_alerts.listing(conn, status=status, limit=limit, offset=offset), read_only=True
        )

    async def open_count(self) -> dict[str, int]:
        return await self._run(safeguarding_alerts.open_count, read_only=True)

    async def open_alert(self, alert_id: int, actor: Actor) -> AlertRecord | None:
        """One alert with its words, for a safeguarding lead only; every reading is audited."""
        subject = f"alert {alert_id}"

        async def work(conn: AsyncConnection) -> AlertRecord | None:
            await self._lead_only(conn, actor, "safeguarding.read", subject)
            alert = await safeguarding_alerts.get(conn, alert_id, self._clock())
            if alert is not None:
                await staff_audit.audit(conn, actor=actor.name, staff_id=actor.staff_id,
                                        action="safeguarding.read", subject=subject, now=self._clock())
            return alert

        return await self._refusable(work)

    async def acknowledge(self, alert_id: int, actor: Actor) -> bool:
        """False when the alert was no longer open; raises LookupError when there is no such alert."""
        subject = f"alert {alert_id}"

        async def work(conn: AsyncConnection) -> bool:
            await self._lead_only(conn, actor, "safeguarding.acknowledge", subject)
            done = await safeguarding_alerts.acknowledge(conn, alert_id, actor.staff_id or 0, self._clock())
            if not done and not await safeguarding_alerts.exists(conn, alert_id):
                raise LookupError(subject)  # nothing to acknowledge: say so, never "done"
            if done:
                await staff_audit.audit(conn, actor=actor.name, staff_id=actor.staff_id,
                                        action="safeguarding.acknowledge", subject=subject, now=self._clock())
            return done

        return await self._refusable(work)

    async def close(self, alert_id: int, actor: Actor, outcome: str) -> bool:
        subject = f"alert {alert_id}"

        async def work(conn: AsyncConnection) -> bool:
            await self._lead_only(conn, actor, "safeguarding.close", subject)
            if not await safeguarding_alerts.exists(conn, alert_id):
                raise LookupError(subject)
            done = await safeguarding_alerts.close(conn, alert_id, actor.staff_id or 0, outcome, self._clock())
            if done:
                await staff_audit.audit(conn, actor=actor.name, staff_id=actor.staff_id,
                                        action="safeguarding.close", subject=subject, detail=outcome,
                                        now=self._clock())
            return done

        return await self._refusable(work)

    async def reveal(self, alert_id: int, actor: Actor, reason: str) -> RevealedContact:
        """Break-glass: the contact details behind one alert, for a safeguarding lead giving a reason.

        Audited either way ("safeguarding.reveal" with the reason, or "safeguarding.reveal_refused").
        """
        return await self._refusable(
            lambda conn: safeguarding_alerts.reveal(
                conn, self._vault, alert_id=alert_id, staff_id=actor.staff_id or 0, actor=actor.name,
                reason=reason, now=self._clock(),
            )
        )

    async def reveals(self, *, limit: int = 100, offset: int = 0) -> tuple[list[AuditEntry], int]:
        """Every reveal and refused reveal, newest first: who, when, which alert and why. For admins."""
        return await self._run(
            lambda conn: staff_audit.entries(conn, limit=limit, offset=offset, action="safeguarding.reveal"),
            read_only=True,
        )

    async def history(self, alert_id: int) -> list[AuditEntry]:
        """What staff did with one alert, oldest first."""
        return await self._run(lambda conn: safeguarding_alerts.history(conn, alert_id), read_only=True)

    # Notices to the duty team

    async def claim_notices(self, *, lease: timedelta = timedelta(seconds=60), limit: int = 20) -> list[NoticeItem]:
        now = self._clock()
        return await self._run(
            lambda conn: safeguarding_alerts.claim_notices(conn, now=now, lease=lease, limit=limit)
        )

    async def notices_sent(
        self, alert_id: int, *, emailed: bool, messaged: bool, error: str | None, retry_at: datetime | None
    ) -> None:
        now = self._clock()
        await self._run(
            lambda conn: safeguarding_alerts.notices_sent(
                conn, alert_id, emailed=emailed, messaged=messaged, error=error, retry_at=retry_at, now=now
            )
        )
