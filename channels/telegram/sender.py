"""Messages to one Telegram chat through PTB's real `Bot`: the outbox's Sender, and direct replies.

Each question goes out as its text with an inline keyboard, one big emoji + word button a row, after
its symbol card when `symbol_image(name)` gives a picture. A card is uploaded once a process: Telegram
answers with a file id, and later sends name that instead of the bytes.

A send is several Bot API calls (intro, card, question). If one fails half way, the parts already
delivered are remembered against the outbox id, so the dispatcher's retry carries on from the part
that failed instead of sending the person the first ones twice (within this process; another process
taking over the retry may repeat them, the outbox's promise of at most what was in flight).

The dispatcher holds the rate limits across processes; `rate_per_second` (overall) and
`per_address_rate_per_second` (one chat) tell it Telegram's: about 30 messages a second, 1 a chat.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, TelegramError

from bot.messages import Outbound
from channels.base import SendFailed, Sent
from channels.telegram.api import TelegramApi
from channels.telegram.buttons import ButtonCodec
from channels.telegram.errors import failure_from
from channels.telegram.render import TelegramMessage, render_telegram

log = logging.getLogger("said.telegram")

SymbolImage = Callable[[str], bytes | None]
REMEMBERED_SENDS = 10_000  # outbox ids whose partly delivered sends are remembered


class TelegramSender:
    channel = "telegram"

    def __init__(
        self,
        api: TelegramApi,
        buttons: ButtonCodec,
        *,
        symbol_image: SymbolImage | None = None,
        rate_per_second: float = 30.0,
        per_address_rate_per_second: float = 1.0,
    ) -> None:
        if rate_per_second <= 0 or per_address_rate_per_second <= 0:
            raise ValueError("the messages-per-second rates must be more than 0")
        self.api = api
        self.buttons = buttons
        self.symbol_image = symbol_image
        self.rate_per_second = rate_per_second
        self.per_address_rate_per_second = per_address_rate_per_second
        self._card_ids: dict[str, str] = {}  # symbol name -> Telegram file id of its uploaded card
        self._delivered: OrderedDict[int, int] = OrderedDict()  # outbox id -> parts already sent
        self._upload_locks: dict[str, asyncio.Lock] = {}  # symbol name -> held while its card uploads
        self._locks_loop: asyncio.AbstractEventLoop | None = None

    def __repr__(self) -> str:
        return f"TelegramSender(rate_per_second={self.rate_per_second})"

    async def aclose(self) -> None:
        """Close the Bot's HTTP connections (at shutdown)."""
        await self.api.aclose()

    async def send(self, address: str, messages: list[Outbound], *, outbox_id: int) -> Sent:
        chat_id = _chat_id(address)
        parts = render_telegram(messages)
        if not parts:
            raise SendFailed("the message has no text to send", retryable=False)
        done = self._delivered.pop(outbox_id, 0)
        sent_ids: list[int] = []
        try:
            sent_ids = await self.deliver(chat_id, parts, skip=done, progress=lambda n: self._remember(outbox_id, n))
        except TelegramError as exc:
            raise failure_from(exc) from None
        self._delivered.pop(outbox_id, None)
        log.info("outbox %d sent by telegram: %d message(s)", outbox_id, len(sent_ids))
        return Sent(provider_id=str(sent_ids[-1]) if sent_ids else None)

    async def send_reply(self, chat_id: int, messages: Sequence[Outbound]) -> bool:
        """Send a reply straight away (the outbox could not take it). False when Telegram refused."""
        try:
            await self.deliver(chat_id, render_telegram(messages))
        except TelegramError as exc:
            log.warning("telegram direct reply not sent: %s", failure_from(exc).reason)
            return False
        return True

    async def deliver(
        self, chat_id: int, parts: list[TelegramMessage], *, skip: int = 0,
        progress: Callable[[int], None] | None = None,
    ) -> list[int]:
        """Send each part (its card first, when it has one); returns the message ids Telegram gave.

        `skip` parts (cards count as parts) were delivered by an earlier try; `progress(n)` is told
        after each one, so a failure part way can be resumed."""
        bot = self.api.bot()
        step = 0
        sent: list[int] = []
        for part in parts:
            image = await self._card(part.symbol)
            if image is not None:
                if step >= skip:
                    sent.append(await self._send_card(chat_id, part.symbol or "", image))
                step += 1
                if progress:
                    progress(step)
            if step >= skip:
                markup = self.keyboard(part)
                message = await bot.send_message(chat_id=chat_id, text=part.text, reply_markup=markup)
                sent.append(message.message_id)
            step += 1
            if progress:
                progress(step)
        return sent

    def keyboard(self, part: TelegramMessage) -> InlineKeyboardMarkup | None:
        if not part.buttons:
            return None
        rows = [
            [InlineKeyboardButton(button.label, callback_data=self.buttons.encode(button.question_id, button.value))]
            for button in part.buttons
        ]
        return InlineKeyboardMarkup(rows)

    async def _card(self, symbol: str | None) -> bytes | str | None:
        """The card to show for `symbol`: its file id once uploaded, its PNG bytes before, or None."""
        if symbol is None or self.symbol_image is None:
            return None
        if symbol in self._card_ids:
            return self._card_ids[symbol]
        try:
            # Drawing a card (SVG to PNG) or reading one takes long enough to hold up every other
            # webhook and send in this process, so it happens in a worker thread.
            return await asyncio.to_thread(self.symbol_image, symbol)
        except OSError:
            log.warning("symbol card for %s could not be read; sending the question without it", symbol)
            return None

    async def _send_card(self, chat_id: int, symbol: str, image: bytes | str) -> int:
        if isinstance(image, bytes):
            # The first sends of a card wait for one upload, then use its file id: a broadcast
            # starting a pack would otherwise upload the same picture for everyone in flight.
            async with self._upload_lock(symbol):
                image = self._card_ids.get(symbol, image)
                return await self._send_photo(chat_id, symbol, image)
        return await self._send_photo(chat_id, symbol, image)

    async def _send_photo(self, chat_id: int, symbol: str, image: bytes | str) -> int:
        bot = self.api.bot()
        try:
            message = await bot.send_photo(chat_id=chat_id, photo=image)
        except BadRequest:
            if not isinstance(image, str):
                raise
            # The file id went stale (a new bot token, a cleared self-hosted server): upload again.
            self._card_ids.pop(symbol, None)
            fresh = await self._card(symbol)
            if fresh is None or isinstance(fresh, str):
                raise
            message = await bot.send_photo(chat_id=chat_id, photo=fresh)
        self._keep_file_id(symbol, message)
        return message.message_id

    def _upload_lock(self, symbol: str) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._locks_loop is not loop:  # an asyncio lock belongs to one event loop
            self._upload_locks, self._locks_loop = {}, loop
        return self._upload_locks.setdefault(symbol, asyncio.Lock())

    def _keep_file_id(self, symbol: str, message: Message) -> None:
        if message.photo:
            self._card_ids[symbol] = message.photo[-1].file_id  # the largest size Telegram made

    def _remember(self, outbox_id: int, parts_done: int) -> None:
        self._delivered[outbox_id] = parts_done
        self._delivered.move_to_end(outbox_id)
        while len(self._delivered) > REMEMBERED_SENDS:
            self._delivered.popitem(last=False)


def _chat_id(address: str) -> int:
    try:
        return int(address.strip())
    except ValueError:
        raise SendFailed("the Telegram address is not a chat id", retryable=False) from None
