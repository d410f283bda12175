"""Apply the engine to one inbound message, inside one storage transaction.

This is where the pure engine meets storage: load the person's conversation, run the engine, apply
its events, save the new state and remember the reply against the provider's message id, all in one
transaction, so a retried webhook is answered the same way and processed once.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from bot.content.meanings import Meanings, shipped_meanings
from bot.content.packs.folding import clean
from bot.content.packs.library import PackLibrary, Symbols, SystemTexts
from bot.content.words import Words, loop_words
from bot.engine import engine
from bot.engine.context import Context, Handover
from bot.engine.events import (
    AnswerGiven,
    AnswerWithdrawn,
    CallbackRequested,
    CaseMessage,
    ConsentGiven,
    Event,
    FeedbackGiven,
    ForgetConfirmed,
    HandoverEnded,
    LanguageChosen,
    LoopAnswered,
    RiskDetected,
    Started,
    Stopped,
    SubmissionFinished,
    SubmissionStarted,
)
from bot.engine.state import Conversation
from bot.hours import WeeklyHours
from bot.messages import Channel, Inbound, Reply, Say, TryLater
from bot.messages_json import reply_from_dict, reply_to_dict
from bot.safeguarding import alerts
from bot.safeguarding.detect import Detector
from bot.safeguarding.loading import Safeguarding, shipped_safeguarding
from bot.safeguarding.offload import DetectionPool, Remembered
from storage.cases import store as cases
from storage.conversations.store import DuplicateInbound, StorageUnavailable, Store
from storage.conversations.unit import UnitOfWork
from storage.loop.records import LoopQuestion
from storage.privacy.vault import AddressError, short

log = logging.getLogger("said.service")
T = TypeVar("T")
# Called in a message's transaction with the reply and whether the person was just forgotten.
Keep = Callable[[UnitOfWork, Reply, bool], Awaitable[T]]


@dataclass(frozen=True)
class Prompts:
    """Everything read from `prompts/`, loaded once at start-up."""

    library: PackLibrary
    texts: SystemTexts
    symbols: Symbols
    safeguarding: Safeguarding = field(default_factory=shipped_safeguarding)
    loop_words: Words = field(default_factory=loop_words)
    meanings: Meanings = field(default_factory=shipped_meanings)
    sentiment: Callable[[str], float] | None = None  # how positive a reply sounds; see bot/app/understanding.py


class ConversationService:
    def __init__(
        self,
        store: Store,
        prompts: Prompts,
        *,
        office_hours: WeeklyHours,
        zone: ZoneInfo,
        expiry: timedelta,
        clock: Callable[[], datetime] | None = None,
        service_name: str = "the team",
        detection: DetectionPool | None = None,
        service_names: dict[str, str] | None = None,
    ) -> None:
        self.store = store
        # Long messages are read for risk in a worker process (bot/safeguarding/offload.py); None reads
        # every message inline, as the terminal chat and most tests do.
        self.detection = detection
        self.prompts = prompts
        self.office_hours = office_hours
        self.zone = zone
        self.expiry = expiry
        self.service_name = service_name
        self.service_names = dict(service_names or {})
        self._clock = clock or (lambda: datetime.now(UTC))
        self.on_reply_queued: Callable[[], None] | None = None
        # Safeguarding: alerts written so far, and what to call once one is committed (the duty notices).
        self.alerts_raised = 0
        self.on_alert_raised: Callable[[], None] | None = None
        # Told (channel, outcome) for every message handled: the metrics. Outcomes: "answered" (the reply
        # goes back in the webhook's answer), "queued" (by the outbox), "duplicate" (a retried webhook),
        # "busy" (the database was unavailable), "unreadable" (an address the vault cannot take).
        self.on_handled: Callable[[str, str], None] | None = None

    @property
    def library(self) -> PackLibrary:
        return self.prompts.library

    def context(
        self, now: datetime | None = None, loop_question: LoopQuestion | None = None,
        safeguarding: Safeguarding | None = None, handover: Handover | None = None,
    ) -> Context:
        return Context(
            now=now or self._clock(),
            library=self.prompts.library,
            texts=self.prompts.texts,
            symbols=self.prompts.symbols,
            office_hours=self.office_hours,
            timezone=self.zone,
            new_id=str(uuid.uuid4()),
            expiry=self.expiry,
            service_name=self.service_name,
            service_names=self.service_names,
            safeguarding=safeguarding or self.prompts.safeguarding,
            loop_words=self.prompts.loop_words,
            meanings=self.prompts.meanings,
            sentiment=self.prompts.sentiment,
            loop_question=loop_question,
            handover=handover,
        )

    async def menu(self, language: str | None = None, channel: Channel | None = None) -> Reply:
        """The packs offered on `channel` (every pack when None), as a question to pick from."""
        return engine.menu(self.context(), language, channel)

    def sorry(self, key: str, language: str | None = None) -> Reply:
        return Reply(messages=(Say(text=self.prompts.texts.get(key, language or "en")),))

    async def handle(self, channel: Channel, address: str, message: Inbound) -> Reply:
        """Answer one message. Never raises for bad input or a database blip: the person gets kind words."""
        reply, _ = await self.handle_queued(channel, address, message, reply_by_outbox=False)
        return reply

    async def handle_keeping(
        self, channel: Channel, address: str, message: Inbound, keep: Keep[T]
    ) -> tuple[Reply, T | None]:
        """`handle`, and `keep(uow, reply, forgotten)` in the same transaction, after the engine's own writes
        (the web chat adds its turns there: one transaction an answer, not two). Returns the reply and what
        `keep` returned once committed; None when `keep` did not run or did not commit (a retried message,
        a busy database, an unreadable address: the reply then says so, as `handle`'s would)."""
        kept: list[T] = []
        reply, _ = await self.handle_queued(channel, address, message, reply_by_outbox=False, keep=keep, kept=kept)
        return reply, (kept[0] if kept else None)

    async def handle_queued(
        self, channel: Channel, address: str, message: Inbound, *, reply_by_outbox: bool = True,
        retry_when_busy: bool = False,
        keep: Keep[Any] | None = None,
        kept: list[Any] | None = None,
    ) -> tuple[Reply, bool]:
        """Like `handle`, for channels whose webhook cannot carry the reply (Telegram).

        The reply is written to the outbox as a direct reply in the same transaction as the state change,
        so it is sent even if this process dies right after, and `on_reply_queued` is called to send it at
        once. Returns the reply and whether it was queued: a reply that could not be queued (a database
        blip, or the person was just forgotten and has no address left) is for the adapter to send itself.
        With `retry_when_busy`, an unavailable database raises `TryLater` instead of answering "sorry", for
        a channel whose provider will deliver the message again. `keep` and `kept`: see `handle_keeping`.
        """
        raised = self.alerts_raised
        try:
            reply, queued = await self._handle(channel, address, message, reply_by_outbox, keep, kept)
        except AddressError:
            log.warning("message on %s from an address we cannot read; not stored", channel)
            self._handled(channel, "unreadable")
            return self.sorry("error_address"), False
        except StorageUnavailable:
            log.warning("database unavailable while handling a %s message", channel)
            self._handled(channel, "busy")
            if retry_when_busy:
                raise TryLater from None
            return self.sorry("error_busy"), False
        except DuplicateInbound:
            # A concurrent copy of this webhook won the race. Answer as it did; an outbox reply is its job.
            self._handled(channel, "duplicate")
            if reply_by_outbox:
                return Reply(), True
            async with self.store.unit() as uow:
                cached = await uow.seen_inbound(channel.value, message.provider_id or "")
            return (reply_from_dict(cached) if cached else Reply()), False
        self._handled(channel, "queued" if queued else "answered")
        if queued and self.on_reply_queued is not None:
            self.on_reply_queued()
        if self.alerts_raised != raised and self.on_alert_raised is not None:
            self.on_alert_raised()  # committed by now; a concurrent message may make this an extra, harmless kick
        return reply, queued

    def _handled(self, channel: Channel, outcome: str) -> None:
        if self.on_handled is not None:
            self.on_handled(channel.value, outcome)
    async def _safeguarding_for(self, message: Inbound) -> Safeguarding:
        """The lists, with the finding for a long message already read away from the event loop.

        Read before the transaction opens, so a slow read holds neither the loop nor the write lock."""
        safeguarding = self.prompts.safeguarding
        text = clean(message.text or "")  # what the engine reads (bot/engine/engine.py)
        if self.detection is None or len(text) <= self.detection.inline_up_to:
            return safeguarding
        finding = await self.detection.detect(safeguarding.detector, text)
        remembered = cast(Detector, Remembered(safeguarding.detector, text, finding))
        return replace(safeguarding, detector=remembered)

    async def _handle(
        self,
        channel: Channel,
        address: str,
        message: Inbound,
        reply_by_outbox: bool,
        keep: Keep[Any] | None = None,
        kept: list[Any] | None = None,
    ) -> tuple[Reply, bool]:
        safeguarding = await self._safeguarding_for(message)
        outcome: list[Any] = []
        async with self.store.unit() as uow:
            # One statement: the person (created when new), their conversation and any earlier reply.
            person, cached = await uow.arrival(
                channel.value, address, message.provider_id, received_at=message.received_at
            )
            if cached is not None:
                # A retried webhook: answered the same way; an outbox reply was already queued.
                return reply_from_dict(cached), reply_by_outbox
            conversation = Conversation.from_dict(person.conversation)
            conversation.stopped = person.stopped
            if conversation.language is None and person.language:
                conversation.language = person.language
            loop_question = await uow.loop_question(person.id, message.received_at)
            case = await cases.handover_for(uow, person.id)
            handover = None if case is None else Handover(case.case_id, case.waiting_for_them)
            context = self.context(message.received_at, loop_question, safeguarding, handover)
            step = engine.handle(conversation, message, context)
            forgotten = await self._apply(uow, person.id, channel, step.conversation, step.events)
            reply = reply_to_dict(step.reply)
            queued = reply_by_outbox and bool(step.reply.messages) and not forgotten
            if queued:
                await uow.enqueue(person.id, channel.value, "reply", reply, direct_reply=True)
            if forgotten:  # nobody left to save the conversation of
                await uow.record_inbound(channel.value, message.provider_id, reply)
            else:  # the conversation and the reply to this message id: one statement on PostgreSQL
                await uow.save_and_record(
                    person.id, step.conversation.to_dict(), step.conversation.language,
                    channel=channel.value, provider_id=message.provider_id, reply=reply,
                )
            if keep is not None:
                outcome.append(await keep(uow, step.reply, forgotten))
            log.info(
                "handled %s message for %s: %d events, %d replies",
                channel, short(person.pseudonym), len(step.events), len(step.reply.messages),
            )
        if kept is not None:
            kept.extend(outcome)  # committed by now
        return step.reply, queued

    async def _apply(
        self,
        uow: UnitOfWork,
        participant_id: int,
        channel: Channel,
        conversation: Conversation,
        events: tuple[Event, ...],
    ) -> bool:
        """Write the engine's events. Returns True when the person asked to be forgotten."""
        language = conversation.language or "en"
        feedback_id: int | None = None  # the general message just kept, for an alert about it
        case_id: int | None = None  # the inbox case those words went to, for the same alert
        for event in events:
            match event:
                case SubmissionStarted():
                    await uow.start_submission(
                        event.submission_id, participant_id, event.pack_id, event.pack_version,
                        event.language, channel.value,
                    )
                case AnswerGiven():
                    await uow.record_answer(
                        event.submission_id, event.question_id, value=event.value, number=event.number,
                        text=event.text, skipped=event.skipped,
                    )
                case AnswerWithdrawn():
                    await uow.withdraw_answer(event.submission_id, event.question_id)
                case SubmissionFinished():
                    await uow.finish_submission(event.submission_id, event.status)
                case FeedbackGiven():
                    feedback_id = await uow.add_feedback(
                        participant_id, channel.value, language, event.text, event.media, event.pack_id
                    )
                    # A general message is also a case in the inbox, where a person can answer it.
                    case_id = await cases.take_message(
                        uow, participant_id=participant_id, channel=channel.value, language=language,
                        pack_id=event.pack_id, text=event.text, media=event.media, feedback_id=feedback_id,
                    )
                case RiskDetected() | CallbackRequested():
                    alert_id = await alerts.record(uow, event, participant_id, channel.value, language, feedback_id)
                    self.alerts_raised += 1
                    if isinstance(event, CallbackRequested):
                        # CALL ME is a case that says a call is wanted, beside the duty team's alert.
                        case_id = await cases.take_message(
                            uow, participant_id=participant_id, channel=channel.value, language=language,
                            pack_id=conversation.pack_id, text=None, media=None, callback=True,
                        )
                    if case_id is not None and (isinstance(event, CallbackRequested) or event.kept_as == "feedback"):
                        await cases.link_alert(uow, case_id, alert_id)
                case CaseMessage():
                    case_id = await cases.take_message(
                        uow, participant_id=participant_id, channel=channel.value, language=language,
                        pack_id=None, text=event.text, media=event.media,
                    )
                case HandoverEnded():
                    await cases.end_handover(uow, event.case_id)
                case ConsentGiven():
                    await uow.set_consent(participant_id, event.purpose, event.granted)
                case Stopped():
                    await uow.set_stopped(participant_id, True)
                case Started():
                    await uow.set_stopped(participant_id, False)
                case LanguageChosen():
                    pass  # saved with the conversation below
                case LoopAnswered():
                    await uow.answer_loop_question(
                        event.contact_id, event.answer, event.words, channel=channel.value, language=language
                    )
                case ForgetConfirmed():
                    await uow.forget(participant_id)
                    return True
        return False
