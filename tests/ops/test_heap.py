"""What start-up loads lives as long as the process: a served app hides it from full garbage collections
(which held the event loop for over 100 ms under load) and gives it back when it stops."""

from __future__ import annotations

import gc

from .conftest import Running


async def test_start_up_objects_are_frozen_while_serving_and_released_after(make_settings, run_app) -> None:
    assert gc.get_freeze_count() == 0
    async with run_app(make_settings()) as running:
        running: Running
        assert gc.get_freeze_count() > 100_000, "the prompts, lists and models loaded at start-up"
        assert (await running.http.get("/healthz")).status_code == 200
    assert gc.get_freeze_count() == 0
