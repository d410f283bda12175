"""The storage API for "You said, we did". Each method is one short transaction; staff changes write their
audit entry in the same transaction, so a change is never without its record.

    loop = LoopStore(database)
    theme_id = await loop.create_theme("waiting times", actor=Actor("command line"))
    action_id = await loop.create_action(you_said={"en": ...}, we_did={"en": ...}, status="done", ...)
    plan = await loop.publish(action_id, compose, channels={"sms", "telegram"}, runs=runs, actor=actor)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from storage import transactions
from storage.db import Database
from storage.loop import actions as loop_actions
from storage.loop import checkins as loop_checkins
from storage.loop import contacts as loop_contacts
from storage.loop import involvement as loop_involvement
from storage.loop import themes as loop_themes
from storage.loop.checkins import Compose as CheckinCompose
from storage.loop.contacts import Runs
from storage.loop.records import (
    Action,
    CheckinSchedule,
    Comment,
    ContactPlan,
    FollowupProgress,
    Invitation,
    Involved,
    QuestionLink,
    Theme,
)
from storage.staff import audit as staff_audit
from storage.staff import comments as staff_comments
from storage.staff.records import Actor

T = TypeVar("T")
Messages = dict[str, list[dict[str, Any]]]
ComposeAction = Callable[[Action], tuple[Messages, str]]  # -> messages per language, default language


def utc_now() -> datetime:
    return datetime.now(UTC)


class LoopStore:
    def __init__(self, database: Database, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.database = database
        self._clock = clock

    def now(self) -> datetime:
        return self._clock()

    async def _run(self, work: Callable[[AsyncConnection], Awaitable[T]], *, read_only: bool = False) -> T:
        # Through the async engine (a worker thread on SQLite), never inline: publishing queues a follow-up for
        # everyone who raised the action's themes, and a due check-in a reminder for everyone it reaches, in
        # statements that grow with the number of people and must not hold up the event loop while they run.
        return await transactions.run(self.database, work, read_only=read_only, inline=False)

    async def _read(self, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        return await self._run(work, read_only=True)

    async def _audit(
        self, conn: AsyncConnection, actor: Actor, action: str, subject: str, detail: str | None = None
    ) -> None:
        await staff_audit.audit(
            conn, actor=actor.name, staff_id=actor.staff_id, action=action, subject=subject, detail=detail,
            now=self.now(),
        )

    # Themes

    async def create_theme(
        self, name: str, *, description: str | None = None, keywords: Sequence[str] = (), actor: Actor
    ) -> int:
        """Raises ValueError for a name that is empty, too long or taken."""

        async def work(conn: AsyncConnection) -> int:
            theme_id = await loop_themes.create(
                conn, name=name, description=description, keywords=keywords, actor=actor.name, now=self.now()
            )
            await self._audit(conn, actor, "theme.add", f"theme {theme_id}", " ".join(name.split()))
            return theme_id

        return await self._run(work)

    async def edit_theme(
        self, theme_id: int, *, description: str | None, keywords: Sequence[str], actor: Actor
    ) -> bool:
        async def work(conn: AsyncConnection) -> bool:
            changed = await loop_themes.edit(conn, theme_id, description=description, keywords=keywords)
            if changed:
                await self._audit(conn, actor, "theme.edit", f"theme {theme_id}")
            return changed

        return await self._run(work)

    async def link_question(self, theme_id: int, link: QuestionLink, *, actor: Actor) -> None:
        async def work(conn: AsyncConnection) -> None:
            if await loop_themes.get(conn, theme_id) is None:
                raise LookupError(f"there is no theme {theme_id}")
            await loop_themes.link_question(conn, theme_id, link)
            values = f" ({', '.join(link.values)})" if link.values else ""
            await self._audit(
                conn, actor, "theme.link", f"theme {theme_id}", f"{link.pack_id}/{link.question_id}{values}"
            )

        await self._run(work)

    async def unlink_question(self, theme_id: int, pack_id: str, question_id: str, *, actor: Actor) -> bool:
        async def work(conn: AsyncConnection) -> bool:
            gone = await loop_themes.unlink_question(conn, theme_id, pack_id, question_id)
            if gone:
                await self._audit(conn, actor, "theme.unlink", f"theme {theme_id}", f"{pack_id}/{question_id}")
            return gone

        return await self._run(work)

    async def adopt_tags(self, *, actor: Actor) -> int:
        """Make a theme of every tag staff have used on comments but that has no theme yet."""

        async def work(conn: AsyncConnection) -> int:
            made = await loop_themes.adopt_tags(conn, actor=actor.name, now=self.now())
            if made:
                await self._audit(conn, actor, "theme.adopt", "themes", f"{made} tag names")
            return made

        return await self._run(work)

    async def themes(self) -> list[Theme]:
        return await self._read(loop_themes.everything)

    async def theme(self, theme_id: int) -> Theme | None:
        return await self._read(lambda conn: loop_themes.get(conn, theme_id))

    async def theme_by_name(self, name: str) -> Theme | None:
        return await self._read(lambda conn: loop_themes.by_name(conn, name))

    async def untagged(self, *, limit: int = 200) -> list[Comment]:
        return await self._read(lambda conn: loop_themes.untagged(conn, limit=limit))

    async def tag(self, kind: str, comment_id: int, theme: str, *, actor: Actor) -> bool:
        """Put a comment ("answer" or "message") in a theme; False when it was already there."""
        if kind not in ("answer", "message"):
            raise ValueError("a comment is an answer or a message")

        async def work(conn: AsyncConnection) -> bool:
            if not await staff_comments.exists_comment(conn, kind, comment_id):  # type: ignore[arg-type]
                raise LookupError(f"there is no {kind} {comment_id} with words")
            added = await staff_comments.tag(
                conn, kind, comment_id, theme, staff_id=actor.staff_id, now=self.now()  # type: ignore[arg-type]
            )
            if added:
                await self._audit(conn, actor, "comment.tag", f"{kind} {comment_id}", theme)
            return added

        return await self._run(work)

    # Actions

    async def create_action(
        self,
        *,
        you_said: dict[str, str],
        we_did: dict[str, str],
        status: str,
        symbol: str,
        happened_on: date,
        theme_ids: Sequence[int],
        actor: Actor,
    ) -> int:
        async def work(conn: AsyncConnection) -> int:
            action_id = await loop_actions.create(
                conn, you_said=you_said, we_did=we_did, status=status, symbol=symbol, happened_on=happened_on,
                theme_ids=theme_ids, actor=actor.name, now=self.now(),
            )
            await self._audit(conn, actor, "action.add", f"action {action_id}", status)
            return action_id

        return await self._run(work)

    async def edit_action(
        self,
        action_id: int,
        *,
        you_said: dict[str, str],
        we_did: dict[str, str],
        status: str,
        symbol: str,
        happened_on: date,
        theme_ids: Sequence[int],
        actor: Actor,
    ) -> bool:
        async def work(conn: AsyncConnection) -> bool:
            changed = await loop_actions.edit(
                conn, action_id, you_said=you_said, we_did=we_did, status=status, symbol=symbol,
                happened_on=happened_on, theme_ids=theme_ids, now=self.now(),
            )
            if changed:
                await self._audit(conn, actor, "action.edit", f"action {action_id}", status)
            return changed

        return await self._run(work)

    async def action(self, action_id: int) -> Action | None:
        return await self._read(lambda conn: loop_actions.get(conn, action_id))

    async def actions(
        self, *, published: bool | None = None, theme_id: int | None = None, limit: int = 200
    ) -> list[Action]:
        return await self._read(
            lambda conn: loop_actions.listing(conn, published=published, theme_id=theme_id, limit=limit)
        )

    async def public_themes(self) -> list[tuple[int, str]]:
        return await self._read(loop_actions.public_themes)

    async def raised_by(self, action_id: int) -> int:
        return await self._read(lambda conn: loop_actions.raised_by(conn, action_id))

    async def publish(
        self,
        action_id: int,
        compose: ComposeAction,
        *,
        channels: Collection[str],
        runs: Runs,
        actor: Actor,
    ) -> ContactPlan | None:
        """Publish the action and queue its follow-ups, in one transaction. None when there is no such action.

        Publishing again queues only people not told yet (new contributors, or people who said yes since).
        """

        async def work(conn: AsyncConnection) -> ContactPlan | None:
            now = self.now()
            if not await loop_actions.publish(conn, action_id, now):
                return None
            action = await loop_actions.get(conn, action_id)
            assert action is not None
            messages, default = compose(action)
            plan = await loop_contacts.plan_followups(
                conn, action_id, messages=messages, default_language=default, channels=channels, runs=runs, now=now
            )
            detail = f"{plan.total} follow-ups queued, {plan.unreachable} could not be reached"
            await self._audit(conn, actor, "action.publish", f"action {action_id}", detail)
            return plan

        return await self._run(work)

    async def withdraw(self, action_id: int, *, actor: Actor) -> bool:
        async def work(conn: AsyncConnection) -> bool:
            done = await loop_actions.withdraw(conn, action_id, self.now())
            if done:
                await self._audit(conn, actor, "action.withdraw", f"action {action_id}")
            return done

        return await self._run(work)

    async def progress(self, action_id: int) -> FollowupProgress:
        statuses, answers, words = await self._read(lambda conn: loop_contacts.followup_progress(conn, action_id))
        return FollowupProgress(statuses, answers, words)

    # Involvement

    async def involved(
        self, *, questions: Sequence[tuple[str, str]], limit: int = 50, offset: int = 0
    ) -> tuple[list[Involved], int]:
        return await self._read(
            lambda conn: loop_involvement.involved(conn, questions=questions, limit=limit, offset=offset)
        )

    async def invite(
        self,
        *,
        texts: dict[str, str],
        next_step: dict[str, str],
        compose: Callable[[dict[str, str]], tuple[Messages, str]],
        participant_ids: Sequence[int] | None,
        channels: Collection[str],
        runs: Runs,
        actor: Actor,
    ) -> tuple[int, ContactPlan]:
        """Save an invitation and queue it for the chosen people (everyone listed when None)."""

        async def work(conn: AsyncConnection) -> tuple[int, ContactPlan]:
            now = self.now()
            invitation_id = await loop_involvement.create_invitation(
                conn, texts=texts, next_step=next_step, actor=actor.name, now=now
            )
            messages, default = compose(texts)
            plan = await loop_contacts.plan_invitation(
                conn, invitation_id, messages=messages, default_language=default, channels=channels, runs=runs,
                participant_ids=participant_ids, now=now,
            )
            await self._audit(conn, actor, "involvement.invite", f"invitation {invitation_id}", f"{plan.total} people")
            return invitation_id, plan

        return await self._run(work)

    async def invitations(self) -> list[Invitation]:
        return await self._read(loop_involvement.invitations)

    # Check-ins

    async def save_checkin(
        self,
        *,
        name: str,
        pack_id: str,
        cron: str,
        texts: dict[str, str],
        active: bool,
        next_run_at: datetime | None,
        actor: Actor,
    ) -> int:
        async def work(conn: AsyncConnection) -> int:
            schedule_id = await loop_checkins.save(
                conn, name=name, pack_id=pack_id, cron=cron, texts=texts, active=active, next_run_at=next_run_at,
                actor=actor.name, now=self.now(),
            )
            state = "on" if active else "off"
            await self._audit(conn, actor, "checkin.save", f"check-in {schedule_id}", f"{cron} ({state})")
            return schedule_id

        return await self._run(work)

    async def add_default_checkin(
        self, *, name: str, pack_id: str, cron: str, texts: dict[str, str], next_run_at: datetime | None, actor: Actor
    ) -> bool:
        """Add a check-in for `pack_id` unless it has one already (on or off); True when added."""

        async def work(conn: AsyncConnection) -> bool:
            added = await loop_checkins.add_default(
                conn, name=name, pack_id=pack_id, cron=cron, texts=texts, next_run_at=next_run_at,
                actor=actor.name, now=self.now(),
            )
            if added is not None:
                await self._audit(conn, actor, "checkin.default", f"check-in {added}", f"{cron} (on)")
            return added is not None

        return await self._run(work)

    async def checkins(self) -> list[CheckinSchedule]:
        return await self._read(loop_checkins.everything)

    async def checkin(self, schedule_id: int) -> CheckinSchedule | None:
        return await self._read(lambda conn: loop_checkins.get(conn, schedule_id))

    async def run_due_checkins(
        self,
        *,
        following: Callable[[CheckinSchedule, datetime], datetime | None],
        compose: CheckinCompose,
        channels: Collection[str],
        runs: Runs,
    ) -> list[tuple[CheckinSchedule, int]]:
        """Queue reminders for every schedule whose time has come; each firing once, in one transaction."""

        async def work(conn: AsyncConnection) -> list[tuple[CheckinSchedule, int]]:
            now = self.now()
            done: list[tuple[CheckinSchedule, int]] = []
            for schedule in await loop_checkins.due(conn, now):
                if not await loop_checkins.claim(conn, schedule, following(schedule, now), now):
                    continue
                messages, default = compose(schedule)
                queued = await loop_checkins.queue_reminders(
                    conn, schedule, messages=messages, default_language=default, channels=channels, runs=runs,
                    now=now,
                )
                done.append((schedule, queued))
            return done

        return await self._run(work)
