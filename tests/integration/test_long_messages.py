"""A long message is read for risk in the worker process and gets exactly the help a short one gets."""

from __future__ import annotations

from bot.messages import Channel, Inbound

LONG_WORRY = ("We have waited a long time and the letters keep changing. " * 8) + "Honestly I want to die."


def _texts(reply) -> list[str]:
    return [m.text for m in reply.messages]


async def test_a_long_risky_message_gets_help_first_and_raises_an_alert(parts, clock):
    service = parts.service
    assert service.detection is not None and len(LONG_WORRY) > service.detection.inline_up_to
    service.detection.wait = 60  # a slow CI machine: the first use starts the worker
    try:
        reply = await service.handle(
            Channel.SMS, "+447700900321", Inbound(text=LONG_WORRY, channel=Channel.SMS, received_at=clock())
        )
    finally:
        service.detection.close()
    assert service.alerts_raised == 1
    # Read inline, by a service without the worker, the same message gets the same words.
    service.detection = None
    clock.advance(seconds=1)
    same = await service.handle(
        Channel.SMS, "+447700900322", Inbound(text=LONG_WORRY, channel=Channel.SMS, received_at=clock())
    )
    assert _texts(reply) == _texts(same)
    assert service.alerts_raised == 2
