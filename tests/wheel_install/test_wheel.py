"""What the container image runs, tested without a container engine: the wheel is built, installed (not
editable) into a fresh virtualenv, and `said db upgrade`, `said serve` and `said worker` are run from it;
a person then completes a web chat over HTTP. This proves the packaged templates, prompts, static files
and migrations are all in the wheel, and that its declared dependencies are enough.

Dependencies come from a wheelhouse kept between runs (SAID_WHEELHOUSE, default
~/.cache/said-and-done/wheelhouse), installed with --no-index: the first run fills it from the package
index, later runs need no network and take about 20 seconds.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "wheel-test-secret-not-for-production-k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7Ty1Io3Pa6Sd9Fg4Hj0Kl"
TOKEN = "wheel-test-metrics-token-0123456789"
HIDDEN = re.compile(r'<input type="hidden" name="(csrf|turn)" value="([^"]*)">')
BUTTON = re.compile(r'<button type="submit" class="choice" name="([a-z_]+)" value="([^"]+)">')

pytestmark = pytest.mark.timeout(600)


def _run(*args: str | Path, **kwargs) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(str(a) for a in args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def _pip(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return _run(sys.executable, "-m", "pip", "--disable-pip-version-check", *args)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtualenv with the project's wheel (and only what it declares) installed; its bin folder."""
    work = tmp_path_factory.mktemp("wheel")
    # Build from a copy of the working tree, so setuptools' build/ and egg-info never land in the repository.
    source = work / "source"
    files = _run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT).stdout
    for name in filter(None, files.split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    wheelhouse = Path(os.environ.get("SAID_WHEELHOUSE", Path.home() / ".cache" / "said-and-done" / "wheelhouse"))
    wheelhouse.mkdir(parents=True, exist_ok=True)
    # Built as a release is: in an isolated environment with only the build-system's requirements, which
    # come from the wheelhouse when they are there.
    build = ["wheel", "--quiet", "--no-deps", "--find-links", wheelhouse, "--wheel-dir", work / "dist", source]
    offline_build = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *map(str, build[:1]), "--no-index",
         *map(str, build[1:])],
        capture_output=True, text=True,
    )
    if offline_build.returncode != 0:
        _pip("wheel", "--quiet", "--find-links", wheelhouse, "--wheel-dir", wheelhouse, "setuptools>=69")
        _pip(*build)
    [wheel] = (work / "dist").glob("said_and_done-*.whl")

    venv = work / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    # --no-compile: byte-compiling every dependency is most of the install's CPU time; Python compiles what it imports.
    offline = [
        "--python", python, "install", "--quiet", "--no-compile", "--no-index", "--find-links", wheelhouse, wheel,
    ]
    first = subprocess.run([sys.executable, "-m", "pip", *map(str, offline)], capture_output=True, text=True)
    if first.returncode != 0:  # the wheelhouse lacks something the wheel needs: fill it from the index
        # The project's own wheel must not stay there: pip would take its old copy's dependencies for this one's.
        try:
            _pip("wheel", "--quiet", "--find-links", wheelhouse, "--wheel-dir", wheelhouse, wheel)
        finally:
            for stale in wheelhouse.glob("said_and_done-*.whl"):
                stale.unlink()
        _pip(*offline)
    # Not the source tree: the code that runs is the wheel's.
    where = _run(python, "-c", "import bot, storage; print(bot.__file__, storage.__file__)", cwd=work).stdout
    assert str(venv) in where and str(ROOT) not in where, where
    editable = _run(python, "-m", "pip", "--version", check=False) if (venv / "bin" / "pip").exists() else None
    assert editable is None, "a fresh virtualenv without pip: nothing but the wheel and its dependencies"
    return venv / "bin"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SAID_", "PYTHON", "VIRTUAL_ENV"))}
    return {
        **clean,
        "SAID_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'said.db'}",
        "SAID_SECRET_KEY": SECRET,
        "SAID_METRICS_TOKEN": TOKEN,
        "SAID_VAR_DIR": str(tmp_path / "var"),
        "SAID_LOG_FORMAT": "json",
    }


@pytest.fixture
def process(tmp_path: Path) -> Iterator:
    started: list[subprocess.Popen[str]] = []

    def start(*args: str | Path, env: dict[str, str]) -> subprocess.Popen[str]:
        log = (tmp_path / f"process-{len(started)}.log").open("w")
        proc = subprocess.Popen([str(a) for a in args], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
                                text=True)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _wait_until_ready(base: str, proc: subprocess.Popen[str], tmp_path: Path) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            logs = "\n".join(p.read_text() for p in tmp_path.glob("process-*.log"))
            pytest.fail(f"the process stopped ({proc.returncode}):\n{logs}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail("not ready within a minute")


def _complete_the_demo_pack(http: httpx.Client) -> int:
    """A person on the web chat without JavaScript: tap the pack, answer every question. Returns the turns."""

    def post(page: str, **data: str) -> str:
        fields = dict(HIDDEN.findall(page))
        response = http.post("/chat", data={**fields, **data})
        assert response.status_code == 200, response.text  # after the post-redirect-get
        return response.text

    page = http.get("/chat").text
    assert "Hello!" in page
    page = post(page, start="demo")
    for turn in range(1, 30):
        buttons = BUTTON.findall(page.split('id="compose"')[0])
        if turn > 1 and buttons and all(name == "start" for name, _ in buttons):
            return turn  # the packs are offered again: this one has ended
        if buttons:
            name, value = next(((n, v) for n, v in buttons if v == "yes"), buttons[0])
            page = post(page, **{name: value})
        elif 'data-question-kind="number"' in page.rsplit('class="turn turn-bot', 1)[-1]:
            page = post(page, text="3")
        else:
            page = post(page, text="The waiting room was too hot.")
    pytest.fail("the pack never ended")


def test_the_wheel_migrates_serves_a_whole_web_chat_and_runs_a_worker(installed, env, process, tmp_path) -> None:
    said = installed / "said"
    assert "up to date" in _run(said, "db", "upgrade", env=env, cwd=tmp_path).stdout
    checked = _run(said, "prompts", "check", env=env, cwd=tmp_path)
    assert "demo" in checked.stdout + checked.stderr

    port = _free_port()
    server = process(said, "serve", "--port", str(port), "--no-scheduler", env=env)
    base = f"http://127.0.0.1:{port}"
    _wait_until_ready(base, server, tmp_path)
    with httpx.Client(base_url=base, follow_redirects=True, timeout=10) as http:
        turns = _complete_the_demo_pack(http)
        assert turns > 3
        page = http.get("/chat").text
        for asset in re.findall(r'(?:src|href)="(/(?:chat|symbols|staff)/[^"]+\.(?:css|js|svg))"', page):
            assert http.get(asset).status_code == 200, asset
        assert http.get("/chat/static/chat.css").status_code == 200
        assert http.get("/you-said-we-did").status_code == 200
        assert "Sign in" in http.get("/staff/login").text or http.get("/staff").status_code == 200
        metrics = http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).text
        assert 'said_inbound_messages_total{channel="web"}' in metrics

    with sqlite3.connect(tmp_path / "said.db") as db:
        submissions = db.execute("SELECT pack_id, channel, status FROM submissions").fetchall()
        answers = db.execute("SELECT count(*) FROM answers").fetchone()[0]
    assert submissions == [("demo", "web", "completed")]
    assert answers >= 3

    ops_port = _free_port()
    worker = process(said, "worker", "--ops-port", str(ops_port), env=env)
    _wait_until_ready(f"http://127.0.0.1:{ops_port}", worker, tmp_path)
    ready = httpx.get(f"http://127.0.0.1:{ops_port}/readyz").json()
    assert ready["checks"]["scheduler"] == "ok"
    worker.terminate()
    assert worker.wait(15) == 0, "SIGTERM stops the worker cleanly"

    server.terminate()
    # uvicorn ends `said serve` by the SIGTERM it was sent, once it has shut the app down.
    assert server.wait(15) in (0, -15)
    logs = (tmp_path / "process-0.log").read_text().splitlines()
    assert not any("Traceback" in line for line in logs)
    assert "worker stopped" in (tmp_path / "process-1.log").read_text()
    assert logs and all(line.startswith("{") for line in logs), "SAID_LOG_FORMAT=json: every line is JSON"


def test_a_backup_from_the_wheel(installed, env, tmp_path) -> None:
    said = installed / "said"
    _run(said, "db", "upgrade", env=env, cwd=tmp_path)
    done = _run(said, "db", "backup", tmp_path, env=env, cwd=tmp_path)
    assert "Backed up to" in done.stdout
    [copy] = tmp_path.glob("said-*.db")
    with sqlite3.connect(copy) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM alembic_version").fetchone()[0] >= 1
