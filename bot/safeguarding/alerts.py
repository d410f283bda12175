"""Turning the engine's safeguarding events into alerts, inside the conversation's transaction.

    RiskDetected(urgent, …, kept_as="feedback")  -> an alert linked to the general message just kept
    RiskDetected(concern, …, kept_as="answer")   -> an alert linked to the answer in its submission
    CallbackRequested(phone=None)                -> a "callback" alert: call the number they wrote from
    CallbackRequested(phone="+447700900123")     -> the same, with the number they typed, sealed

The alert's notices to the duty team are due at once; `notify.AlertNotifier` sends them.
"""

from __future__ import annotations

from bot.engine.events import CallbackRequested, RiskDetected
from storage.conversations.unit import UnitOfWork
from storage.safeguarding.store import record_alert

CALLBACK_RULE = "callback_request"


async def record(
    uow: UnitOfWork,
    event: RiskDetected | CallbackRequested,
    participant_id: int,
    channel: str,
    language: str | None,
    feedback_id: int | None,
) -> int:
    if isinstance(event, CallbackRequested):
        return await record_alert(
            uow, kind="callback", level="concern", rules=(CALLBACK_RULE,), text=None, place="callback",
            channel=channel, language=language, pack_id=None, participant_id=participant_id,
            callback_phone=event.phone,
        )
    as_answer = event.kept_as == "answer"
    return await record_alert(
        uow, kind="risk", level=event.level, rules=event.rules, text=event.text, place=event.where,
        channel=channel, language=language, pack_id=event.pack_id, participant_id=participant_id,
        submission_id=event.submission_id if as_answer else None,
        question_id=event.where if as_answer else None,
        feedback_id=None if as_answer else feedback_id,
    )
