"""The "You said, we did" service: what the staff console, the command line and the scheduler call.

    loop = build_loop(settings, parts)                      # bot.app.loop
    theme_id = await loop.store.create_theme("waiting times", actor=actor)
    action_id = await loop.create_action(you_said={"en": "The wait was too long."},
                                         we_did={"en": "We added clinics on Saturdays."}, status="done",
                                         symbol="clock", happened_on=date(2026, 11, 2), theme_ids=[theme_id],
                                         actor=actor)
    plan = await loop.publish(action_id, actor=actor)       # everyone who raised it hears, once
    await loop.tick()                                       # the scheduler: due check-ins

Words staff write are held to the easy-read rules before they are saved (errors refuse, warnings are
returned to show); publishing checks them again, since the rules or the packs may have changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.content.easyread.check import check_text
from bot.content.easyread.findings import ERROR, Finding
from bot.content.packs.library import PackLibrary, Symbols
from bot.content.packs.model import Purpose
from bot.hours import QuietHours, WeeklyHours
from bot.loop.compose import Composer
from bot.loop.cron import CronProblem, next_fire
from bot.loop.schedule import DAY_NAMES, Every, clock_words, from_cron
from bot.loop.spread import send_runs
from bot.loop.suggest import Suggestion, suggest
from bot.messages import Reply
from channels.webchat.preview import render_text
from storage.loop.records import Action, CheckinSchedule, ContactPlan, Involved, SendRun
from storage.loop.store import LoopStore
from storage.staff.records import Actor

log = logging.getLogger("said.loop")

AUDIENCE_STRICTNESS = ("child", "young_person", "parent_carer")  # strictest easy-read rules first
SCHEDULER = Actor("scheduler")
NO_PROACTIVE = frozenset({"voice"})  # a phone call cannot be started by a message


# The default check-in's words (the composer adds "Send WAITING to start."). Easy read for young people.
DEFAULT_REMINDER = {
    "en": "Hello. It is time for your check-in. We want to know how you are.",
    "cy": "Helo. Mae'n amser i ni holi sut wyt ti.",
}


def _on_weekday(every: Every, zone: ZoneInfo) -> datetime:
    """A moment on `every`'s weekday at its time, in a week with no clock change, to ask hours about."""
    monday = date(2026, 1, 5)
    return datetime.combine(monday + timedelta(days=every.weekday), every.at, zone)


class LoopProblem(ValueError):
    """Words or settings staff must change; `findings` are the easy-read problems, per place."""

    def __init__(self, message: str, findings: Mapping[str, list[Finding]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.findings = dict(findings or {})


@dataclass
class Loop:
    store: LoopStore
    composer: Composer
    packs: PackLibrary
    symbols: Symbols
    quiet: QuietHours
    zone: ZoneInfo
    rates: dict[str, float | None]  # channel -> messages a second (None: no limit)
    threshold: int
    on_planned: Callable[[], None] | None = None
    languages: list[str] = field(default_factory=list)
    office_hours: WeeklyHours | None = None

    def __post_init__(self) -> None:
        if not self.languages:
            found = self.packs.languages() or ["en"]
            self.languages = sorted(found, key=lambda lang: (lang != "en", found.index(lang)))

    @property
    def channels(self) -> frozenset[str]:
        """Channels a proactive message can go out on now."""
        return frozenset(self.rates) - NO_PROACTIVE

    def runs(self, now: datetime) -> Callable[[str, int], Sequence[SendRun]]:
        return lambda channel, count: send_runs(now, count, rate=self.rates.get(channel), quiet=self.quiet)

    def _planned(self) -> None:
        if self.on_planned is not None:
            self.on_planned()

    # Easy read

    def reading_audience(self) -> str:
        """Actions are read by whoever raised them and by the public: the strictest rules any pack uses."""
        used = {pack.audience.value for pack in self.packs.all()}
        return next((name for name in AUDIENCE_STRICTNESS if name in used), "child")

    def check(self, text: str, language: str) -> list[Finding]:
        keywords = {k for p in self.packs.all() for k in p.keywords} | {"STOP", "START", "HELP", "YES", "NO"}
        return check_text(text, language=language, audience=self.reading_audience(), allowed_caps=keywords)

    def check_texts(self, texts: Mapping[str, Mapping[str, str]]) -> dict[str, list[Finding]]:
        """Findings for every text: {"You said (en)": [...], …}, only places with findings."""
        found: dict[str, list[Finding]] = {}
        for place, by_language in texts.items():
            for language, text in by_language.items():
                if text.strip():
                    findings = self.check(text, language)
                    if findings:
                        found[f"{place} ({language})"] = findings
        return found

    def _refuse_errors(self, texts: Mapping[str, Mapping[str, str]]) -> dict[str, list[Finding]]:
        found = self.check_texts(texts)
        errors = {place: [f for f in fs if f.severity == ERROR] for place, fs in found.items()}
        errors = {place: fs for place, fs in errors.items() if fs}
        if errors:
            raise LoopProblem("Some words need to be easier to read.", errors)
        return found

    def _check_action(self, you_said: dict[str, str], we_did: dict[str, str], symbol: str) -> dict[str, list[Finding]]:
        if self.symbols.get(symbol) is None:
            raise LoopProblem(f"There is no symbol called '{symbol}'.")
        unknown = [lang for lang in you_said if lang not in self.languages]
        if unknown:
            raise LoopProblem(f"No question pack speaks {', '.join(unknown)}; use {', '.join(self.languages)}.")
        return self._refuse_errors({"You said": you_said, "We did": we_did})

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
    ) -> tuple[int, dict[str, list[Finding]]]:
        """The new action's id and the easy-read warnings to show. Raises LoopProblem (or ValueError)."""
        warnings = self._check_action(you_said, we_did, symbol)
        action_id = await self.store.create_action(
            you_said=you_said, we_did=we_did, status=status, symbol=symbol, happened_on=happened_on,
            theme_ids=theme_ids, actor=actor,
        )
        return action_id, warnings

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
    ) -> dict[str, list[Finding]]:
        warnings = self._check_action(you_said, we_did, symbol)
        changed = await self.store.edit_action(
            action_id, you_said=you_said, we_did=we_did, status=status, symbol=symbol, happened_on=happened_on,
            theme_ids=theme_ids, actor=actor,
        )
        if not changed:
            raise LookupError(f"there is no action {action_id}")
        return warnings

    async def publish(self, action_id: int, *, actor: Actor) -> ContactPlan:
        """Publish an action and queue its follow-ups. Raises LookupError or LoopProblem."""
        action = await self.store.action(action_id)
        if action is None:
            raise LookupError(f"there is no action {action_id}")
        self._check_action(action.you_said, action.we_did, action.symbol)
        plan = await self.store.publish(
            action_id, self.composer.followups, channels=self.channels, runs=self.runs(self.store.now()), actor=actor
        )
        if plan is None:
            raise LookupError(f"there is no action {action_id}")
        log.info("action %d published: %d follow-ups queued (%s)", action_id, plan.total, plan.per_channel)
        self._planned()
        return plan

    def preview(self, action: Action, language: str) -> str:
        """The follow-up as plain text, for staff to read before publishing."""
        return render_text(Reply(tuple(self.composer.followup(action, language))))

    # Themes

    async def suggestions(self, *, limit: int = 200) -> list[Suggestion]:
        return suggest(await self.store.untagged(limit=limit), await self.store.themes())

    # Involvement

    def involvement_questions(self) -> list[tuple[str, str]]:
        return [
            (pack.id, question.id)
            for pack in self.packs.all()
            for question in pack.questions
            if question.purpose is Purpose.INVOLVEMENT
        ]

    async def involved(self, *, limit: int = 50, offset: int = 0) -> tuple[list[Involved], int]:
        return await self.store.involved(questions=self.involvement_questions(), limit=limit, offset=offset)

    async def invite(
        self,
        *,
        texts: dict[str, str],
        next_step: dict[str, str],
        participant_ids: Sequence[int] | None,
        actor: Actor,
    ) -> tuple[int, ContactPlan, dict[str, list[Finding]]]:
        """Send an invitation through the bot to people who said yes to getting involved."""
        warnings = self._refuse_errors({"Invitation": texts, "Next step": next_step})
        invitation_id, plan = await self.store.invite(
            texts=texts, next_step=next_step, compose=self.composer.invitations, participant_ids=participant_ids,
            channels=self.channels, runs=self.runs(self.store.now()), actor=actor,
        )
        self._planned()
        return invitation_id, plan, warnings

    # Check-ins

    async def save_checkin(
        self, *, name: str, pack_id: str, cron: str, texts: dict[str, str], active: bool, actor: Actor
    ) -> tuple[int, dict[str, list[Finding]]]:
        if self.packs.get(pack_id) is None:
            raise LoopProblem(f"There is no question pack '{pack_id}'.")
        try:
            following = next_fire(cron, self.store.now(), self.zone)
        except CronProblem as problem:
            raise LoopProblem(str(problem)) from None
        if active and following is None:
            raise LoopProblem("That schedule never happens again.")
        warnings = self._refuse_errors({"Reminder": texts})
        every = from_cron(cron)
        too_late = self.timing_problem(every) if every is not None else None
        if too_late is not None:
            raise LoopProblem(too_late)
        schedule_id = await self.store.save_checkin(
            name=name, pack_id=pack_id, cron=cron, texts=texts, active=active, next_run_at=following, actor=actor
        )
        return schedule_id, warnings

    def timing_problem(self, every: Every) -> str | None:
        """Why a check-in at this time would not reach people when staff expect, or None. Reminders are
        never sent in quiet hours (the dispatcher holds them to the morning), so a time in quiet hours is
        refused rather than quietly moved."""
        moment = _on_weekday(every, self.zone)
        if self.quiet.is_quiet(moment):
            return (f"{clock_words(every.at).capitalize()} is in quiet hours, when no message is sent. "
                    "Choose a time in the day, in office hours if you can.")
        return None

    def office_warning(self, every: Every) -> str | None:
        """A check-in outside office hours still goes, but replies wait for a person: say so."""
        if self.office_hours is None or self.office_hours.is_open(_on_weekday(every, self.zone)):
            return None
        return (f"{DAY_NAMES[every.weekday]} at {clock_words(every.at)} is outside office hours "
                f"({self.office_hours.describe('en')}): nobody will read replies until the office opens.")

    def default_every(self) -> Every:
        """The check-in set up for a pack that promises one: monthly, on the first office day, at 4 pm
        (after school for young people) or the latest hour before it that is in office hours and outside
        quiet hours."""
        for weekday in range(7):
            for hour in (16, 15, 14, 13, 12, 11, 10, 9):
                every = Every("month", weekday, time(hour), 1)
                if self.timing_problem(every) is None and self.office_warning(every) is None:
                    return every
        return Every("month", 0, time(16), 1)

    async def ensure_default_checkins(self, actor: Actor = SCHEDULER) -> list[str]:
        """Set up the monthly check-in each pack promises ("Can we check in with you like this every
        month?"), once: a pack that has any check-in schedule, on or off, is left as staff made it.
        Returns the names of the schedules made."""
        made = []
        for pack in self.packs.all():
            if not any(q.purpose is Purpose.CHECKINS for q in pack.questions):
                continue
            every = self.default_every()
            name = f"Monthly check-in: {pack.id}"[:80]
            texts = {lang: text for lang, text in DEFAULT_REMINDER.items() if lang in pack.languages}
            self._refuse_errors({"Reminder": texts})  # our own words meet the easy-read rules too
            following = next_fire(every.cron(), self.store.now(), self.zone)
            if await self.store.add_default_checkin(
                name=name, pack_id=pack.id, cron=every.cron(), texts=texts, next_run_at=following, actor=actor
            ):
                log.info("check-in %r set up for pack %s: %s", name, pack.id, every.words())
                made.append(name)
        return made

    def _following(self, schedule: CheckinSchedule, now: datetime) -> datetime | None:
        try:
            return next_fire(schedule.cron, now, self.zone)
        except CronProblem:
            log.warning("check-in %d has a schedule that cannot be read; it is paused", schedule.id)
            return None

    async def tick(self) -> list[tuple[CheckinSchedule, int]]:
        """The scheduler's tick: queue the reminders of every check-in whose time has come."""
        done = await self.store.run_due_checkins(
            following=self._following, compose=self.composer.reminders, channels=self.channels,
            runs=self.runs(self.store.now()),
        )
        for schedule, queued in done:
            log.info("check-in %d: %d reminders queued", schedule.id, queued)
        if done:
            self._planned()
        return done

