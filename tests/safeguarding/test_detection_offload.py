"""Long messages are read for risk away from the event loop, and get the same help as short ones."""

from __future__ import annotations

import asyncio

import pytest

from bot.safeguarding.finding import Level
from bot.safeguarding.loading import shipped_safeguarding
from bot.safeguarding.offload import DetectionPool, Remembered

LONG_WORRY = ("We have waited a long time and the letters keep changing. " * 8) + "Honestly I want to die."


@pytest.fixture(scope="module")
def detector():
    return shipped_safeguarding().detector


async def test_a_long_message_read_in_the_worker_finds_what_reading_it_here_finds(detector):
    pool = DetectionPool(None, processes=1, inline_up_to=100, wait=60)
    try:
        finding = await pool.detect(detector, LONG_WORRY)
    finally:
        pool.close()
    assert finding == detector.detect(LONG_WORRY)
    assert finding.level is Level.URGENT


async def test_the_event_loop_keeps_running_while_a_long_message_is_read(detector):
    pool = DetectionPool(None, processes=0, inline_up_to=10)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    running = asyncio.create_task(ticker())
    crafted = ("i, " * 1400)[:4000]
    finding = await pool.detect(detector, crafted)
    running.cancel()
    assert finding == detector.detect(crafted)
    assert ticks > 1  # other work ran while the text was read


async def test_a_broken_worker_still_gets_the_message_read(detector):
    pool = DetectionPool(None, processes=1, inline_up_to=10, wait=60)
    try:
        await pool.detect(detector, LONG_WORRY)  # the worker is up
        for process in list(pool._pool._processes.values()):
            process.kill()  # as if the system had killed it
            process.join()
        finding = await pool.detect(detector, LONG_WORRY)
        again = await pool.detect(detector, LONG_WORRY)  # and the pool came back
    finally:
        pool.close()
    assert finding.level is Level.URGENT
    assert again.level is Level.URGENT


def test_the_remembered_finding_is_used_only_for_its_own_text(detector):
    remembered = Remembered(detector, "some text", detector.detect("i want to die"))
    assert remembered.detect("some text").level is Level.URGENT
    assert not remembered.detect("thank you").risky
