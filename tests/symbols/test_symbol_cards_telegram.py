"""A Telegram question goes after its symbol card: `SymbolPictures.card` wired into the real sender,
through python-telegram-bot's real `Bot`, to the fake Bot API (which refuses anything but a picture)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from png_pixels import decode

from bot.content.easyread.sent import PackMessages
from bot.content.packs.library import PackLibrary
from bot.content.packs.symbols import Symbols
from bot.content.packs.yamlfile import SHIPPED_PROMPTS
from bot.content.symbols import SymbolPictures
from channels.telegram.api import TelegramApi
from channels.telegram.buttons import ButtonCodec
from channels.telegram.sender import TelegramSender

try:  # tests/ is not a package: `fakes` is importable from it
    from fakes.telegram_api import FakeTelegram
except ImportError:  # tests/ became a package
    from tests.fakes.telegram_api import FakeTelegram

CHAT = 424242


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as running:
        yield running


async def test_a_question_goes_after_its_card(fake: FakeTelegram, pictures: SymbolPictures) -> None:
    fake.reset()
    given: dict[str, bytes | None] = {}

    def symbol_image(name: str) -> bytes | None:
        given[name] = pictures.card(name)
        return given[name]

    api = TelegramApi(fake.token, base_url=fake.base_url)
    sender = TelegramSender(api, ButtonCodec(b"k" * 32), symbol_image=symbol_image)
    pack = PackLibrary.load(SHIPPED_PROMPTS).get("demo")
    assert pack is not None
    ask = PackMessages(pack, SHIPPED_PROMPTS, Symbols.load(SHIPPED_PROMPTS)).question(pack.questions[0], "en")
    try:
        assert await sender.send_reply(CHAT, [ask])
    finally:
        await api.aclose()
    sent = fake.sent(CHAT)
    assert [call.method for call in sent] == ["sendPhoto", "sendMessage"]
    assert all(call.status == 200 for call in sent), "Telegram took the card as a picture"
    assert ask.symbol == "star" and list(given) == ["star"]
    card = given["star"]
    assert card is not None
    image = decode(card)
    yellow = sum(1 for r, g, b, _ in image.pixels() if r > 200 and g > 180 and b < 100)
    assert yellow > image.width * image.height // 10, "the card shows the yellow star"
    assert "How was your last visit?" in sent[1].params["text"]
