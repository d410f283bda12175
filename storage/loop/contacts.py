"""Telling people: follow-ups for an action and invitations to get involved, planned as set-based SQL.

One planning run is one transaction of a few statements, whatever the number of people:

1. INSERT … SELECT one `loop_contacts` row a person who should hear, ON CONFLICT DO NOTHING on the
   unique (action, person) key: somebody already told is skipped, even when two processes plan at once;
2. INSERT … SELECT one outbox row a new contact (found by the run's `batch` mark), per channel and
   language, each with its own sending time so a large batch is spread at the channel's rate (and
   around quiet hours) instead of all being due at once and queueing every direct reply behind it.

The outbox payload carries the action (or invitation) id; when a person answers "Was this helpful?",
their last follow-up in the outbox and the unique (action, person) key lead back to their contact row.

Memory stays flat: no person is ever loaded into Python. The dispatcher checks stop status, quiet
hours and rate limits again at the moment of sending.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Float,
    Integer,
    String,
    bindparam,
    case,
    cast,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.conversations.responses import add_feedback
from storage.delivery.wakeups import notify_outbox
from storage.loop import actions as loop_actions
from storage.loop.records import ContactPlan, LoopQuestion, SendRun
from storage.loop.tables import CONTACT_ANSWERS, LoopContact, LoopInvitation
from storage.loop.themes import contributions, contributor_ids
from storage.models import Consent, JSONValue, OutboxMessage, Participant, VaultEntry
from storage.prepared import Prepared
from storage.sql import is_postgres, upsert_insert
from storage.types import UTCDateTime

_O = OutboxMessage
_P = Participant
_C = LoopContact
OUTBOX_KIND = "followup"  # follow-ups and invitations alike
SUBJECTS = ("action_id", "invitation_id")  # what a loop outbox payload names
ANSWER_WINDOW = timedelta(days=14)  # a one-tap answer counts this long after the question reached them
Runs = Callable[[str, int], Sequence[SendRun]]  # channel, rows to send -> when


def _at(moment: datetime) -> Any:
    return literal(moment, UTCDateTime())


def granted(purpose: str) -> Any:
    return exists().where(Consent.participant_id == _P.id, Consent.purpose == purpose, Consent.granted.is_(True))


def language_bucket(languages: Collection[str], default: str) -> Any:
    """The person's language when we have words in it, otherwise the default."""
    others = [lang for lang in languages if lang != default]
    if not others:
        return literal(default, String())
    return case((_P.language.in_(others), _P.language), else_=literal(default, String()))


def send_time(conn: AsyncConnection, n: Any, runs: Sequence[SendRun]) -> Any:
    """SQL for the sending time of row `n` (1, 2, …) of a channel's batch, whole seconds, as the column stores it."""
    branches = []
    before = 0
    for run in runs[:-1]:
        branches.append((n <= before + run.count, _epoch(run) + (n - 1 - before) * literal(run.every, Float())))
        before += run.count
    last = runs[-1]
    otherwise = _epoch(last) + (n - 1 - before) * literal(last.every, Float())
    seconds = case(*branches, else_=otherwise) if branches else otherwise
    if is_postgres(conn):
        return func.to_timestamp(func.floor(seconds))
    # SQLite keeps times as text in SQLAlchemy's format; build exactly that, so comparisons stay in order.
    return func.strftime("%Y-%m-%d %H:%M:%S", cast(seconds, Integer), "unixepoch", type_=String()) + literal(
        ".000000", String()
    )


def _epoch(run: SendRun) -> Any:
    return literal(run.start.timestamp(), Float())


async def _queue(
    conn: AsyncConnection,
    *,
    kind: str,
    subject: Any,
    subject_id: int,
    people: list[Any],
    messages: dict[str, list[dict[str, Any]]],
    default_language: str,
    channels: Collection[str],
    runs: Runs,
    payload: dict[str, Any],
    now: datetime,
) -> tuple[dict[str, int], dict[str, int]]:
    """Steps 1 and 2 above for one subject (an action or an invitation). Returns people per channel and language."""
    if default_language not in messages:
        raise ValueError("the default language needs words")
    if not channels:
        return {}, {}
    subject_column = "action_id" if subject is _C.action_id else "invitation_id"
    batch = uuid.uuid4().hex  # marks the contacts this run adds: those, and only those, get a message
    rows = select(
        literal(kind, String()),
        literal(subject_id, Integer()),
        _P.id,
        _P.channel,
        language_bucket(messages, default_language),
        _at(now),
        literal(batch, String()),
    ).where(*people, _P.channel.in_(sorted(channels)))
    added = upsert_insert(conn, _C).from_select(
        ["kind", subject_column, "participant_id", "channel", "language", "planned_at", "batch"], rows
    )
    await conn.execute(added.on_conflict_do_nothing(index_elements=[subject, _C.participant_id]))
    fresh = [subject == subject_id, _C.batch == batch]
    counts = await conn.execute(
        select(_C.channel, _C.language, func.count()).where(*fresh).group_by(_C.channel, _C.language)
    )
    per_channel: dict[str, int] = {}
    per_language: dict[str, int] = {}
    for channel, language, n in counts:
        per_channel[channel] = per_channel.get(channel, 0) + int(n)
        per_language[language] = per_language.get(language, 0) + int(n)
    for channel, total in sorted(per_channel.items()):
        numbered = (
            select(
                _C.participant_id,
                _C.channel,
                _C.language,
                func.row_number().over(order_by=_C.id).label("n"),
            )
            .where(*fresh, _C.channel == channel)
            .subquery("numbered")
        )
        when = send_time(conn, numbered.c.n, runs(channel, total))
        for language, words in messages.items():
            # The subject's id travels in the payload: that is how an answer finds its way back.
            body = {**payload, "messages": words}
            source = select(
                numbered.c.participant_id,
                numbered.c.channel,
                literal(OUTBOX_KIND, String()),
                literal(body, JSONValue),
                literal(False),
                literal("pending", String()),
                literal(0, Integer()),
                literal(5, Integer()),
                when,
                _at(now),
                _at(now),
            ).where(numbered.c.language == language)
            columns = [
                "participant_id", "channel", "kind", "payload", "direct_reply", "status", "attempts",
                "max_attempts", "next_attempt_at", "created_at", "status_changed_at",
            ]
            await conn.execute(insert(_O).from_select(columns, source))
    await notify_outbox(conn)  # other processes' dispatchers wake when this commits
    return per_channel, per_language


async def plan_followups(
    conn: AsyncConnection,
    action_id: int,
    *,
    messages: dict[str, list[dict[str, Any]]],
    default_language: str,
    channels: Collection[str],
    runs: Runs,
    now: datetime,
) -> ContactPlan:
    """Queue the action's follow-up for everyone who raised its themes, said yes to hearing back, has not
    stopped, and has not been told about this action before. Call inside the transaction that published it."""
    names, links = await loop_actions.sources(conn, action_id)
    found = contributions(names, links)
    if found is None:
        await loop_actions.record_counts(conn, action_id, raised_by=0, told=await _told(conn, action_id))
        return ContactPlan({}, {}, 0, 0)
    raised = int(await conn.scalar(select(func.count()).select_from(found)) or 0)
    contributors = contributor_ids(names, links)
    assert contributors is not None  # there are contributions, so there are selects
    people = [_P.id.in_(contributors), _P.stopped.is_(False), granted("hear_back")]
    per_channel, per_language = await _queue(
        conn,
        kind="followup",
        subject=_C.action_id,
        subject_id=action_id,
        people=[*people, exists().where(VaultEntry.participant_id == _P.id)],
        messages=messages,
        default_language=default_language,
        channels=channels,
        runs=runs,
        payload={"action_id": action_id},
        now=now,
    )
    cannot = or_(_P.channel.not_in(sorted(channels)) if channels else literal(True),
                 ~exists().where(VaultEntry.participant_id == _P.id))
    unreachable = int(await conn.scalar(select(func.count()).where(*people, cannot)) or 0)
    await loop_actions.record_counts(conn, action_id, raised_by=raised, told=await _told(conn, action_id))
    return ContactPlan(per_channel, per_language, unreachable, raised)


async def _told(conn: AsyncConnection, action_id: int) -> int:
    return int(await conn.scalar(select(func.count()).where(_C.action_id == action_id)) or 0)


async def plan_invitation(
    conn: AsyncConnection,
    invitation_id: int,
    *,
    messages: dict[str, list[dict[str, Any]]],
    default_language: str,
    channels: Collection[str],
    runs: Runs,
    participant_ids: Sequence[int] | None,
    now: datetime,
) -> ContactPlan:
    """Queue an invitation for people who said yes to getting involved (only `participant_ids`, when given)."""
    people = [_P.stopped.is_(False), granted("involvement")]
    if participant_ids is not None:
        people.append(_P.id.in_(list(participant_ids)))
    per_channel, per_language = await _queue(
        conn,
        kind="invitation",
        subject=_C.invitation_id,
        subject_id=invitation_id,
        people=[*people, exists().where(VaultEntry.participant_id == _P.id)],
        messages=messages,
        default_language=default_language,
        channels=channels,
        runs=runs,
        payload={"invitation_id": invitation_id},
        now=now,
    )
    cannot = or_(_P.channel.not_in(sorted(channels)) if channels else literal(True),
                 ~exists().where(VaultEntry.participant_id == _P.id))
    unreachable = int(await conn.scalar(select(func.count()).where(*people, cannot)) or 0)
    invited = int(await conn.scalar(select(func.count()).where(_C.invitation_id == invitation_id)) or 0)
    await conn.execute(update(LoopInvitation).where(LoopInvitation.id == invitation_id).values(invited=invited))
    return ContactPlan(per_channel, per_language, unreachable)


# The answer coming back


# On every message's path (is the person answering a one-tap question?), so built once (storage/prepared.py).
_SENT_LATELY = Prepared(
    lambda _: select(_O.payload, _O.sent_at)
    .where(
        _O.participant_id == bindparam("b_participant_id"),
        _O.kind == OUTBOX_KIND,
        _O.status.in_(("sent", "delivered")),
        _O.sent_at >= bindparam("b_since", type_=UTCDateTime()),
    )
    .order_by(_O.sent_at.desc(), _O.id.desc())
    .limit(5)
)


def _contact_by(subject: str) -> Prepared:
    return Prepared(
        lambda _: select(
            _C.id, _C.kind, _C.language, _C.answer, _C.answered_at, _C.feedback_id, LoopInvitation.next_step
        )
        .outerjoin(LoopInvitation, LoopInvitation.id == _C.invitation_id)
        .where(getattr(_C, subject) == bindparam("b_subject_id"), _C.participant_id == bindparam("b_participant_id"))
    )


_CONTACT = {subject: _contact_by(subject) for subject in SUBJECTS}


async def open_question(
    conn: AsyncConnection, participant_id: int, now: datetime, window: timedelta = ANSWER_WINDOW
) -> LoopQuestion | None:
    """The last one-tap question that reached this person within `window`, answered or not."""
    sent = await conn.execute(_SENT_LATELY(conn), {"b_participant_id": participant_id, "b_since": now - window})
    for payload, sent_at in sent:
        subject = next((key for key in SUBJECTS if isinstance((payload or {}).get(key), int)), None)
        if subject is not None:
            return await _question(conn, participant_id, subject, payload[subject], sent_at)
    return None


async def _question(
    conn: AsyncConnection, participant_id: int, subject: str, subject_id: int, sent_at: datetime
) -> LoopQuestion | None:
    row = (
        await conn.execute(_CONTACT[subject](conn), {"b_subject_id": subject_id, "b_participant_id": participant_id})
    ).first()
    if row is None:
        return None
    wants_words = row.kind == "followup" and row.answer in ("down", "more") and row.feedback_id is None
    next_step = None
    if row.next_step:
        next_step = row.next_step.get(row.language) or next(iter(row.next_step.values()), None)
    return LoopQuestion(
        contact_id=row.id,
        kind=row.kind,
        language=row.language,
        asked_at=row.answered_at if wants_words and row.answered_at else sent_at,
        answer=row.answer,
        wants_words=wants_words,
        next_step=next_step,
    )


async def answer(
    conn: AsyncConnection,
    contact_id: int,
    reply: str,
    words: str | None,
    *,
    channel: str,
    language: str,
    now: datetime,
) -> None:
    """Store an answer (up, down, more, yes, no) and, for "tell us more", the words as a general message."""
    if reply not in CONTACT_ANSWERS:
        raise ValueError(f"unknown answer {reply!r}; expected one of {', '.join(CONTACT_ANSWERS)}")
    if words is None:
        await conn.execute(update(_C).where(_C.id == contact_id).values(answer=reply, answered_at=now))
        return
    participant_id = await conn.scalar(select(_C.participant_id).where(_C.id == contact_id))
    feedback_id = await add_feedback(conn, participant_id, channel, language, words, None, None, now)
    await conn.execute(
        update(_C)
        .where(_C.id == contact_id)
        .values(
            feedback_id=feedback_id,
            answer=func.coalesce(_C.answer, reply),
            answered_at=func.coalesce(_C.answered_at, _at(now)),
        )
    )


async def followup_progress(conn: AsyncConnection, action_id: int) -> tuple[dict[str, int], dict[str, int], int]:
    """(outbox status -> people, answer -> people, "tell us more" messages) for one action."""
    rows = await conn.execute(
        select(_O.status, func.count())
        .where(_O.kind == OUTBOX_KIND, _O.payload["action_id"].as_integer() == action_id)
        .group_by(_O.status)
    )
    statuses = {status: int(n) for status, n in rows}
    # Told, but no outbox row any more: sent long ago and purged, or the person was forgotten.
    finished = await _told(conn, action_id) - sum(statuses.values())
    if finished > 0:
        statuses["finished"] = finished
    answers = dict(
        (
            await conn.execute(
                select(_C.answer, func.count())
                .where(_C.action_id == action_id, _C.answer.is_not(None))
                .group_by(_C.answer)
            )
        ).all()
    )
    words = int(
        await conn.scalar(select(func.count()).where(_C.action_id == action_id, _C.feedback_id.is_not(None))) or 0
    )
    return statuses, {str(k): int(v) for k, v in answers.items()}, words


def invitation_answers() -> Any:
    return (
        select(_C.invitation_id, _C.answer, func.count())
        .where(_C.invitation_id.is_not(None), _C.answer.is_not(None))
        .group_by(_C.invitation_id, _C.answer)
    )

