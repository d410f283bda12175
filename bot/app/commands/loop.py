"""`said theme …`, `said action …`, `said checkin …` and `said involvement …`: the loop from the command line.

`register(subparsers)` adds the four commands to `said`'s parser; each sets `handler` on the parsed
arguments, and `bot/app/cli.py` runs `args.handler(args)`. Texts in another language take a prefix: "cy:…".

    said theme add "waiting times" --keyword wait --keyword "too long"
    said theme link "waiting times" demo overall --values poor
    said theme suggest                                   # untagged comments that match a theme's words
    said theme tag "waiting times" answer 812
    said action add --theme "waiting times" --status done --symbol clock --date 2026-11-02 \\
        --you-said "The wait was too long." --we-did "We added visits on Saturdays." \\
        --you-said "cy:Roedd yr aros yn rhy hir." --we-did "cy:Rydyn ni wedi ychwanegu ymweliadau."
    said action publish 3                                # everyone who raised it hears, once
    said action list | said action show 3
    said checkin set "every two weeks" --pack waiting_list --cron "week=*/2 day_of_week=mon hour=10" \\
        --text "Hello. How are you feeling this week?"
    said involvement list | said involvement invite --text "…" --next-step "Please phone Sam on …"

Nothing printed names a person: involvement lists show pseudonyms, and counts are counts.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, TextIO

from bot.loop.loop import Loop, LoopProblem
from bot.loop.schedule import describe
from storage.loop.records import ContactPlan, QuestionLink
from storage.loop.tables import ACTION_STATUSES
from storage.staff.records import Actor

CLI = Actor("command line")
_PREFIX = re.compile(r"^([a-z]{2,3}):\s*(.+)$", re.DOTALL)


def register(subparsers: Any) -> None:
    _theme(subparsers)
    _action(subparsers)
    _checkin(subparsers)
    _involvement(subparsers)


def _theme(subparsers: Any) -> None:
    theme = subparsers.add_parser("theme", help="themes that group what people told us")
    sub = theme.add_subparsers(dest="theme_command", required=True)
    sub.add_parser("list", help="themes, their comments and linked questions").set_defaults(handler=theme_list)
    add = sub.add_parser("add", help="a new theme")
    add.add_argument("name")
    add.add_argument("--description")
    add.add_argument("--keyword", action="append", default=[], help="a word that suggests the theme (repeat)")
    add.set_defaults(handler=theme_add)
    link = sub.add_parser("link", help="answers to a question count as raising the theme")
    link.add_argument("theme", help="the theme's name or number")
    link.add_argument("pack")
    link.add_argument("question")
    link.add_argument("--values", help="only these answers, comma separated, like poor,ok")
    link.set_defaults(handler=theme_link)
    tag = sub.add_parser("tag", help="put a comment in a theme")
    tag.add_argument("theme")
    tag.add_argument("kind", choices=["answer", "message"])
    tag.add_argument("id", type=int)
    tag.set_defaults(handler=theme_tag)
    suggest = sub.add_parser("suggest", help="themes suggested for untagged comments by their words")
    suggest.add_argument("--limit", type=int, default=200)
    suggest.set_defaults(handler=theme_suggest)
    sub.add_parser("adopt", help="make a theme of every tag used in the console").set_defaults(handler=theme_adopt)


def _action(subparsers: Any) -> None:
    action = subparsers.add_parser("action", help='"You said … We did …"')
    sub = action.add_subparsers(dest="action_command", required=True)
    add = sub.add_parser("add", help="record an action (checked for easy read)")
    add.add_argument("--you-said", action="append", required=True, help='the words; "cy:…" for Welsh')
    add.add_argument("--we-did", action="append", required=True, help='the words; "cy:…" for Welsh')
    add.add_argument("--status", required=True, choices=ACTION_STATUSES)
    add.add_argument("--symbol", required=True, help="a symbol name, like clock")
    add.add_argument("--date", required=True, type=date.fromisoformat, help="when, like 2026-11-02")
    add.add_argument("--theme", action="append", required=True, help="a theme's name or number (repeat)")
    add.set_defaults(handler=action_add)
    publish = sub.add_parser("publish", help="publish it and tell everyone who raised it")
    publish.add_argument("id", type=int)
    publish.set_defaults(handler=action_publish)
    listing = sub.add_parser("list", help="actions, newest first")
    listing.add_argument("--published", action="store_true", help="only published ones")
    listing.set_defaults(handler=action_list)
    show = sub.add_parser("show", help="one action: its message, and who has heard")
    show.add_argument("id", type=int)
    show.set_defaults(handler=action_show)


def _checkin(subparsers: Any) -> None:
    checkin = subparsers.add_parser("checkin", help="recurring check-ins")
    sub = checkin.add_subparsers(dest="checkin_command", required=True)
    sub.add_parser("list", help="check-in schedules").set_defaults(handler=checkin_list)
    put = sub.add_parser("set", help="create or change a check-in schedule")
    put.add_argument("name")
    put.add_argument("--pack", required=True)
    put.add_argument("--cron", required=True, help='like "0 10 * * mon" or "week=*/2 day_of_week=mon hour=10"')
    put.add_argument("--text", action="append", required=True, help='the reminder; "cy:…" for Welsh')
    put.add_argument("--off", action="store_true", help="keep it but send nothing")
    put.set_defaults(handler=checkin_set)


def _involvement(subparsers: Any) -> None:
    involvement = subparsers.add_parser("involvement", help="people who want to help shape the service")
    sub = involvement.add_subparsers(dest="involvement_command", required=True)
    sub.add_parser("list", help="by pseudonym, with pack, date and channel").set_defaults(handler=involvement_list)
    invite = sub.add_parser("invite", help="send them an invitation through the bot")
    invite.add_argument("--text", action="append", required=True, help='the invitation; "cy:…" for Welsh')
    invite.add_argument("--next-step", action="append", required=True, help="what to do after YES")
    invite.add_argument("--to", action="append", help="a pseudonym from `said involvement list` (repeat)")
    invite.set_defaults(handler=involvement_invite)


# -- running ------------------------------------------------------------------------------------------


def by_language(values: list[str]) -> dict[str, str]:
    """["The wait…", "cy:Roedd…"] -> {"en": "The wait…", "cy": "Roedd…"}."""
    found: dict[str, str] = {}
    for value in values:
        match = _PREFIX.match(value)
        lang, text = (match.group(1), match.group(2)) if match else ("en", value)
        found[lang] = text
    return found


def _with_loop(work: Callable[[Loop], Awaitable[int]]) -> int:
    """Build the app's parts (migrating the database first) and run `work(loop)`."""
    from bot.app.loop import build_loop
    from bot.app.settings import load_settings
    from bot.app.wiring import build_parts
    from storage.privacy.vault import Keys

    async def run() -> int:
        settings = load_settings()
        parts = build_parts(settings)
        try:
            await parts.database.migrate(vault_key=Keys.from_secret(settings.secret()).vault_key)
            return await work(build_loop(settings, parts))
        finally:
            await parts.database.dispose()

    return asyncio.run(run())


def _problem(problem: Exception) -> int:
    print(f"said: {problem}", file=sys.stderr)
    for place, findings in getattr(problem, "findings", {}).items():
        for finding in findings:
            print(f"  {place}: {finding.message}", file=sys.stderr)
    return 1


async def _theme_id(loop: Loop, given: str) -> int:
    if given.isdigit():
        theme = await loop.store.theme(int(given))
    else:
        theme = await loop.store.theme_by_name(given)
    if theme is None:
        raise LookupError(f"there is no theme '{given}'; see `said theme list`")
    return theme.id


def _plan_words(plan: ContactPlan) -> str:
    channels = ", ".join(f"{n} by {channel}" for channel, n in sorted(plan.per_channel.items())) or "nobody new"
    words = f"Queued {plan.total} ({channels})."
    if plan.unreachable:
        words += f" {plan.unreachable} could not be reached on their channel."
    return words


def theme_list(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    async def work(loop: Loop) -> int:
        for theme in await loop.store.themes():
            links = ", ".join(
                f"{q.pack_id}/{q.question_id}" + (f"={'|'.join(q.values)}" if q.values else "") for q in theme.questions
            )
            print(f"{theme.id}\t{theme.name}\t{theme.comments} comments\t{links or '-'}", file=out)
        return 0

    return _with_loop(work)


def theme_add(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    async def work(loop: Loop) -> int:
        try:
            theme_id = await loop.store.create_theme(
                args.name, description=args.description, keywords=args.keyword, actor=CLI
            )
        except ValueError as problem:
            return _problem(problem)
        print(f"Theme {theme_id} added.", file=out)
        return 0

    return _with_loop(work)


def theme_link(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    async def work(loop: Loop) -> int:
        pack = loop.packs.get(args.pack)
        question = pack.question(args.question) if pack else None
        if pack is None or question is None:
            print(f"said: there is no question '{args.question}' in pack '{args.pack}'", file=sys.stderr)
            return 1
        values = tuple(v.strip() for v in args.values.split(",") if v.strip()) if args.values else None
        try:
            theme_id = await _theme_id(loop, args.theme)
            await loop.store.link_question(theme_id, QuestionLink(pack.id, question.id, values), actor=CLI)
        except LookupError as problem:
            return _problem(problem)
        print(f"Answers to {pack.id}/{question.id} now count for theme {theme_id}.", file=out)
        return 0

    return _with_loop(work)


def theme_tag(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    async def work(loop: Loop) -> int:
        try:
            theme_id = await _theme_id(loop, args.theme)
            theme = await loop.store.theme(theme_id)
            assert theme is not None
            added = await loop.store.tag(args.kind, args.id, theme.name, actor=CLI)
        except (LookupError, ValueError) as problem:
            return _problem(problem)
        print("Tagged." if added else "It already had that theme.", file=out)
        return 0

    return _with_loop(work)


def theme_suggest(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    async def work(loop: Loop) -> int:
        for suggestion in await loop.suggestions(limit=args.limit):
            comment = suggestion.comment
            text = " ".join(comment.text.split())
            print(f"{comment.kind} {comment.id}\t{' | '.join(suggestion.themes)}\t{text[:100]}", file=out)
        return 0

    return _with_loop(work)


def theme_adopt(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    async def work(loop: Loop) -> int:
        print(f"{await loop.store.adopt_tags(actor=CLI)} themes made from tags.", file=out)
        return 0

    return _with_loop(work)


def action_add(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    async def work(loop: Loop) -> int:
        try:
            theme_ids = [await _theme_id(loop, given) for given in args.theme]
            action_id, warnings = await loop.create_action(
                you_said=by_language(args.you_said), we_did=by_language(args.we_did), status=args.status,
                symbol=args.symbol, happened_on=args.date, theme_ids=theme_ids, actor=CLI,
            )
        except (LookupError, LoopProblem, ValueError) as problem:
            return _problem(problem)
        for place, findings in warnings.items():
            for finding in findings:
                print(f"  note, {place}: {finding.message}", file=out)
        print(f"Action {action_id} added. Publish it with: said action publish {action_id}", file=out)
        return 0

    return _with_loop(work)


def action_publish(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    async def work(loop: Loop) -> int:
        try:
            plan = await loop.publish(args.id, actor=CLI)
        except (LookupError, LoopProblem) as problem:
            return _problem(problem)
        print(f"Action {args.id} is published. {_plan_words(plan)}", file=out)
        return 0

    return _with_loop(work)


def action_list(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    async def work(loop: Loop) -> int:
        for action in await loop.store.actions(published=True if args.published else None):
            state = f"published {action.published_at:%Y-%m-%d}" if action.published_at else "not published"
            said = action.you_said.get("en") or next(iter(action.you_said.values()))
            print(f"{action.id}\t{action.status}\t{state}\ttold {action.told or 0}\t{said}", file=out)
        return 0

    return _with_loop(work)


def action_show(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    async def work(loop: Loop) -> int:
        action = await loop.store.action(args.id)
        if action is None:
            return _problem(LookupError(f"there is no action {args.id}"))
        for language in action.languages:
            print(f"--- {language}", file=out)
            print(loop.preview(action, language), file=out)
        progress = await loop.store.progress(args.id)
        print(f"Messages: {dict(sorted(progress.statuses.items())) or 'none yet'}", file=out)
        print(f"Answers: {dict(sorted(progress.answers.items())) or 'none yet'}; words: {progress.words}", file=out)
        return 0

    return _with_loop(work)


def checkin_list(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    async def work(loop: Loop) -> int:
        for schedule in await loop.store.checkins():
            when = f"next {schedule.next_run_at:%Y-%m-%d %H:%M} UTC" if schedule.next_run_at else "off"
            words = describe(schedule.cron)  # last, so scripts reading the earlier columns still work
            print(f"{schedule.id}\t{schedule.name}\t{schedule.pack_id}\t{schedule.cron}\t{when}\t{words}", file=out)
        return 0

    return _with_loop(work)


def checkin_set(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    async def work(loop: Loop) -> int:
        try:
            schedule_id, _ = await loop.save_checkin(
                name=args.name, pack_id=args.pack, cron=args.cron, texts=by_language(args.text),
                active=not args.off, actor=CLI,
            )
        except (LoopProblem, ValueError) as problem:
            return _problem(problem)
        schedule = await loop.store.checkin(schedule_id)
        assert schedule is not None
        when = f"{schedule.next_run_at:%Y-%m-%d %H:%M} UTC" if schedule.next_run_at else "never (it is off)"
        print(f"Check-in {schedule_id} saved. Next reminders: {when}.", file=out)
        return 0

    return _with_loop(work)


def involvement_list(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    async def work(loop: Loop) -> int:
        people, total = await loop.involved(limit=500)
        for person in people:
            print(f"{person.pseudonym}\t{person.pack_id or '-'}\t{person.since}\t{person.channel}\t"
                  f"invited {person.invited}", file=out)
        print(f"{total} people would like to help.", file=out)
        return 0

    return _with_loop(work)


def involvement_invite(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    async def work(loop: Loop) -> int:
        chosen = None
        if args.to:
            people, _ = await loop.involved(limit=10_000)
            wanted = set(args.to)
            chosen = [p.participant_id for p in people if p.pseudonym in wanted]
            if len(chosen) != len(wanted):
                return _problem(LookupError("some pseudonyms are not on `said involvement list`"))
        try:
            invitation_id, plan, _ = await loop.invite(
                texts=by_language(args.text), next_step=by_language(args.next_step), participant_ids=chosen,
                actor=CLI,
            )
        except (LoopProblem, ValueError) as problem:
            return _problem(problem)
        print(f"Invitation {invitation_id}. {_plan_words(plan)}", file=out)
        return 0

    return _with_loop(work)
