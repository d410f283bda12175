"""The storage API the staff console calls. Each method is one short transaction; actions that must be
audited write their audit entry in the same transaction, so an action is never without its record.

    staff = StaffStore(database)
    member = await staff.create_account("sam@example.org", hashed, "staff", must_change=True,
                                        actor=Actor("command line"))
    await staff.audit(Actor(member.email, member.id), "export.csv", subject="pack demo")
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Collection
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from storage import transactions
from storage.db import Database
from storage.loop import themes as loop_themes
from storage.loop.records import Theme as LoopTheme
from storage.staff import accounts as staff_accounts
from storage.staff import audit as staff_audit
from storage.staff import broadcasts as staff_broadcasts
from storage.staff import comments as staff_comments
from storage.staff import results as staff_results
from storage.staff.broadcasts import Audience, CapWindow
from storage.staff.comments import CommentKind
from storage.staff.records import (
    Actor,
    AnswerCount,
    AuditEntry,
    BroadcastRecord,
    Comment,
    GroupCount,
    PlanResult,
    StaffMember,
    TimeCounts,
)

T = TypeVar("T")
Compose = Callable[[BroadcastRecord], tuple[dict[str, list[dict[str, Any]]], str]]


def utc_now() -> datetime:
    return datetime.now(UTC)


class StaffStore:
    def __init__(self, database: Database, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.database = database
        self._clock = clock

    def now(self) -> datetime:
        return self._clock()

    async def _run(self, work: Callable[[AsyncConnection], Awaitable[T]], *, read_only: bool = False) -> T:
        # Through the async engine (a worker thread on SQLite), never inline: a results query over a big
        # pack or a large broadcast plan must not hold up the event loop while it runs.
        return await transactions.run(self.database, work, read_only=read_only, inline=False)

    async def _read(self, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        return await self._run(work, read_only=True)

    # Audit

    async def audit(
        self, actor: Actor, action: str, *, subject: str | None = None, detail: str | None = None
    ) -> int:
        """Record who did what. Use dotted actions: "sign_in", "export.csv", "broadcast.send"."""
        now = self._clock()
        return await self._run(
            lambda conn: staff_audit.audit(
                conn, actor=actor.name, staff_id=actor.staff_id, action=action, subject=subject, detail=detail,
                now=now,
            )
        )

    async def leads_added_since(self, since: datetime) -> list[tuple[StaffMember, AuditEntry]]:
        """Safeguarding leads added since `since` and still there, newest first, with the audit entry that
        says by whom and when (no alert content)."""
        found, _ = await self._read(
            lambda conn: staff_audit.entries(conn, limit=20, action="safeguarding.lead_added", since=since)
        )
        accounts = {m.id: m for m in await self.accounts()}
        added = []
        for entry in found:
            number = (entry.subject or "").removeprefix("account ")
            if number.isdigit() and int(number) in accounts:
                added.append((accounts[int(number)], entry))
        return added

    async def active_lead_emails(self, *, other_than: int | None = None) -> list[str]:
        members = await self.accounts()
        return [m.email for m in members if m.role == "safeguarding_lead" and m.active and m.id != other_than]

    async def audit_entries(
        self, *, limit: int, offset: int = 0, action: str | None = None
    ) -> tuple[list[AuditEntry], int]:
        return await self._read(lambda conn: staff_audit.entries(conn, limit=limit, offset=offset, action=action))

    async def _audited(
        self,
        conn: AsyncConnection,
        actor: Actor,
        action: str,
        subject: str | None = None,
        detail: str | None = None,
    ) -> None:
        await staff_audit.audit(
            conn, actor=actor.name, staff_id=actor.staff_id, action=action, subject=subject, detail=detail,
            now=self._clock(),
        )

    # Accounts

    async def create_account(
        self, email: str, password_hash: str, role: str, *, must_change: bool, actor: Actor
    ) -> StaffMember:
        """Raises `staff_accounts.AccountExists` when the email is taken."""
        now = self._clock()

        async def work(conn: AsyncConnection) -> StaffMember:
            member = await staff_accounts.create(conn, email, password_hash, role, must_change=must_change, now=now)
            await self._audited(conn, actor, "account.create", f"account {member.id}", f"role {role}")
            if role == "safeguarding_lead":
                # Its own entry, which the other leads are shown: a new lead can reveal contact details,
                # so nobody becomes one without the existing leads hearing of it.
                await self._audited(conn, actor, "safeguarding.lead_added", f"account {member.id}")
            return member

        return await self._run(work)

    async def account_by_email(self, email: str) -> StaffMember | None:
        return await self._read(lambda conn: staff_accounts.by_email(conn, email))

    async def account(self, staff_id: int) -> StaffMember | None:
        return await self._read(lambda conn: staff_accounts.by_id(conn, staff_id))

    async def accounts(self) -> list[StaffMember]:
        return await self._read(staff_accounts.everyone)

    async def count_accounts(self) -> int:
        return await self._read(staff_accounts.count)

    async def change_password(
        self, member: StaffMember, password_hash: str, *, must_change: bool, keep_token: str | None, actor: Actor
    ) -> None:
        """New password; every other session of the account ends."""

        async def work(conn: AsyncConnection) -> None:
            await staff_accounts.set_password(conn, member.id, password_hash, must_change=must_change)
            await staff_accounts.end_other_sessions(conn, member.id, keep_token)
            await self._audited(conn, actor, "account.password", f"account {member.id}")

        await self._run(work)

    async def set_active(self, member: StaffMember, active: bool, *, actor: Actor) -> None:
        async def work(conn: AsyncConnection) -> None:
            await staff_accounts.set_active(conn, member.id, active)
            action = "account.enable" if active else "account.disable"
            await self._audited(conn, actor, action, f"account {member.id}")

        await self._run(work)

    # Sessions and sign-in

    async def sign_in(self, member: StaffMember, token: str, *, lifetime: timedelta, email_key: str) -> None:
        """Open a session, clear the account's failed tries and audit the sign-in, all at once."""
        now = self._clock()

        async def work(conn: AsyncConnection) -> None:
            await staff_accounts.open_session(conn, token, member.id, lifetime=lifetime, now=now)
            await staff_accounts.signed_in(conn, member.id, now)
            await staff_accounts.clear_failures(conn, email_key)
            await self._audited(conn, Actor(member.email, member.id), "sign_in")

        await self._run(work)

    async def session_member(self, token: str, *, idle: timedelta) -> StaffMember | None:
        now = self._clock()
        return await self._run(lambda conn: staff_accounts.session_member(conn, token, idle=idle, now=now))

    async def sign_out(self, token: str, actor: Actor) -> None:
        async def work(conn: AsyncConnection) -> None:
            await staff_accounts.end_session(conn, token)
            await self._audited(conn, actor, "sign_out")

        await self._run(work)

    async def recent_failures(self, email_key: str, ip_key: str, *, window: timedelta) -> tuple[int, int]:
        since = self._clock() - window
        return await self._read(lambda conn: staff_accounts.recent_failures(conn, email_key, ip_key, since=since))

    async def begin_sign_in(self, email_key: str, source_key: str) -> int:
        """Count a try as failed before its password is checked, committed at once, so tries running at the
        same moment see each other; `sign_in` clears it, `drop_attempt` takes back a try never checked."""
        now = self._clock()
        return await self._run(lambda conn: staff_accounts.add_failure(conn, email_key, source_key, now))

    async def failures_before(
        self, attempt: int, *, window: timedelta, email_key: str | None = None, ip_key: str | None = None,
        not_ip_prefix: str | None = None,
    ) -> tuple[int, datetime | None]:
        """(count, latest) of the failures recorded before `attempt` within `window`."""
        since = self._clock() - window
        return await self._read(
            lambda conn: staff_accounts.failure_stats(
                conn, since=since, before_id=attempt, email_key=email_key, ip_key=ip_key, not_ip_prefix=not_ip_prefix
            )
        )

    async def drop_attempt(self, attempt: int) -> None:
        await self._run(lambda conn: staff_accounts.remove_failure(conn, attempt))

    async def failed_sign_in(self, *, known: StaffMember | None) -> None:
        """Audit a failed sign-in (its failure is already counted); names the account only when there is one."""
        actor = Actor(known.email, known.id) if known else Actor("unknown account")
        await self.audit(actor, "sign_in.failed")

    async def unlock(self, member: StaffMember, email_key: str, *, actor: Actor) -> int:
        """Forget an account's failed sign-ins (an admin, or the account's own one-time link); audited."""

        async def work(conn: AsyncConnection) -> int:
            gone = await staff_accounts.clear_failures(conn, email_key)
            await self._audited(conn, actor, "account.unlock", f"account {member.id}", f"{gone} failed tries")
            return gone

        return await self._run(work)

    async def create_unlock_link(self, member: StaffMember, *, lifetime: timedelta, actor: Actor) -> str:
        """A one-time link's token for `member` (only its hash is stored); audited."""
        token = secrets.token_urlsafe(32)
        now = self._clock()

        async def work(conn: AsyncConnection) -> None:
            await staff_accounts.add_unlock_link(conn, token, member.id, now=now, lifetime=lifetime)
            await self._audited(conn, actor, "account.unlock_link", f"account {member.id}")

        await self._run(work)
        return token

    async def use_unlock_link(self, token: str, email_key_of: Callable[[str], str]) -> StaffMember | None:
        """Use a one-time link: the account's failed sign-ins are cleared and the use audited, at once."""
        now = self._clock()

        async def work(conn: AsyncConnection) -> StaffMember | None:
            member = await staff_accounts.use_unlock_link(conn, token, now)
            if member is None:
                return None
            gone = await staff_accounts.clear_failures(conn, email_key_of(member.email))
            await self._audited(conn, Actor(member.email, member.id), "account.unlock", f"account {member.id}",
                                f"one-time link; {gone} failed tries")
            return member

        return await self._run(work)

    async def purge(self, *, keep_failures: timedelta = timedelta(days=1)) -> int:
        now = self._clock()
        return await self._run(
            lambda conn: staff_accounts.purge(conn, failures_before=now - keep_failures, now=now)
        )

    # Results

    async def loop_themes(self) -> list[LoopTheme]:
        """The themes staff made (with their words), for grouping written answers on the results pages."""
        return await self._read(loop_themes.everything)

    async def promises_kept(self) -> tuple[frozenset[str], frozenset[str]]:
        return await self._read(staff_results.promises_kept)

    async def pack_totals(self) -> dict[str, int]:
        return await self._read(staff_results.pack_totals)

    async def answer_counts(self, pack_id: str) -> list[AnswerCount]:
        return await self._read(lambda conn: staff_results.answer_counts(conn, pack_id))

    async def answer_groups(
        self, pack_id: str, by: staff_results.GroupBy, zone: str, question_id: str | None = None
    ) -> list[GroupCount]:
        return await self._read(lambda conn: staff_results.answer_groups(conn, pack_id, by, zone, question_id))

    async def submission_times(self, pack_id: str, zone: str) -> TimeCounts:
        return await self._read(lambda conn: staff_results.submission_times(conn, pack_id, zone))

    # Comments and themes

    async def comment_answers(
        self, *, pack_id: str | None, question_id: str | None, theme: str | None, limit: int, offset: int
    ) -> tuple[list[Comment], int]:
        return await self._read(
            lambda conn: staff_comments.answers(
                conn, pack_id=pack_id, question_id=question_id, theme=theme, limit=limit, offset=offset
            )
        )

    async def comment_messages(self, *, theme: str | None, limit: int, offset: int) -> tuple[list[Comment], int]:
        return await self._read(lambda conn: staff_comments.messages(conn, theme=theme, limit=limit, offset=offset))

    async def tag(self, kind: CommentKind, comment_id: int, theme: str, *, actor: Actor) -> bool:
        """Give a comment a theme. Raises LookupError for an unknown comment, ValueError for a bad theme."""
        now = self._clock()

        async def work(conn: AsyncConnection) -> bool:
            if not await staff_comments.exists_comment(conn, kind, comment_id):
                raise LookupError(f"no {kind} {comment_id}")
            added = await staff_comments.tag(conn, kind, comment_id, theme, staff_id=actor.staff_id, now=now)
            if added:
                tidy = staff_comments.tidy_theme(theme)
                await self._audited(conn, actor, "comment.tag", f"{kind} {comment_id}", f"theme {tidy}")
            return added

        return await self._run(work)

    async def untag(self, kind: CommentKind, comment_id: int, theme: str, *, actor: Actor) -> bool:
        async def work(conn: AsyncConnection) -> bool:
            removed = await staff_comments.untag(conn, kind, comment_id, theme)
            if removed:
                await self._audited(conn, actor, "comment.untag", f"{kind} {comment_id}", f"theme {theme}")
            return removed

        return await self._run(work)

    async def themes(self) -> list[tuple[str, int]]:
        return await self._read(staff_comments.themes)

    # Broadcasts

    async def create_broadcast(
        self, *, name: str, texts: dict[str, str], audience: Audience, send_at: datetime, actor: Actor
    ) -> int:
        now = self._clock()

        async def work(conn: AsyncConnection) -> int:
            broadcast_id = await staff_broadcasts.create(
                conn, name=name, texts=texts, audience=audience, send_at=send_at, staff_id=actor.staff_id, now=now
            )
            when = send_at.isoformat(timespec="minutes")
            await self._audited(
                conn, actor, "broadcast.create", f"broadcast {broadcast_id}", f"{_audience_words(audience)}, {when}"
            )
            return broadcast_id

        return await self._run(work)

    async def edit_broadcast(
        self,
        broadcast_id: int,
        *,
        name: str,
        texts: dict[str, str],
        audience: Audience,
        send_at: datetime,
        actor: Actor,
    ) -> bool:
        now = self._clock()

        async def work(conn: AsyncConnection) -> bool:
            changed = await staff_broadcasts.edit(
                conn, broadcast_id, name=name, texts=texts, audience=audience, send_at=send_at, now=now
            )
            if changed:
                await self._audited(conn, actor, "broadcast.edit", f"broadcast {broadcast_id}")
            return changed

        return await self._run(work)

    async def cancel_broadcast(self, broadcast_id: int, *, actor: Actor) -> bool:
        now = self._clock()

        async def work(conn: AsyncConnection) -> bool:
            cancelled = await staff_broadcasts.cancel(conn, broadcast_id, now)
            if cancelled:
                await self._audited(conn, actor, "broadcast.cancel", f"broadcast {broadcast_id}")
            return cancelled

        return await self._run(work)

    async def stop_broadcast(self, broadcast_id: int, *, actor: Actor) -> int:
        """Cancel the rows of a started broadcast that are still waiting; returns how many."""
        now = self._clock()

        async def work(conn: AsyncConnection) -> int:
            stopped = await staff_broadcasts.stop_remaining(conn, broadcast_id, now)
            await self._audited(conn, actor, "broadcast.stop", f"broadcast {broadcast_id}", f"{stopped} not sent")
            return stopped

        return await self._run(work)

    async def broadcast(self, broadcast_id: int) -> BroadcastRecord | None:
        return await self._read(lambda conn: staff_broadcasts.get(conn, broadcast_id))

    async def broadcasts(self, *, limit: int = 50, status: str | None = None) -> list[BroadcastRecord]:
        return await self._read(lambda conn: staff_broadcasts.recent(conn, limit=limit, status=status))

    async def due_broadcasts(self) -> list[int]:
        now = self._clock()
        return await self._read(lambda conn: staff_broadcasts.due(conn, now))

    async def plan_broadcast(
        self,
        broadcast_id: int,
        compose: Compose,
        *,
        channels: Collection[str],
        window: Callable[[datetime], CapWindow],
        actor: Actor,
    ) -> PlanResult | None:
        """Claim a scheduled broadcast and queue its outbox rows in one transaction.

        `compose(record)` gives (language -> message dicts, default language); `window(now)` the daily
        cap's window. None when the broadcast is not scheduled (already started, or cancelled).
        """
        now = self._clock()

        async def work(conn: AsyncConnection) -> PlanResult | None:
            record = await staff_broadcasts.claim(conn, broadcast_id, now)
            if record is None:
                return None
            messages, default = compose(record)
            result = await staff_broadcasts.plan(
                conn,
                broadcast_id,
                messages=messages,
                default_language=default,
                audience=Audience(record.audience, record.audience_value),
                channels=channels,
                window=window(now),
                now=now,
            )
            detail = ", ".join(f"{n} on {channel}" for channel, n in sorted(result.queued.items())) or "nobody"
            await self._audited(
                conn, actor, "broadcast.send", f"broadcast {broadcast_id}", f"{detail}; {result.over_cap} over the cap"
            )
            return result

        return await self._run(work)

    async def audience_size(
        self, audience: Audience, channels: Collection[str], window: CapWindow | None
    ) -> dict[str, int]:
        return await self._read(lambda conn: staff_broadcasts.audience_size(conn, audience, channels, window))

    async def progress(self, broadcast_id: int) -> dict[str, dict[str, int]]:
        return await self._read(lambda conn: staff_broadcasts.progress(conn, broadcast_id))


def _audience_words(audience: Audience) -> str:
    return f"audience {audience.kind}" + (f" {audience.value}" if audience.value else "")
