"""People who would like to help shape the service, as staff may see them, and invitations to them.

Staff see a pseudonym (the first characters of the keyed hash), the pack, the date and the channel;
never an address. An invitation reaches people through the outbox like any other message.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, false, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.loop.contacts import invitation_answers
from storage.loop.records import Invitation, Involved
from storage.loop.tables import LoopContact, LoopInvitation
from storage.models import Answer, Consent, Participant, Submission

PSEUDONYM_CHARS = 10
MAX_TEXT = 600

_P = Participant


def _consented() -> Any:
    return and_(Consent.participant_id == _P.id, Consent.purpose == "involvement", Consent.granted.is_(True))


async def involved(
    conn: AsyncConnection, *, questions: Sequence[tuple[str, str]], limit: int, offset: int
) -> tuple[list[Involved], int]:
    """People with the `involvement` consent who have not sent STOP, newest first, and how many in all.

    `questions` are the (pack, question) pairs that ask for it, to show which pack they said yes in.
    """
    where = [_P.stopped.is_(False)]
    total = int(
        await conn.scalar(select(func.count()).select_from(_P).join(Consent, _consented()).where(*where)) or 0
    )
    pairs = [and_(Submission.pack_id == p, Answer.question_id == q) for p, q in questions]
    asked = or_(*pairs) if pairs else false()
    pack = (
        select(Submission.pack_id)
        .join(Answer, Answer.submission_id == Submission.id)
        .where(Submission.participant_id == _P.id, asked, Answer.value == "yes")
        .order_by(Answer.answered_at.desc())
        .limit(1)
        .correlate(_P)
        .scalar_subquery()
    )
    invited = (
        select(func.count())
        .where(LoopContact.participant_id == _P.id, LoopContact.invitation_id.is_not(None))
        .correlate(_P)
        .scalar_subquery()
    )
    rows = await conn.execute(
        select(_P.id, _P.pseudonym, _P.channel, Consent.changed_at, pack.label("pack_id"), invited.label("invited"))
        .join(Consent, _consented())
        .where(*where)
        .order_by(Consent.changed_at.desc(), _P.id.desc())
        .limit(limit)
        .offset(offset)
    )
    found = [
        Involved(
            participant_id=r.id,
            pseudonym=r.pseudonym[:PSEUDONYM_CHARS],
            pack_id=r.pack_id,
            since=r.changed_at.date(),
            channel=r.channel,
            invited=int(r.invited or 0),
        )
        for r in rows
    ]
    return found, total


def _tidy(texts: dict[str, str], what: str) -> dict[str, str]:
    tidy = {lang: " ".join(t.split()) for lang, t in texts.items() if t.strip()}
    if not tidy:
        raise ValueError(f"{what} needs words in at least one language")
    if any(len(t) > MAX_TEXT for t in tidy.values()):
        raise ValueError(f"{what} is at most {MAX_TEXT} characters in each language")
    return tidy


async def create_invitation(
    conn: AsyncConnection, *, texts: dict[str, str], next_step: dict[str, str], actor: str, now: datetime
) -> int:
    texts, next_step = _tidy(texts, "an invitation"), _tidy(next_step, "the next step")
    missing = [lang for lang in texts if lang not in next_step]
    if missing:
        raise ValueError(f"the next step needs words in {', '.join(missing)} too")
    added = await conn.execute(
        insert(LoopInvitation)
        .values(texts=texts, next_step=next_step, created_by=actor[:254], created_at=now, invited=0)
        .returning(LoopInvitation.id)
    )
    return int(added.scalar_one())


async def invitations(conn: AsyncConnection, *, limit: int = 50) -> list[Invitation]:
    rows = (
        await conn.execute(
            select(*LoopInvitation.__table__.c).order_by(LoopInvitation.created_at.desc()).limit(limit)
        )
    ).all()
    answers: dict[int, dict[str, int]] = {}
    for invitation_id, answer, n in await conn.execute(invitation_answers()):
        answers.setdefault(invitation_id, {})[answer] = int(n)
    return [
        Invitation(r.id, dict(r.texts), dict(r.next_step), r.created_by, r.created_at, r.invited,
                   answers.get(r.id, {}))
        for r in rows
    ]
