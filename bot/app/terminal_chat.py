"""`said chat`: talk to the bot in the terminal, rendered as a chosen channel would show it."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.app.settings import load_settings
from bot.messages import Channel, Inbound, Reply

# A number from Ofcom's range kept for drama: it can never reach a real person.
TERMINAL_ADDRESSES = {"sms": "+447700900123", "voice": "+447700900123", "telegram": "100000001", "web": "terminal"}


def preview(channel: str, reply: Reply, *, sms_plain: bool = True) -> str:
    if channel == "telegram":
        from channels.telegram.render import preview_telegram

        return preview_telegram(reply)
    if channel == "voice":
        from channels.twilio_voice.render import preview_voice

        return preview_voice(reply)
    if channel == "web":
        from channels.webchat.preview import render_text

        return render_text(reply)
    from channels.twilio_sms.render import render_sms

    return render_sms(reply, plain=sms_plain)


async def run_chat(channel: str, pack: str | None, *, store: bool, scratch: Path) -> int:
    from bot.app.wiring import build_parts
    from storage.privacy.vault import Keys

    overrides: dict[str, object] = {"scheduler": False}
    if not store:
        # A throwaway database, so trying the bot never mixes with real answers.
        overrides |= {"database_url": f"sqlite+aiosqlite:///{scratch / 'chat.db'}", "demo": True,
                      "var_dir": scratch}
    settings = load_settings(**overrides)
    parts = build_parts(settings)
    await parts.database.migrate(vault_key=Keys.from_secret(settings.secret()).vault_key)
    address = TERMINAL_ADDRESSES[channel]
    plain = settings.sms_plain_text
    print(f"Talking to Said & Done as {channel}. Type QUIT to leave (Ctrl-D works too).\n")
    try:
        if pack:
            first = Inbound(text="", channel=Channel(channel), received_at=datetime.now(UTC), start_pack=pack)
            print(preview(channel, await parts.service.handle(Channel(channel), address, first), sms_plain=plain), "\n")
        else:
            print(preview(channel, await parts.service.menu(None, Channel(channel)), sms_plain=plain), "\n")
        while True:
            try:
                line = input("you> ")
            except EOFError:
                break
            if line.strip().upper() == "QUIT":
                break
            message = Inbound(text=line, channel=Channel(channel), received_at=datetime.now(UTC))
            reply = await parts.service.handle(Channel(channel), address, message)
            print(preview(channel, reply, sms_plain=plain), "\n", file=sys.stdout)
    finally:
        await parts.database.dispose()
    return 0
