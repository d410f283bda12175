"""`said staff add EMAIL --role ROLE` and `said broadcast create|list|cancel`.

Each register function adds its sub-command to `said`'s parser and sets `handler` on the parsed
arguments: `bot/app/cli.py` runs `args.handler(args)` and exits with what it returns.

    said staff add sam@example.org --role staff            # prints a one-time password
    printf '%s' "$PASSWORD" | said staff add sam@example.org --role admin --password-stdin
    said broadcast create --name "Waiting times" --text "We have two new nurses." --audience updates --now
    said broadcast create --name "Clinic" --text "..." --text-cy "..." --audience pack:waiting_list \\
        --at "2026-12-01 10:00"
    said broadcast list
    said broadcast cancel 12
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TextIO

from bot.web.staff.passwords import PasswordRejected, check_new_password, one_time_password
from storage.staff.accounts import AccountExists
from storage.staff.broadcasts import Audience
from storage.staff.records import Actor
from storage.staff.tables import AUDIENCES, STAFF_ROLES

CLI = Actor("command line")


def add_staff_command(subparsers: Any) -> None:
    staff = subparsers.add_parser("staff", help="staff console accounts")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_sub.add_parser("add", help="create a staff account and print a one-time password")
    add.add_argument("email")
    add.add_argument("--role", required=True, choices=STAFF_ROLES)
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input instead"
    )
    add.set_defaults(handler=_run_staff_add)
    listing = staff_sub.add_parser("list", help="list staff accounts")
    listing.set_defaults(handler=_run_staff_list)
    unlock = staff_sub.add_parser(
        "unlock", help="clear an account's wrong sign-in tries now, or with --link print a one-time link for them"
    )
    unlock.add_argument("email")
    unlock.add_argument("--link", action="store_true", help="print a one-time link (valid 24 hours) instead")
    unlock.set_defaults(handler=_run_staff_unlock)


def broadcast_command(subparsers: Any) -> None:
    broadcast = subparsers.add_parser("broadcast", help="send updates to people who asked for them")
    sub = broadcast.add_subparsers(dest="broadcast_command", required=True)
    create = sub.add_parser("create", help="send now, or schedule, a broadcast")
    create.add_argument("--name", required=True, help="a name only staff see")
    create.add_argument("--text", required=True, help="the words in English")
    create.add_argument("--text-cy", help="the words in Welsh (optional)")
    create.add_argument(
        "--audience", default="updates",
        help=f"one of {', '.join(AUDIENCES)}; pack:PACK_ID or channel:CHANNEL narrow it (default: updates)",
    )
    when = create.add_mutually_exclusive_group(required=True)
    when.add_argument("--now", action="store_true", help="send straight away (quiet hours still apply)")
    when.add_argument("--at", help='local date and time, like "2026-12-01 10:00"')
    create.set_defaults(handler=_run_broadcast_create)
    listing = sub.add_parser("list", help="recent broadcasts and how far they got")
    listing.set_defaults(handler=_run_broadcast_list)
    cancel = sub.add_parser("cancel", help="cancel a scheduled broadcast that has not started")
    cancel.add_argument("id", type=int)
    cancel.set_defaults(handler=_run_broadcast_cancel)


# -- running ------------------------------------------------------------------------------------------


def _with_console(work: Callable[[Any], Awaitable[int]]) -> int:
    """Build the app's parts (migrating the database first) and run `work(console)`."""
    from bot.app.settings import load_settings
    from bot.app.staff import build_staff
    from bot.app.wiring import build_parts
    from storage.privacy.vault import Keys

    async def run() -> int:
        settings = load_settings()
        parts = build_parts(settings)
        try:
            await parts.database.migrate(vault_key=Keys.from_secret(settings.secret()).vault_key)
            console = build_staff(settings, parts.database, parts.service.prompts, channels=parts.senders)
            return await work(console)
        finally:
            await parts.database.dispose()

    return asyncio.run(run())


def _run_staff_add(args: argparse.Namespace, stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    if args.password_stdin:
        password = stdin.read().rstrip("\r\n")
        try:
            check_new_password(password, email=args.email)
        except PasswordRejected as rejected:
            print(f"said: {rejected}", file=sys.stderr)
            return 2
    else:
        password = one_time_password()
    if "@" not in args.email or len(args.email) > 254:
        print("said: that does not look like an email address", file=sys.stderr)
        return 2

    async def work(console: Any) -> int:
        try:
            member = await console.store.create_account(
                args.email, await console.passwords.hash(password), args.role,
                must_change=not args.password_stdin, actor=CLI,
            )
        except AccountExists:
            print(f"said: there is already an account for {args.email.lower()}", file=sys.stderr)
            return 1
        print(f"Added {member.email} as {member.role}.", file=out)
        if not args.password_stdin:
            print(f"One-time password: {password}", file=out)
            print("They choose their own password when they first sign in.", file=out)
        return 0

    return _with_console(work)


def _run_staff_unlock(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from bot.web.staff.unlock import LINK_LIFETIME, email_key, unlock_path

    out = out or sys.stdout

    async def work(console: Any) -> int:
        member = await console.store.account_by_email(args.email)
        if member is None:
            print(f"said: there is no account for {args.email.lower()}", file=sys.stderr)
            return 1
        if args.link:
            token = await console.store.create_unlock_link(member, lifetime=LINK_LIFETIME, actor=CLI)
            print(f"Give {member.email} this link; it works once, for 24 hours:", file=out)
            print(f"{console.public_url}{unlock_path(token)}", file=out)
            return 0
        gone = await console.store.unlock(member, email_key(console, member.email), actor=CLI)
        print(f"Cleared {gone} wrong sign-in tries for {member.email}.", file=out)
        return 0

    return _with_console(work)


def _run_staff_list(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    async def work(console: Any) -> int:
        for member in await console.store.accounts():
            state = "" if member.active else " (turned off)"
            print(f"{member.email}\t{member.role}{state}", file=out)
        return 0

    return _with_console(work)


def parse_audience(text: str) -> Audience:
    kind, _, value = text.partition(":")
    return Audience(kind, value or None)


def _run_broadcast_create(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        audience = parse_audience(args.audience)
    except ValueError as problem:
        print(f"said: {problem}", file=sys.stderr)
        return 2
    texts = {"en": args.text.strip()}
    if args.text_cy:
        texts["cy"] = args.text_cy.strip()

    async def work(console: Any) -> int:
        planner = console.planner
        now = console.store.now()
        if args.now:
            send_at = now
        else:
            try:
                send_at = datetime.strptime(args.at, "%Y-%m-%d %H:%M").replace(tzinfo=console.zone)
            except ValueError:
                print('said: --at takes a local date and time like "2026-12-01 10:00"', file=sys.stderr)
                return 2
            if not now < send_at <= now + timedelta(days=366):
                print("said: --at must be in the future, within a year", file=sys.stderr)
                return 2
        if audience.kind == "pack" and console.packs.get(audience.value) is None:
            print(f"said: there is no pack called {audience.value}", file=sys.stderr)
            return 2
        for lang, text in texts.items():
            for finding in planner.check(text, lang, audience):
                print(f"easy-read ({lang}): {finding.severity}: {finding.message}; {finding.suggestion}", file=out)
        try:
            broadcast_id = await console.store.create_broadcast(
                name=args.name, texts=texts, audience=audience, send_at=send_at, actor=CLI
            )
        except ValueError as problem:
            print(f"said: {problem}", file=sys.stderr)
            return 2
        if args.now:
            result = await planner.send_now(broadcast_id, CLI)
            queued = result.total if result else 0
            print(f"Broadcast {broadcast_id}: {queued} messages queued; `said serve` sends them.", file=out)
        else:
            local = send_at.astimezone(console.zone).strftime("%a %d %b %Y %H:%M")
            print(f"Broadcast {broadcast_id} is scheduled for {local}.", file=out)
        return 0

    return _with_console(work)


def _run_broadcast_list(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    async def work(console: Any) -> int:
        for record in await console.store.broadcasts(limit=50):
            when = record.send_at.astimezone(console.zone).strftime("%Y-%m-%d %H:%M")
            line = f"{record.id}\t{when}\t{record.status}\t{record.name}"
            if record.status == "planned":
                progress = await console.store.progress(record.id)
                totals: dict[str, int] = {}
                for counts in progress.values():
                    for status, n in counts.items():
                        totals[status] = totals.get(status, 0) + n
                line += "\t" + ", ".join(f"{status} {n}" for status, n in sorted(totals.items()))
            print(line, file=out)
        return 0

    return _with_console(work)


def _run_broadcast_cancel(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    async def work(console: Any) -> int:
        if await console.store.cancel_broadcast(args.id, actor=CLI):
            print(f"Broadcast {args.id} is cancelled.", file=out)
            return 0
        print(f"said: broadcast {args.id} is not scheduled (it has started, was cancelled, or does not exist)",
              file=sys.stderr)
        return 1

    return _with_console(work)
