"""Whether a person may have an open one-tap question or a handover, asked inside their arrival.

Every message used to read both in statements of their own (storage/loop/contacts.py `open_question`,
storage/cases/cases.py `handover_of`), two round trips each message on PostgreSQL, when almost nobody has
either. These two EXISTS ride along in the statement that finds the person
(storage/conversations/participants.py); the unit of work then skips a read whose answer is "none" already
(storage/conversations/unit.py). Each mirrors the read it stands in for: change one, change both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, bindparam, exists, literal_column

from storage.cases.tables import Case
from storage.loop.contacts import OUTBOX_KIND
from storage.models import OutboxMessage
from storage.types import UTCDateTime

# The person's id, spelt out with its table: inside SQLite's RETURNING, SQLAlchemy writes a column without
# its table, and a bare `id` in a subquery on outbox or cases would be that table's own id.
PERSON_ID = literal_column("participants.id", Integer)

# storage.loop.contacts._SENT_LATELY, for this person: a one-tap question reached them since `b_loop_since`.
QUESTION_SENT = (
    exists()
    .where(
        OutboxMessage.participant_id == PERSON_ID,
        OutboxMessage.kind == OUTBOX_KIND,
        # The two statuses written into the SQL, not as a list of values: SQLAlchemy binds a list IN by
        # re-rendering the statement's SQL on every execution, once a message on this path.
        OutboxMessage.status.in_((literal_column("'sent'"), literal_column("'delivered'"))),
        OutboxMessage.sent_at >= bindparam("b_loop_since", type_=UTCDateTime()),
    )
    .label("question_sent")
)
# storage.cases.cases._HANDOVER, for this person: an open case the bot stepped aside for.
HANDOVER_OPEN = (
    exists()
    .where(Case.participant_id == PERSON_ID, Case.handover.is_(True), Case.status != "closed")
    .label("handover_open")
)


@dataclass(frozen=True, slots=True)
class Nearby:
    """What the arrival saw: a one-tap question sent since `question_since`, an open handover."""

    question_since: datetime
    question_sent: bool
    handover_open: bool

    def rules_out_question(self, since: datetime) -> bool:
        """True when no question can have reached the person since `since` (a window the arrival covered)."""
        return not self.question_sent and since >= self.question_since
