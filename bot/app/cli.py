"""The `said` command."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bot.app.settings import SettingsError, load_settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="said", description="Said & Done: hear from people, show what changed.")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the web app, webhooks and scheduler")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)

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
        setup_logging()
        return _serve(args.host, args.port)
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

        setup_logging()
        settings = load_settings()
        asyncio.run(_upgrade(Database(settings.database_url)))
        print("The database is up to date.")
        return 0
    return 2


async def _upgrade(database: object) -> None:
    await database.migrate()  # type: ignore[attr-defined]
    await database.dispose()  # type: ignore[attr-defined]


def _serve(host: str, port: int) -> int:
    import uvicorn

    from bot.app.wiring import create_app

    settings = load_settings()
    app = create_app(settings)
    # No access log: it would record people's IP addresses, which we have no need to keep.
    uvicorn.run(
        app, host=host, port=port, log_config=None, proxy_headers=True, server_header=False, access_log=False
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
