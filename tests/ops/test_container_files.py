"""The container files say what the deployment guide says: a non-root image serving `said serve` with a
health check; compose with PostgreSQL on a named volume, a web process without the scheduler and exactly
one worker with it; every setting compose insists on is in the example settings file, which, filled in,
is a valid configuration."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from dotenv import dotenv_values
from ruamel.yaml import YAML

from bot.app.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict:
    return YAML(typ="safe").load((ROOT / "compose.yaml").read_text())


def _final_stage(dockerfile: str) -> str:
    return dockerfile.split("\nFROM ")[-1]


def test_the_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint") or str(Path(__file__).resolve().parents[2] / ".venv" / "bin" / "hadolint")
    if not Path(hadolint).exists():
        pytest.skip("hadolint is not installed (make install-dev installs it)")
    done = subprocess.run([hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_image_runs_as_a_user_serves_and_checks_its_health() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    final = _final_stage(dockerfile)
    user = re.findall(r"^USER (\S+)", final, re.M)
    assert user and not user[-1].startswith(("root", "0")), "the app never runs as root"
    assert re.search(r'^CMD \["said", "serve"', final, re.M)
    assert "HEALTHCHECK" in final and "/healthz" in final
    assert dockerfile.count("\nFROM ") >= 1 and " AS build" in dockerfile, "multi-stage"
    assert not re.search(r"apt-get install|gcc|build-essential", final), "no compilers in the final image"
    for copied in re.findall(r"^COPY (?!--from)(\S+)", dockerfile, re.M):
        assert (ROOT / copied).exists(), f"the Dockerfile copies {copied}, which is not in the repository"


def test_the_build_context_leaves_out_secrets_and_local_state() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", "var", ".venv", ".git", "*.db"} <= ignored


def test_compose_runs_postgresql_on_a_named_volume_a_web_process_and_one_worker(compose: dict) -> None:
    services = compose["services"]
    assert set(services) == {"db", "web", "worker"}
    [volume] = services["db"]["volumes"]
    assert volume.split(":")[0] in compose["volumes"], "a named volume keeps the database"
    assert "healthcheck" in services["db"]
    web, worker = services["web"]["command"], services["worker"]["command"]
    assert web[:2] == ["said", "serve"] and "--no-scheduler" in web
    assert worker[:2] == ["said", "worker"]
    scheduling = [name for name, s in services.items() if s.get("command", [])[:2] in (["said", "worker"],)
                  or (s.get("command", [])[:2] == ["said", "serve"] and "--no-scheduler" not in s["command"])]
    assert scheduling == ["worker"], "exactly one process runs the scheduler: nothing is sent twice or never"
    assert all(p.startswith("127.0.0.1:") for p in services["web"]["ports"]), "only the host's proxy reaches it"
    assert "ports" not in services["db"] and "ports" not in services["worker"]
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
        assert services[name]["environment"]["SAID_DATABASE_URL"].startswith("postgresql+asyncpg://")


def test_every_setting_compose_insists_on_is_in_the_example_file(compose: dict) -> None:
    text = (ROOT / "compose.yaml").read_text()
    required = set(re.findall(r"\$\{([A-Z_]+):\?", text))
    assert {"POSTGRES_PASSWORD", "SAID_SECRET_KEY", "SAID_PUBLIC_URL"} <= required
    example = dotenv_values(ROOT / "docs" / "example.env")
    assert required <= set(example)


def test_the_example_settings_filled_in_are_a_valid_configuration(monkeypatch, tmp_path) -> None:
    example = {k: v for k, v in dotenv_values(ROOT / "docs" / "example.env").items() if v is not None}
    example.update(POSTGRES_PASSWORD="pw", SAID_SECRET_KEY="x" * 48)
    for key, value in example.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)  # no stray .env
    settings = Settings()
    assert settings.public_url.startswith("https://") and settings.secure_cookies
    assert settings.log_format == "json"
    assert settings.secret() == "x" * 48
