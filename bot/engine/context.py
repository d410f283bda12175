"""Everything the engine needs from outside, passed in so that the engine itself does no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.content.packs.library import PackLibrary
from bot.content.packs.symbols import Symbols
from bot.content.packs.texts import SystemTexts
from bot.hours import WeeklyHours
from bot.safeguarding.loading import Safeguarding, shipped_safeguarding
from storage.loop.records import LoopQuestion


@dataclass(frozen=True)
class Context:
    now: datetime  # aware; the host's clock, so tests can be at any time
    library: PackLibrary
    texts: SystemTexts
    symbols: Symbols
    office_hours: WeeklyHours
    timezone: ZoneInfo
    new_id: str  # a fresh uuid, used if this step starts a submission
    expiry: timedelta = timedelta(days=14)  # an open submission untouched this long is abandoned
    default_language: str = "en"
    resume_after: timedelta = timedelta(hours=6)  # after this long away a person is welcomed back
    service_name: str = "the team"  # who runs the service, named in HELP (setting SAID_SERVICE_NAME)
    # Risk phrase lists and signposting; the shipped ones unless the host passes a deployment's own.
    safeguarding: Safeguarding = field(default_factory=shipped_safeguarding)
    # The last "You said, we did" question sent to this person ("Was this helpful?", an invitation).
    loop_question: LoopQuestion | None = None
