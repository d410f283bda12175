"""The easy-read checker: free text, one pack, or every pack under some paths.

    check_text("Your appointment is on Monday.", language="en", audience="parent_carer")
    -> [<text>: hard-word: "appointment" is a hard word (say "visit")]

Rules live one to a module in `bot/content/easyread/rules/`; what they look for is data in
`prompts/wordlists/`. English-only rules (contractions, passive voice, readability grade, the
easy-word list) skip other languages unless the word lists give them data; the rest (sentence length,
one question, punctuation, capitals, channel budgets, symbols, choice order, consent phrases) apply
to every language.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.content.easyread.findings import ERROR, WARNING, Finding, Located, Location, Problem
from bot.content.easyread.piece import Piece, Role
from bot.content.easyread.rules import (
    TEXT_RULES,
    answer_order,
    budgets,
    choice_count,
    choice_order,
    consent,
    pack_budgets,
    readability,
    standards,
    symbols,
)
from bot.content.easyread.sent import PackMessages, SmsCostRow
from bot.content.easyread.wordlists import SHIPPED_WORDLISTS, WordlistError, Wordlists, load_wordlists
from bot.content.packs.loader import LoadedPack, PackError, load_pack
from bot.content.packs.model import Pack
from bot.content.packs.symbols import Symbols
from bot.content.packs.yamlfile import SHIPPED_PROMPTS

PACK_SUFFIXES = (".yaml", ".yml")


@dataclass
class PackReport:
    """What one pack file gave: its findings and, when it loaded, the pack and its reading grades."""

    path: Path
    findings: list[Finding] = field(default_factory=list)
    pack: Pack | None = None
    grades: dict[str, float | None] = field(default_factory=dict)
    max_grade: float | None = None  # for the pack's audience
    costs: list[SmsCostRow] = field(default_factory=list)  # what each message costs by SMS

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == WARNING)


@dataclass
class Scan:
    reports: list[PackReport] = field(default_factory=list)
    other: list[Finding] = field(default_factory=list)  # paths that hold no pack, clashes between packs

    def findings(self) -> list[Finding]:
        return [*self.other, *(f for report in self.reports for f in report.findings)]


def check_text(
    text: str,
    *,
    language: str,
    audience: str,
    channel_budgets: bool = True,
    allowed_caps: Iterable[str] = (),
    lists: Wordlists | None = None,
) -> list[Finding]:
    """Findings for free text such as a staff broadcast; `allowed_caps` are keywords it may name."""
    lists = lists or load_wordlists()
    piece = Piece(text, language, audience, "free", frozenset(allowed_caps))
    problems = [problem for rule in TEXT_RULES for problem in rule(piece, lists)]
    if channel_budgets:
        # A message of its own, like a pack's opening: two plain segments at most.
        over = budgets.sms_text(text, lists.channels.sms_opening_segments)
        if over is not None:
            problems.append(over)
    return [problem.at(None, None) for problem in problems]


def check_pack(loaded: LoadedPack) -> list[Finding]:
    return _check_pack(loaded).findings


def check_paths(paths: list[Path]) -> list[Finding]:
    """Findings for every pack file in `paths` (files, or folders searched for packs)."""
    return scan_paths(paths).findings()


def scan_paths(paths: list[Path]) -> Scan:
    scan = Scan()
    files: list[Path] = []
    for path in (Path(p) for p in paths):
        found = _pack_files(path)
        if not found:
            what = "does not exist" if not path.exists() else "holds no question pack (.yaml)"
            scan.other.append(
                Finding(
                    shown_path(path),
                    None,
                    "no-pack",
                    ERROR,
                    what,
                    "give a pack file, or a folder with a packs/ folder inside",
                )
            )
        files.extend(f for f in found if f not in files)
    for file in files:
        try:
            loaded = load_pack(file)
        except PackError as error:
            scan.reports.append(
                PackReport(
                    file,
                    [
                        Finding(shown_path(p.file), p.line, "pack-invalid", ERROR, f"{p.where}: {p.what}", p.fix)
                        for p in error.problems
                    ],
                )
            )
            continue
        scan.reports.append(_check_pack(loaded))
    scan.other.extend(_clashes([r for r in scan.reports if r.pack is not None]))
    return scan


def _check_pack(loaded: LoadedPack) -> PackReport:
    pack = loaded.pack
    report = PackReport(loaded.path, pack=pack)
    shown = shown_path(loaded.path)
    prompts_dir = _prompts_dir(loaded.path)
    try:
        lists = load_wordlists(prompts_dir)
    except WordlistError as error:
        advice = f"compare with the shipped files in {SHIPPED_WORDLISTS}"
        report.findings.append(Finding(shown, None, "wordlists", ERROR, str(error), advice))
        return report
    located = [*_text_problems(pack, lists), *choice_order.check(pack), *answer_order.check(pack, lists)]
    located += [*readability.check(pack, lists), *standards.check(pack, lists), *choice_count.check(pack, lists)]
    try:
        pack_symbols = Symbols.load(prompts_dir)
        sent = PackMessages(pack, prompts_dir, pack_symbols)
    except (ValueError, OSError, KeyError) as error:
        # Without symbols and system texts the messages cannot be priced; say so rather than guess.
        advice = "fix prompts/symbols/symbols.yaml, prompts/system.yaml and prompts/channels.yaml"
        report.findings.append(Finding(shown, None, "symbol", ERROR, f"cannot read symbols or texts: {error}", advice))
        located += consent.check(pack, lists)
    else:
        located += [*consent.check(pack, lists, sent.texts), *symbols.check(pack, pack_symbols)]
        located += pack_budgets.check(pack, lists, sent)
        if pack.offered_on("sms") or pack.offered_on("whatsapp"):
            report.costs = sent.sms_costs()  # a pack only for the phone line is never texted
    located = _apply_standards(pack, lists, located)
    report.findings.extend(
        item.problem.at(shown, loaded.line(item.location), item.place)
        for item in sorted(located, key=lambda item: loaded.line(item.location))
    )
    report.grades = readability.grades(pack)
    report.max_grade = lists.audience(pack.audience).max_grade
    return report


def _texts(pack: Pack) -> Iterator[tuple[Location, str, Role, str, str]]:
    """(location, place, role, language, words) for every text in the pack."""
    for key in ("title", "intro", "consent", "outro"):
        role: Role = key
        for language, text in getattr(pack, key).items():
            yield (key, language), f"{key} ({language})", role, language, text
    for q_index, question in enumerate(pack.questions):
        for language, text in question.text.items():
            yield (
                ("questions", q_index, "text", language),
                f"question '{question.id}' ({language})",
                "question",
                language,
                text,
            )
        for c_index, choice in enumerate(question.choices):
            for language, text in choice.label.items():
                yield (
                    ("questions", q_index, "choices", c_index, "label", language),
                    f"question '{question.id}' choice '{choice.value}' ({language})",
                    "choice",
                    language,
                    text,
                )


def _text_problems(pack: Pack, lists: Wordlists) -> list[Located]:
    keywords = frozenset(pack.keywords)
    located: list[Located] = []
    for location, place, role, language, text in _texts(pack):
        piece = Piece(text, language, pack.audience, role, keywords)
        located.extend(Located(location, place, problem) for rule in TEXT_RULES for problem in rule(piece, lists))
    return located


def _apply_standards(pack: Pack, lists: Wordlists, located: list[Located]) -> list[Located]:
    """A standard question's exempt rules become warnings that say why they are allowed."""
    exempt: dict[int, tuple[frozenset[str], str]] = {}
    for index, question in enumerate(pack.questions):
        standard = standards.standard_of(question, lists)
        if standard is not None:
            exempt[index] = (standard.exempt, standard.name)
    out: list[Located] = []
    for item in located:
        location = item.location
        if len(location) >= 2 and location[0] == "questions" and isinstance(location[1], int):
            rules, name = exempt.get(location[1], (frozenset(), ""))
            if item.problem.rule in rules:
                problem: Problem = replace(
                    item.problem,
                    severity=WARNING,
                    message=f"{item.problem.message}; allowed as {name} wording",
                )
                item = Located(location, item.place, problem)
        out.append(item)
    return out


def _clashes(reports: list[PackReport]) -> list[Finding]:
    """Two packs sharing an id, or a start keyword, cannot both work."""
    found: list[Finding] = []
    ids: dict[str, Path] = {}
    keywords: dict[str, Path] = {}
    for report in reports:
        assert report.pack is not None
        first = ids.setdefault(report.pack.id, report.path)
        if first != report.path:
            found.append(
                Finding(
                    shown_path(report.path),
                    None,
                    "pack-clash",
                    ERROR,
                    f"id '{report.pack.id}' is also used by {shown_path(first)}",
                    "give each pack its own id",
                )
            )
        for keyword in report.pack.keywords:
            owner = keywords.setdefault(keyword.casefold(), report.path)
            if owner != report.path:
                found.append(
                    Finding(
                        shown_path(report.path),
                        None,
                        "pack-clash",
                        ERROR,
                        f"keyword {keyword} also starts {shown_path(owner)}",
                        "choose a keyword no other pack uses",
                    )
                )
    return found


def _pack_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    folder = path / "packs" if (path / "packs").is_dir() else path
    return sorted(p for p in folder.rglob("*") if p.suffix in PACK_SUFFIXES and p.is_file())


def _prompts_dir(pack_path: Path) -> Path:
    """The prompts folder a pack belongs to (the parent of its packs/ folder), for its word lists
    and symbols; a pack kept anywhere else uses the shipped ones."""
    for parent in pack_path.resolve().parents:
        if parent.name == "packs":
            return parent.parent
    return SHIPPED_PROMPTS


def shown_path(path: Path) -> str:
    """A path as short as it can be: relative to where the command runs when it is below it."""
    try:
        return os.path.relpath(path) if Path(path).resolve().is_relative_to(Path.cwd().resolve()) else str(path)
    except ValueError:
        return str(path)
