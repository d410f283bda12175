"""Everything the engine needs from outside, passed in so that the engine itself does no I/O.

The host (bot/app/service.py) loads the packs, texts and safeguarding lists once at start-up and reads the
person's last "You said, we did" question from storage; the engine only sees these values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.content.meanings import Meanings, shipped_meanings
from bot.content.packs.library import PackLibrary
from bot.content.packs.symbols import Symbols
from bot.content.packs.texts import SystemTexts
from bot.content.words import Words
from bot.hours import WeeklyHours
from bot.safeguarding.loading import Safeguarding


class LoopQuestion(Protocol):
    """The one-tap question we last sent a person ("Was this helpful?", an invitation), as the engine reads it.

    Storage's `storage.loop.records.LoopQuestion` is one; the engine never imports storage.
    `asked_at` is when it reached them; when they chose 👎 or "tell us more" it is when they did, and
    `wants_words` says their next message is the words.
    """

    @property
    def contact_id(self) -> int: ...
    @property
    def kind(self) -> str: ...  # followup | invitation
    @property
    def language(self) -> str: ...
    @property
    def asked_at(self) -> datetime: ...
    @property
    def answer(self) -> str | None: ...
    @property
    def wants_words(self) -> bool: ...
    @property
    def next_step(self) -> str | None: ...  # invitation: what the bot says after YES
    @property
    def closed(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Handover:
    """An open case the bot has stepped aside for: a person from the team is replying (bot/engine/handover.py)."""

    case_id: int
    waiting_for_them: bool  # staff replied last, so this message is the person's answer


@dataclass(frozen=True)
class Context:
    now: datetime  # aware; the host's clock, so tests can be at any time
    library: PackLibrary
    texts: SystemTexts
    symbols: Symbols
    office_hours: WeeklyHours
    timezone: ZoneInfo
    new_id: str  # a fresh uuid, used if this step starts a submission
    # Risk phrase lists and signposting: the shipped ones or a deployment's own, loaded by the host.
    safeguarding: Safeguarding
    # The words of "You said, we did" (prompts/loop.yaml), loaded by the host.
    loop_words: Words
    expiry: timedelta = timedelta(days=14)  # an open submission untouched this long is abandoned
    default_language: str = "en"
    resume_after: timedelta = timedelta(hours=6)  # after this long away a person is welcomed back
    service_name: str = "the team"  # who runs the service, named in HELP (setting SAID_SERVICE_NAME)
    # The service's name in other languages (SAID_SERVICE_NAME_CY): HELP in Welsh names it in Welsh.
    service_names: Mapping[str, str] = field(default_factory=dict)
    # What people's words for an answer mean (prompts/meanings/), loaded by the host; the shipped ones (read once
    # and kept) when a caller such as a test passes none.
    meanings: Meanings = field(default_factory=shipped_meanings)
    # How positive a reply sounds, -1 to 1 (English only): one signal on a feeling question when nothing
    # else is understood, and always asked back. None: not used.
    sentiment: Callable[[str], float] | None = None
    # The last "You said, we did" question sent to this person ("Was this helpful?", an invitation).
    loop_question: LoopQuestion | None = None
    # The open case a person from the team is answering, if any: the person's messages go to it.
    handover: Handover | None = None

    def service_name_in(self, language: str) -> str:
        return self.service_names.get(language) or self.service_name
