"""The tick each scheduled job last ran for, claimed by one process (storage/scheduling/ticks.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base
from storage.types import UTCDateTime


class SchedulerTick(Base):
    """One row a job: the last tick claimed, by whom and when, and how many ticks have run since `first_tick`.

    A tick is a window of the job's interval (epoch seconds // interval). With several processes each
    running the scheduler, the first to claim a window runs the job; `runs` counts claims, so
    `runs == tick - first_tick + 1` at most (a window runs once).
    """

    __tablename__ = "scheduler_ticks"

    job: Mapped[str] = mapped_column(String(64), primary_key=True)
    tick: Mapped[int] = mapped_column(BigInteger)
    first_tick: Mapped[int] = mapped_column(BigInteger)
    runs: Mapped[int] = mapped_column(BigInteger)
    claimed_by: Mapped[str] = mapped_column(String(128))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
