"""Load benchmarks for issue 15, every figure measured side by side in one run on this machine.

    python -m bench load_inbound       # signed inbound SMS: bare Starlette and said serve in interleaved rounds
    python -m bench inbound_cpu        # the server process's own CPU time a signed inbound text (compare code by it)
    python -m bench load_webchat       # web chat replies at a steady 100 a second, three rounds
    python -m bench load_slow_input    # everyone's web chat latency, with and without one client sending crafted
                                       # 2,000-character messages as fast as it can
    python -m bench load_two_processes # PostgreSQL: said serve --workers 2 against one process

Servers run in their own processes (`said serve`, or uvicorn for the bare endpoint); this process only sends,
with aiohttp, requests built and signed before the clock starts. The bare endpoint parses the same signed form
and answers the same TwiML, with no signature check, database or engine: the ceiling for this machine and
this load generator. Capacity is a closed loop (a fixed number of requests in flight); steady rates are an
open loop (requests start on schedule whether or not earlier ones have finished, so a slow server shows as
latency, not as a lower rate). Load average is recorded with each round: the machine may be shared, so
a figure is the median of several rounds, and a ratio is taken within a round, never across rounds.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import httpx
from twilio.request_validator import RequestValidator

from tests.fakes.twilio_webhooks import inbound_form

ROOT = Path(__file__).resolve().parents[1]
OUR_NUMBER = "+447700900999"
# The app refuses a weak key; this one is strong and public, for benchmarks only.
BENCH_KEY = "bench-secret-key-not-for-real-use-Xk7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js"
ACCOUNT = "AC" + "0" * 32
TOKEN = "bench-twilio-auth-token"
SCRIPT = ["DEMO", "yes", "1", "2", "Kind staff, long wait", "3", "yes"]
SMS_PATH = "/webhooks/twilio/sms"
CSRF = re.compile(r'name="csrf"\s+value="([^"]+)"')
TURN = re.compile(r'name="turn"\s+value="(\d+)"')
WEB_ANSWERS = ["yes", "1", "2", "yes", "3", "Fine, thank you", "DEMO"]
# The slowest text we know of for the free-text readers (clauses split by commas), at the web chat's limit.
CRAFTED = ("i, " * 700)[:2000]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# One load generator is one client address sending far more than one person would: the web chat's limits
# (still checked on every request, as in production) are raised so that they measure instead of refusing.
UNLIMITED_CHAT = {"SAID_CHAT_REQUESTS_PER_MINUTE": "100000", "SAID_CHAT_POSTS_PER_MINUTE": "100000"}


def _load() -> float:
    return round(os.getloadavg()[0], 2)


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _wait(base: str, process: subprocess.Popen[bytes], path: str = "/healthz") -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server stopped while starting")
        try:
            if httpx.get(base + path, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start within 120 s")


def serve(database_url: str, *, workers: int = 1, public_port: int | None = None, root: Path = ROOT,
          **env: str) -> Server:
    """The real `said serve` in its own process, Twilio configured (its API is never called by these benches).
    `root`: the checkout whose code it runs (another one: to compare two versions side by side)."""
    port = public_port or _free_port()
    base = f"http://127.0.0.1:{port}"
    environment = {
        **os.environ, "SAID_DATABASE_URL": database_url, "SAID_SECRET_KEY": BENCH_KEY,
        "SAID_VAR_DIR": tempfile.mkdtemp(), "SAID_PUBLIC_URL": base, "TWILIO_ACCOUNT_SID": ACCOUNT,
        "TWILIO_AUTH_TOKEN": TOKEN, "TWILIO_PHONE_NUMBER": OUR_NUMBER, "TWILIO_API_BASE_URL": "http://127.0.0.1:9",
        **env,
    }
    args = [sys.executable, "-m", "bot.app.cli", "serve", "--port", str(port)]
    if workers > 1:
        args += ["--workers", str(workers)]
    process = subprocess.Popen(args, env=environment, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait(base, process)
    return Server(process, base)


def serve_bare() -> Server:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--port", str(port), "--log-level", "warning",
         "--no-access-log"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    _wait(base, process, "/healthz")
    return Server(process, base)


def signed_texts(base: str, count: int, first_person: int = 0) -> list[tuple[dict[str, str], dict[str, str]]]:
    """`count` inbound texts as Twilio signs them: each person walks the demo pack, one text after another."""
    validator = RequestValidator(TOKEN)
    url = base + SMS_PATH
    out = []
    people = max(1, count // len(SCRIPT) + 1)
    for n in range(count):
        # Person p's k-th text is text k*people + p, so nobody has two in flight unless the server is far behind.
        person, step = first_person + n % people, n // people
        form = inbound_form(f"+4477{person:08d}", OUR_NUMBER, SCRIPT[step % len(SCRIPT)], sid=f"SM{n:032x}",
                            account_sid=ACCOUNT)
        out.append((form, {"X-Twilio-Signature": validator.compute_signature(url, form)}))
    return out


def _figures(latencies: list[float], elapsed: float, errors: int) -> dict[str, float]:
    latencies = sorted(latencies)
    if not latencies:
        return {"errors": errors}
    return {
        "per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000, 1),
        "errors": errors,
    }


async def closed_loop(send: Callable[[int], Awaitable[None]], total: int, concurrency: int) -> dict[str, float]:
    """`total` requests with `concurrency` in flight at once: the most the server answers a second."""
    queue = iter(range(total))
    latencies: list[float] = []
    errors = 0

    async def worker() -> None:
        nonlocal errors
        for n in queue:
            started = time.perf_counter()
            try:
                await send(n)
            except Exception:
                errors += 1
                continue
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return _figures(latencies, time.perf_counter() - started, errors)


async def open_loop(send: Callable[[int], Awaitable[None]], rate: float, seconds: float) -> dict[str, float]:
    """One request every 1/rate seconds for `seconds`, on schedule whatever the server is doing."""
    total = int(rate * seconds)
    latencies: list[float] = []
    errors = 0
    started = time.perf_counter()

    async def one(n: int) -> None:
        nonlocal errors
        await asyncio.sleep(max(0.0, started + n / rate - time.perf_counter()))
        begun = time.perf_counter()
        try:
            await send(n)
        except Exception:
            errors += 1
            return
        latencies.append(time.perf_counter() - begun)

    await asyncio.gather(*(one(n) for n in range(total)))
    figures = _figures(latencies, time.perf_counter() - started, errors)
    figures["target_per_second"] = rate
    return figures


def _session(limit: int = 64) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=limit), timeout=aiohttp.ClientTimeout(total=60),
        cookie_jar=aiohttp.DummyCookieJar(),
    )


def sms_sender(session: aiohttp.ClientSession, base: str, texts: list[Any]) -> Callable[[int], Awaitable[None]]:
    async def send(n: int) -> None:
        form, headers = texts[n]
        async with session.post(base + SMS_PATH, data=form, headers=headers) as response:
            body = await response.text()
            if response.status != 200 or "<Response" not in body:
                raise RuntimeError(f"webhook answered {response.status}")

    return send


async def _inbound_on(base: str, *, capacity_total: int, steady_rate: float | None, steady_seconds: float,
                      concurrency: int) -> dict[str, float]:
    texts = signed_texts(base, capacity_total + int((steady_rate or 0) * steady_seconds) + 10, first_person=0)
    async with _session() as session:
        send = sms_sender(session, base, texts)
        for n in range(10):  # warm up: connections, first-use caches
            await send(n)
        out = {f"capacity_{k}": v for k, v in (await closed_loop(lambda n: send(n + 10), capacity_total,
                                                                    concurrency)).items()}
        if steady_rate:
            offset = 10 + capacity_total
            steady = await open_loop(lambda n: send(n + offset), steady_rate, steady_seconds)
            out |= {f"steady_{k}": v for k, v in steady.items()}
    return out


@dataclass
class _Inbound:
    """One server's pre-signed texts and how many are used, so each round goes on where the last stopped."""

    server: Server
    texts: list[tuple[dict[str, str], dict[str, str]]]
    sent: int = 0

    def take(self, count: int) -> int:
        first, self.sent = self.sent, self.sent + count
        if self.sent > len(self.texts):
            raise RuntimeError("not enough signed texts for this many rounds")
        return first


async def _capacity(session: aiohttp.ClientSession, target: _Inbound, total: int, concurrency: int) -> float:
    send = sms_sender(session, target.server.base, target.texts)
    first = target.take(total)
    figures = await closed_loop(lambda n: send(first + n), total, concurrency)
    if figures.get("errors"):
        raise RuntimeError(f"{figures['errors']} inbound requests failed")
    return figures["per_second"]


async def run_inbound(database_url: str, concurrency: int = 8, rounds: int = 5, said_per_round: int = 1500,
                      bare_per_round: int = 6000, steady_seconds: float = 15.0) -> dict[str, Any]:
    """Signed inbound SMS a second against the bare endpoint, in interleaved rounds on one machine.

    Both servers run for the whole bench; each round measures the bare endpoint and `said serve` one right
    after the other (which goes first alternates, so a drift in the machine's load favours neither), and the
    figure is the median of the rounds' own ratios: a busy moment lowers both figures of its round, not one
    of them. The load average is recorded with every round. Then a steady 200 a second on said alone."""
    out: dict[str, Any] = {"load_average_at_start": _load()}
    steady_rate = 200.0
    bare = serve_bare()
    said = serve(database_url, SAID_DETECTION_PROCESSES="1")
    try:
        warm = 10
        targets = {
            "bare": _Inbound(bare, signed_texts(bare.base, warm + rounds * bare_per_round)),
            "said": _Inbound(said, signed_texts(said.base, warm + rounds * said_per_round
                                                + int(steady_rate * steady_seconds))),
        }
        per_round = {"bare": bare_per_round, "said": said_per_round}
        table: list[dict[str, float]] = []
        async with _session() as session:
            for target in targets.values():  # warm up: connections, first-use caches
                await _capacity(session, target, warm, 1)
            for n in range(rounds):
                row: dict[str, float] = {"load_average": _load()}
                for name in ("bare", "said") if n % 2 == 0 else ("said", "bare"):
                    row[f"{name}_per_second"] = await _capacity(session, targets[name], per_round[name],
                                                                concurrency)
                row["said_percent_of_bare"] = round(100 * row["said_per_second"] / row["bare_per_second"], 1)
                print(f"  round {n + 1}/{rounds}: {row}", file=sys.stderr, flush=True)
                table.append(row)
            send = sms_sender(session, said.base, targets["said"].texts)
            first = targets["said"].take(int(steady_rate * steady_seconds))
            steady = await open_loop(lambda n: send(first + n), steady_rate, steady_seconds)
    finally:
        said.stop()
        bare.stop()
    ratios = [row["said_percent_of_bare"] for row in table]
    out["rounds"] = table
    out["said_percent_of_bare_median"] = statistics.median(ratios)
    out["said_percent_of_bare_range"] = [min(ratios), max(ratios)]
    out["said_per_second_median"] = statistics.median(row["said_per_second"] for row in table)
    out["bare_starlette_per_second_median"] = statistics.median(row["bare_per_second"] for row in table)
    out |= {f"said_steady_{k}": v for k, v in steady.items()}
    out["load_average_at_end"] = _load()
    return out


class WebPerson:
    """A browser with its own cookie, answering through the JavaScript path (Accept: application/json)."""

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.session = session
        self.base = base
        self.csrf = ""
        self.cookie = ""
        self.step = 0
        self.busy = asyncio.Lock()  # a person sends their next message once the last is answered

    async def open(self) -> None:
        async with self.session.get(self.base + "/chat") as page:
            text = await page.text()
            self.cookie = "; ".join(f"{k}={v.value}" for k, v in page.cookies.items())
        self.csrf = CSRF.search(text).group(1)  # type: ignore[union-attr]
        turn = TURN.search(text)
        await self._post({"csrf": self.csrf, "turn": turn.group(1) if turn else "0", "start": "demo"})

    async def _post(self, form: dict[str, str]) -> None:
        headers = {"Accept": "application/json", "Cookie": self.cookie}
        async with self.session.post(self.base + "/chat", data=form, headers=headers) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"web chat answered {response.status}")

    async def answer(self, text: str | None = None) -> None:
        async with self.busy:
            words = text if text is not None else WEB_ANSWERS[self.step % len(WEB_ANSWERS)]
            self.step += 1
            await self._post({"csrf": self.csrf, "text": words})


async def _crowd(base: str, session: aiohttp.ClientSession, people: int) -> list[WebPerson]:
    crowd = [WebPerson(session, base) for _ in range(people)]
    for person in crowd:
        await person.open()
    return crowd


async def run_webchat(database_url: str, rate: float = 100.0, seconds: float = 10.0, rounds: int = 3,
                      people: int = 100) -> dict[str, Any]:
    """Web chat replies at a steady `rate`, in `rounds` rounds of `seconds` each, load average with each round.

    One quiet or one busy moment on a shared machine makes one round's p99; the median round is the figure."""
    out: dict[str, Any] = {"load_average_at_start": _load()}
    table: list[dict[str, float]] = []
    server = serve(database_url, **UNLIMITED_CHAT)
    try:
        async with _session() as session:
            crowd = await _crowd(server.base, session, people)
            for n in range(rounds):
                row: dict[str, float] = {"load_average": _load()}
                row |= await open_loop(lambda n: crowd[n % people].answer(), rate, seconds)
                print(f"  round {n + 1}/{rounds}: {row}", file=sys.stderr, flush=True)
                table.append(row)
    finally:
        server.stop()
    out["rounds"] = table
    out["target_per_second"] = rate
    for key in ("per_second", "p50_ms", "p99_ms"):
        out[f"{key}_median"] = statistics.median(row.get(key, -1.0) for row in table)
    out["p99_ms_worst"] = max(row.get("p99_ms", -1.0) for row in table)
    out["errors"] = sum(row.get("errors", 0) for row in table)
    out["load_average_at_end"] = _load()
    return out


async def run_slow_input(database_url: str, rate: float = 50.0, seconds: float = 15.0,
                         people: int = 60) -> dict[str, float]:
    """Everyone else's web chat latency, first alone, then while one client sends crafted messages non-stop."""
    out: dict[str, float] = {"load_average_at_start": _load(), "crafted_characters": len(CRAFTED)}
    server = serve(database_url, SAID_DETECTION_PROCESSES="1", **UNLIMITED_CHAT)
    try:
        async with _session() as session:
            crowd = await _crowd(server.base, session, people)
            quiet = await open_loop(lambda n: crowd[n % people].answer(), rate, seconds)
            out |= {f"alone_{k}": v for k, v in quiet.items()}
            attacker = WebPerson(session, server.base)
            await attacker.open()
            crafted_latencies: list[float] = []
            stop = asyncio.Event()

            async def attack() -> None:
                while not stop.is_set():
                    started = time.perf_counter()
                    await attacker.answer(CRAFTED)
                    crafted_latencies.append(time.perf_counter() - started)

            attacking = asyncio.create_task(attack())
            await asyncio.sleep(1.0)  # the worker process has started and the attack is under way
            loud = await open_loop(lambda n: crowd[n % people].answer(), rate, seconds)
            stop.set()
            await attacking
            out |= {f"with_crafted_client_{k}": v for k, v in loud.items()}
            out["crafted_messages_sent"] = len(crafted_latencies)
            out["crafted_p50_ms"] = round(statistics.median(crafted_latencies) * 1000, 1) if crafted_latencies else -1
    finally:
        server.stop()
    out["load_average_at_end"] = _load()
    return out


async def run_two_processes(database_url: str, concurrency: int = 16, capacity_total: int = 3000,
                            steady_rate: float = 150.0, steady_seconds: float = 15.0) -> dict[str, float]:
    """PostgreSQL: one `said serve` process against `said serve --workers 2`, the same load on each."""
    if not database_url.startswith("postgresql"):
        return {"skipped": 1.0}  # SQLite runs one process
    out: dict[str, float] = {"load_average_at_start": _load(), "cpus": float(os.cpu_count() or 0)}
    for workers in (1, 2):
        await _reset(database_url)
        server = serve(database_url, workers=workers)
        try:
            figures = await _inbound_on(server.base, capacity_total=capacity_total, steady_rate=steady_rate,
                                        steady_seconds=steady_seconds, concurrency=concurrency)
        finally:
            server.stop()
        out |= {f"{workers}_process_{k}": v for k, v in figures.items()}
    out["load_average_at_end"] = _load()
    return out


async def _reset(url: str) -> None:
    from bench.__main__ import _reset_postgres

    await _reset_postgres(url)


def _cpu_seconds(pid: int) -> float:
    """CPU time a process has used (user + system): the work done, however busy the machine is. Linux only."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run_inbound_cpu(database_url: str, rounds: int = 3, per_round: int = 1500,
                          concurrency: int = 8) -> dict[str, Any]:
    """The server's own CPU time a signed inbound text (`said serve`, one process), in rounds.

    Throughput on a shared machine moves with everyone else's work; the CPU time the server process spends
    a text does not (much), so this is the figure to compare code before and after a change by. The people
    walk the demo pack as in load_inbound, so the mix of statements is the same."""
    said = serve(database_url, SAID_DETECTION_PROCESSES="1")
    per_text: list[float] = []
    try:
        target = _Inbound(said, signed_texts(said.base, 50 + rounds * per_round))
        async with _session() as session:
            await _capacity(session, target, 50, 1)  # warm up: connections, first-use caches
            for _ in range(rounds):
                cpu = _cpu_seconds(said.process.pid)
                await _capacity(session, target, per_round, concurrency)
                per_text.append(round((_cpu_seconds(said.process.pid) - cpu) * 1000 / per_round, 3))
    finally:
        said.stop()
    return {"server_cpu_ms_a_text_rounds": per_text, "server_cpu_ms_a_text_median": statistics.median(per_text),
            "load_average": _load()}
