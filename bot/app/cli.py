"""The `said` command."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

from bot.app.settings import Settings, SettingsError, load_settings


def main(argv: Sequence[str] | None = None) -> int:
    # textstat 0.7.4 imports pkg_resources, which warns on import; the warning is about textstat, not about
    # anything a service can change, and would be a stray non-JSON line in JSON logs.
    warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
    parser = argparse.ArgumentParser(prog="said", description="Said & Done: hear from people, show what changed.")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the web app, webhooks and scheduler")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--no-scheduler", action="store_true",
        help="serve only; a separate `said worker` sends the outbox, duty notices and broadcasts and purges",
    )
    serve.add_argument(
        "--workers", type=int, default=1, metavar="N",
        help="serve from N processes behind this one port (PostgreSQL only; SQLite runs one process)",
    )

    worker = sub.add_parser(
        "worker", help="run the scheduler (outbox, duty notices, broadcasts, check-ins, purges) without the web app"
    )
    worker.add_argument("--ops-host", default="127.0.0.1", help="where --ops-port listens (default 127.0.0.1)")
    worker.add_argument(
        "--ops-port", type=int, default=None,
        help="also answer /healthz, /readyz and /metrics (only those) on this port",
    )

    chat = sub.add_parser("chat", help="talk to the bot in the terminal")
    chat.add_argument("--pack", help="start this pack straight away")
    chat.add_argument("--as", dest="channel", default="sms", choices=["sms", "telegram", "voice", "web"])
    chat.add_argument("--store", action="store_true", help="keep the answers in the configured database")

    prompts = sub.add_parser("prompts", help="question packs")
    prompts_sub = prompts.add_subparsers(dest="prompts_command", required=True)
    check = prompts_sub.add_parser("check", help="validate packs and run the easy-read check")
    check.add_argument("paths", nargs="*", help="pack files or folders (default: the prompts folder)")
    check.add_argument("--costs", action="store_true",
                       help="show what every message of each pack costs by SMS, in segments")

    telegram = sub.add_parser("telegram", help="the Telegram bot")
    telegram_sub = telegram.add_subparsers(dest="telegram_command", required=True)
    telegram_sub.add_parser("set-webhook", help="register SAID_PUBLIC_URL/webhooks/telegram with Telegram")

    db = sub.add_parser("db", help="the database")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply migrations")
    backup = db_sub.add_parser(
        "backup", help="copy the SQLite database while the service runs (for PostgreSQL use pg_dump)"
    )
    backup.add_argument("path", type=Path, help="a new file, or a folder to put a dated file in")

    from bot.app.commands.loop import register as loop_commands
    from bot.app.commands.safeguarding import register as safeguarding_commands
    from bot.app.commands.staff import add_staff_command, broadcast_command

    add_staff_command(sub)
    broadcast_command(sub)
    loop_commands(sub)
    safeguarding_commands(sub)

    args = parser.parse_args(argv)
    try:
        return _run(args)
    except SettingsError as exc:
        print(f"said: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace) -> int:
    from bot.app.logs import setup_logging

    handler = getattr(args, "handler", None)
    if handler is not None:  # sub-commands that bring their own handler (said staff …, said broadcast …)
        return int(handler(args))
    if args.command == "serve":
        settings = load_settings(**({"scheduler": False} if args.no_scheduler else {}))
        setup_logging(settings.log_level, settings.log_format)
        return _serve(settings, args.host, args.port, args.workers)
    if args.command == "worker":
        from bot.app.worker import run_worker

        settings = load_settings(scheduler=True)
        setup_logging(settings.log_level, settings.log_format)
        asyncio.run(run_worker(settings, ops_host=args.ops_host, ops_port=args.ops_port))
        return 0
    if args.command == "chat":
        from bot.app.terminal_chat import run_chat

        return asyncio.run(run_chat(args.channel, args.pack, store=args.store, scratch=Path(tempfile.mkdtemp())))
    if args.command == "prompts":
        from bot.app.commands.prompts import run

        settings = load_settings()
        paths = args.paths or [str(settings.prompts_dir)]
        return run(paths, sys.stdout, costs=args.costs)
    if args.command == "telegram":
        from bot.app.telegram import set_webhook

        print(asyncio.run(set_webhook(load_settings())))
        return 0
    if args.command == "db":
        from storage.db import Database

        settings = load_settings()
        setup_logging(settings.log_level, settings.log_format)
        if args.db_command == "backup":
            return _backup(Database(settings.database_url), args.path)
        asyncio.run(_upgrade(Database(settings.database_url), _vault_key(settings)))
        print("The database is up to date.")
        return 0
    return 2


def _backup(database: object, path: Path) -> int:
    from storage.monitoring import BackupError, backup_sqlite

    async def run() -> Path:
        try:
            return await backup_sqlite(database, path)  # type: ignore[arg-type]
        finally:
            await database.dispose()  # type: ignore[attr-defined]

    try:
        made = asyncio.run(run())
    except BackupError as exc:
        print(f"said: {exc}", file=sys.stderr)
        return 1
    print(f"Backed up to {made} ({made.stat().st_size:,} bytes). Keep it as safe as the database itself.")
    return 0


def _vault_key(settings: object) -> bytes | None:
    """The vault key, for a migration that re-seals entries; None when no secret is set (it then says so)."""
    from storage.privacy.vault import Keys

    try:
        return Keys.from_secret(settings.secret()).vault_key  # type: ignore[attr-defined]
    except SettingsError:
        return None


async def _upgrade(database: object, vault_key: bytes | None = None) -> None:
    await database.migrate(vault_key=vault_key)  # type: ignore[attr-defined]
    await database.dispose()  # type: ignore[attr-defined]


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def proxy_problem(public_url: str, host: str, forwarded_allow_ips: str | None) -> str | None:
    """Why serving like this would make every client look like one, or None.

    A service public over https sits behind a proxy (this server speaks plain http). Listening beyond this
    machine means the proxy is elsewhere; uvicorn trusts forwarded headers only from FORWARDED_ALLOW_IPS
    (by default 127.0.0.1), so without it every request seems to come from the proxy: one address for
    everybody, for rate limits and sign-in lockouts alike."""
    if not public_url.startswith("https://") or host in LOOPBACK or (forwarded_allow_ips or "").strip():
        return None
    return (
        f"SAID_PUBLIC_URL is https and the server listens on {host}, so a proxy in front of it passes on each "
        "person's address. Set FORWARDED_ALLOW_IPS to the proxy's address (for example FORWARDED_ALLOW_IPS="
        "10.0.0.5), or to 127.0.0.1 if the proxy runs on this machine, so that people are told apart. "
        "See the README's security section."
    )


def _serve(settings: Settings, host: str, port: int, workers: int = 1) -> int:
    import uvicorn

    problem = proxy_problem(settings.public_url, host, os.environ.get("FORWARDED_ALLOW_IPS"))
    if problem:
        raise SettingsError(problem)
    # No access log: it would record people's IP addresses, which we have no need to keep.
    options = {"host": host, "port": port, "log_config": None, "proxy_headers": True, "server_header": False,
               "access_log": False}
    if workers == 1:
        from bot.app.wiring import create_app

        uvicorn.run(create_app(settings), **options)  # type: ignore[arg-type]
        return 0
    problem = workers_problem(settings.database_url, workers)
    if problem:
        print(f"said serve: {problem}", file=sys.stderr)
        return 2
    from storage.db import Database

    if not settings.scheduler:
        os.environ["SAID_SCHEDULER"] = "false"  # each worker process reads its own settings from the environment
    # Migrate once here rather than N times at once in the workers (which would also be safe, just slower).
    asyncio.run(_upgrade(Database(settings.database_url), _vault_key(settings)))
    # Each worker process builds its own app from the same settings (the environment and .env); they share
    # the port, the database, the outbox, rate limits and caps, and claim each scheduled tick once between them.
    uvicorn.run("bot.app.wiring:create_app", factory=True, workers=workers, **options)  # type: ignore[arg-type]
    return 0


def workers_problem(database_url: str, workers: int) -> str | None:
    """Why `--workers N` cannot be used with this database, in words for the person running it; None if it can."""
    if workers < 1:
        return "--workers must be 1 or more."
    if workers > 1 and not database_url.startswith("postgresql"):
        return (
            f"--workers {workers} needs PostgreSQL (SAID_DATABASE_URL=postgresql+asyncpg://…). SQLite lets one "
            "process write at a time, so it runs as one process: leave out --workers, or move to PostgreSQL "
            "(docs/scaling.md)."
        )
    return None


if __name__ == "__main__":
    raise SystemExit(main())
