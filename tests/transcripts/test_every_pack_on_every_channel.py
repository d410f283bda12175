"""Every shipped pack walked to its end on every channel it is offered on, in English and Welsh, shown
as that channel really shows it: the hint fits the channel (tap on the web and Telegram, numbers or
YES/NO by text, nothing sent, typed or tapped on the phone), and a pack is never started on a channel
it is not made for."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.app.terminal_chat import preview
from bot.content.packs.library import SHIPPED_PROMPTS, PackLibrary, Symbols, SystemTexts
from bot.content.packs.model import Kind, Pack
from bot.content.words import loop_words
from bot.engine.context import Context
from bot.engine.engine import handle
from bot.engine.state import Conversation
from bot.hours import WeeklyHours
from bot.messages import Ask, Channel, Inbound, Reply
from bot.safeguarding.loading import shipped_safeguarding

LIBRARY = PackLibrary.load(SHIPPED_PROMPTS)
TEXTS = SystemTexts.load(SHIPPED_PROMPTS)
SYMBOLS = Symbols.load(SHIPPED_PROMPTS)
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)
CASES = [(pack.id, channel, language) for pack in LIBRARY.all() for channel in Channel
         for language in pack.languages if pack.offered_on(channel)]
NOT_OFFERED = [(pack.id, channel) for pack in LIBRARY.all() for channel in Channel if not pack.offered_on(channel)]
TAP_HINT = {
    "en": "Tap an answer or type it.", "cy": "Tapiwch ateb neu ei deipio.", "cy_ti": "Tapia ateb neu teipia fo."
}
NOT_ON_THE_PHONE = re.compile(r"\b(send|type|typing|tap|teipiwch|anfonwch|tapiwch)\b", re.IGNORECASE)


class Walk:
    def __init__(self, channel: Channel, language: str) -> None:
        self.channel, self.conversation, self.count = channel, Conversation(language=language), 0

    def send(self, text: str = "", *, choice: str | None = None, start_pack: str | None = None) -> Reply:
        self.count += 1
        ctx = Context(now=NOW, library=LIBRARY, texts=TEXTS, symbols=SYMBOLS,
                      office_hours=WeeklyHours.parse("Mon-Fri 09:00-17:00", LONDON), timezone=LONDON,
                      new_id=f"sub-{self.count}", safeguarding=shipped_safeguarding(), loop_words=loop_words())
        message = Inbound(text=text, channel=self.channel, received_at=NOW, choice=choice, start_pack=start_pack)
        step = handle(self.conversation, message, ctx)
        self.conversation = Conversation.from_dict(step.conversation.to_dict())
        return step.reply


def _informal(pack: Pack) -> bool:
    return pack.audience.value in ("child", "young_person", "learning_disability")


def _check_hints(pack: Pack, channel: Channel, language: str, reply: Reply) -> None:
    shown = preview(channel.value, reply)
    where = f"{pack.id} on {channel} ({language}):\n{shown}"
    if channel is Channel.VOICE:
        assert not NOT_ON_THE_PHONE.search(shown), where
        return
    for ask in (m for m in reply.messages if isinstance(m, Ask)):
        if channel in (Channel.WEB, Channel.TELEGRAM):
            if ask.choices:
                key = "cy_ti" if language == "cy" and _informal(pack) and ask.question_id != "menu" else language
                assert TAP_HINT[key] in shown, where
            assert "Reply" not in shown and "Atebwch" not in shown, where
        elif ask.kind == "yesno":
            assert ("Reply YES or NO." in shown) or ("IE neu NA." in shown), where
            assert not re.search(r"^[12] ", shown, re.MULTILINE), f"no numbers beside yes and no: {where}"
        elif ask.choices:
            keys = ", ".join(c.key for c in ask.choices[:-1])
            assert keys in ask.hint and ask.choices[-1].key in ask.hint, where
            assert all(f"{c.key} {c.label}" in shown for c in ask.choices), where


@pytest.mark.parametrize(("pack_id", "channel", "language"), CASES, ids=lambda v: str(v))
def test_a_pack_on_its_channel_says_how_to_answer_in_that_channels_words(
    pack_id: str, channel: Channel, language: str
) -> None:
    pack = LIBRARY.get(pack_id)
    assert pack is not None
    walk = Walk(channel, language)
    reply = walk.send(start_pack=pack_id)
    _check_hints(pack, channel, language, reply)
    reply = walk.send(choice="yes")
    for _ in range(len(pack.questions) + 2):
        _check_hints(pack, channel, language, reply)
        if reply.ended:
            break
        ask = [m for m in reply.messages if isinstance(m, Ask)][-1]
        question = pack.question(ask.question_id)
        assert question is not None, f"{pack_id} on {channel}: expected a question, got {ask.question_id}"
        if question.kind is Kind.TEXT:
            reply = walk.send("It was fine")
        elif question.kind is Kind.NUMBER:
            reply = walk.send(str(question.min))
        else:
            reply = walk.send(choice=ask.choices[0].value)
    assert reply.ended, f"{pack_id} on {channel} did not end"


@pytest.mark.parametrize(("pack_id", "channel"), NOT_OFFERED, ids=lambda v: str(v))
def test_a_pack_is_not_started_on_a_channel_it_is_not_made_for(pack_id: str, channel: Channel) -> None:
    pack = LIBRARY.get(pack_id)
    assert pack is not None
    walk = Walk(channel, "en")
    for reply in (walk.send(pack.keywords[0]), walk.send(start_pack=pack_id)):
        asks = [m for m in reply.messages if isinstance(m, Ask)]
        assert not any(a.question_id == "consent" for a in asks), f"{pack_id} started on {channel}"
    menu = [m for m in walk.send("MENU").messages if isinstance(m, Ask)]
    assert menu and pack_id not in [c.value for c in menu[-1].choices]
