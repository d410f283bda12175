"""Where the time of one web chat answer goes: the real app, in this process, under cProfile.

    python -m bench.profile_webchat [ANSWERS] [DATABASE_URL]

Simulated people (a cookie each) open /chat, start the demo pack and answer through the JavaScript path
(Accept: application/json), as bench/load.py's web chat bench does, straight into the ASGI app (no sockets).
Prints the time an answer and the share of own time by area, then the functions with the most cumulative time.
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import pstats
import sys
import tempfile
import time

import httpx
from starlette.applications import Starlette

from bench.load import CSRF, TURN, WEB_ANSWERS
from bench.profile_inbound import summary
from bench.sms import _settings
from bot.app.wiring import create_app
from tests.fakes.twilio_api import FakeTwilio

PEOPLE = 50


async def open_chats(app: Starlette, public_url: str, count: int) -> tuple[list[httpx.AsyncClient], list[str]]:
    """`count` simulated people (a cookie each) who open /chat and start the demo pack, all from one
    address: the callers raise the chat limits so that they are checked, not hit. Their CSRF tokens."""
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    people = [httpx.AsyncClient(transport=transport, base_url=public_url) for _ in range(count)]
    tokens: list[str] = []
    for person in people:
        page = (await person.get("/chat")).text
        token = CSRF.search(page).group(1)  # type: ignore[union-attr]
        turn = TURN.search(page)
        await person.post("/chat", data={"csrf": token, "turn": turn.group(1) if turn else "0", "start": "demo"},
                          headers={"Accept": "application/json"})
        tokens.append(token)
    return people, tokens


async def _drive(url: str, answers: int, profile: cProfile.Profile) -> float:
    with FakeTwilio() as fake:
        public_url = "http://127.0.0.1:8000"
        app = create_app(_settings(url, fake, public_url, chat_requests_per_minute=100_000,
                                   chat_posts_per_minute=100_000))
        async with app.router.lifespan_context(app):
            people, tokens = await open_chats(app, public_url, PEOPLE)

            async def answer(n: int) -> None:
                who = n % PEOPLE
                words = WEB_ANSWERS[(n // PEOPLE) % len(WEB_ANSWERS)]
                response = await people[who].post("/chat", data={"csrf": tokens[who], "text": words},
                                                   headers={"Accept": "application/json"})
                assert response.status_code == 200, response.status_code

            for n in range(PEOPLE):  # warm up: first-use imports and caches are not per-answer costs
                await answer(n)
            profile.enable()
            started = time.perf_counter()
            for n in range(answers):
                await answer(PEOPLE + n)
            elapsed = time.perf_counter() - started
            profile.disable()
            for person in people:
                await person.aclose()
    return elapsed


def main() -> None:
    answers = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/profile.db"
    profile = cProfile.Profile()
    elapsed = asyncio.run(_drive(url, answers, profile))
    print(f"{answers} answers in {elapsed:.2f} s under the profiler: {elapsed / answers * 1000:.2f} ms an answer")
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    total = sum(t for (_c, _n, t, _ct, _cl) in stats.stats.values())  # type: ignore[attr-defined]
    print("share of own time by area (%):", summary(stats, total))
    stats.sort_stats("cumulative").print_stats(r"/work/.*/(bot|channels|storage)/", 40)
    print(out.getvalue())


if __name__ == "__main__":
    main()
