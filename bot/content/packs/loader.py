"""Load one question pack file, remembering the line of every key and list item.

Problems are reported the way a pack author can act on them:

    prompts/packs/demo.yaml:14: question 2 "overall", kind: 'choise' is not a kind — use one of choice, …

`LoadedPack.lines` maps a location such as ("questions", 2, "text", "en") to its line number, so other
checks (the easy-read checker) can point at the same lines.
"""

from __future__ import annotations

import difflib
import re
import types
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from bot.content.packs.model import Pack
from bot.content.packs.yamlfile import has_c_parser

Location = tuple[str | int, ...]

_PATTERN_ADVICE = {
    r"^[a-z][a-z0-9_]{0,39}$": "use lower-case letters, digits and _, starting with a letter: first_visit",
    r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$": "use a language code like en or cy",
    r"^[a-z0-9][a-z0-9_]{0,39}$": "use lower-case letters, digits and _, like very_good or 3",
    r"^[A-Za-z0-9]{2,20}$": "use 2 to 20 letters or digits, no spaces, like FEEDBACK",
}
_TYPE_ADVICE = {
    "string_type": ("should be words", "put the words after the colon"),
    "int_type": ("should be a whole number", "write a number like 1"),
    "int_parsing": ("should be a whole number", "write a number like 1"),
    "int_from_float": ("should be a whole number", "write a number without a decimal point"),
    "bool_type": ("should be true or false", "write true or false"),
    "bool_parsing": ("should be true or false", "write true or false"),
    "list_type": ("should be a list", "write it as [a, b] or as lines starting with -"),
    "dict_type": ("should be a set of named values", "write it as lines like  en: words"),
    "model_type": ("should be a set of named values", "write it as lines like  id: first"),
    "model_attributes_type": ("should be a set of named values", "write it as lines like  id: first"),
}


@dataclass(frozen=True)
class PackProblem:
    file: Path
    line: int
    where: str
    what: str
    fix: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.where}: {self.what} — {self.fix}"


class PackError(Exception):
    def __init__(self, problems: list[PackProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class LoadedPack:
    pack: Pack
    path: Path
    given_lines: dict[Location, int] | None = field(default=None, repr=False)

    @cached_property
    def lines(self) -> dict[Location, int]:
        """Line numbers, read from the file again the first time they are needed (the check, not serving)."""
        if self.given_lines is not None:
            return self.given_lines
        return _line_numbers(self.path)

    def line(self, location: Location) -> int:
        """The line of `location`, or of its nearest enclosing key when it has none of its own."""
        while location and location not in self.lines:
            location = location[:-1]
        return self.lines.get(location, 1)


def load_pack(path: Path) -> LoadedPack:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problem = PackProblem(path, 1, "file", f"cannot be read ({error})", "check the file name")
        raise PackError([problem]) from None
    fast = _load_valid_fast(text)
    if fast is not None:
        return LoadedPack(fast, path)
    # Something is wrong (or no C parser): read it the slow way, which knows every key's line for the message.
    try:
        document = YAML(typ="rt", pure=True).load(text)
    except MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 1
        what = str(error.problem or error.context or "the YAML is not valid")
        raise PackError([PackProblem(path, line, "YAML", what, _yaml_fix(what))]) from None
    except YAMLError as error:
        raise PackError([PackProblem(path, 1, "YAML", str(error), "check the file is YAML")]) from None
    if not isinstance(document, dict):
        raise PackError([PackProblem(path, 1, "pack", "the file is empty or not a set of named values",
                                     "start with lines like  id: demo  and  version: 1")])
    lines: dict[Location, int] = {(): 1}
    _collect_lines(document, (), lines)
    data = _plain(document)
    try:
        pack = Pack.model_validate(data)
    except ValidationError as error:
        problems = [_translate(e, path, data, lines) for e in error.errors()]
        raise PackError(sorted(problems, key=lambda p: p.line)) from None
    return LoadedPack(pack, path, lines)


def _load_valid_fast(text: str) -> Pack | None:
    """The pack, when libyaml's C parser reads it and it is valid; None for anything else.

    A start-up reads every pack, and ruamel's round-trip parser (needed for line numbers) is about seven
    times slower than the C one; line numbers are only needed to explain a problem, or by the easy-read
    check, which reads them when it asks (`LoadedPack.lines`)."""
    if not has_c_parser():
        return None
    try:
        data = YAML(typ="safe").load(text)
        return Pack.model_validate(data) if isinstance(data, dict) else None
    except (YAMLError, ValidationError):
        return None


def _line_numbers(path: Path) -> dict[Location, int]:
    lines: dict[Location, int] = {(): 1}
    try:
        document = YAML(typ="rt", pure=True).load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError):
        return lines  # the file changed since it loaded; every location reads as line 1
    _collect_lines(document, (), lines)
    return lines


def _yaml_fix(what: str) -> str:
    if "duplicate key" in what:
        return "each key may appear once here; remove or rename one"
    if "tab" in what:
        return "indent with spaces, not tabs"
    return "check the quotes, colons and indents on this line and the one before"


def _collect_lines(node: Any, location: Location, lines: dict[Location, int]) -> None:
    if isinstance(node, CommentedMap):
        for key in node:
            here = (*location, str(key))
            lines[here] = node.lc.key(key)[0] + 1
            _collect_lines(node[key], here, lines)
    elif isinstance(node, CommentedSeq):
        for index, item in enumerate(node):
            here = (*location, index)
            lines[here] = node.lc.item(index)[0] + 1
            _collect_lines(item, here, lines)


def _plain(node: Any) -> Any:
    """ruamel's round-trip types as plain dicts, lists and scalars, so pydantic sees ordinary data."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)


def _translate(error: Any, path: Path, data: Any, lines: dict[Location, int]) -> PackProblem:
    loc: Location = tuple(part for part in error["loc"] if part != "[key]")
    kind = error["type"]
    last = loc[-1] if loc else "pack"
    if kind == "value_error":
        what = str(error["msg"]).removeprefix("Value error, ")
        where_loc = loc or _blame(what, data)
        what, _, fix = what.partition("; ")
        return PackProblem(path, _line(where_loc, lines), _where(where_loc, data), what,
                           fix or "see the example pack in prompts/packs/demo.yaml")
    if kind == "missing":
        what, fix = f"'{last}' is missing", f"add a line  {last}: …"
        loc_for_line = loc[:-1]
    elif kind == "extra_forbidden":
        choices = _allowed_keys(loc[:-1])
        guess = difflib.get_close_matches(str(last), choices, n=1, cutoff=0.6)
        what = f"'{last}' is not a key we know"
        fix = f"did you mean '{guess[0]}'?" if guess else f"use one of {', '.join(choices)}"
        loc_for_line = loc
    elif kind == "enum":
        what = f"'{error['input']}' is not allowed here"
        fix = f"use one of {error['ctx']['expected'].replace(' or ', ', ')}"
        loc_for_line = loc
    elif kind == "string_pattern_mismatch":
        what = f"'{error['input']}' is not written the right way"
        fix = _PATTERN_ADVICE.get(error["ctx"]["pattern"], f"it must match {error['ctx']['pattern']}")
        loc_for_line = loc
    elif kind in ("too_short", "too_long"):
        what = f"has {error['ctx'].get('actual_length', 'the wrong number of')} items"
        bound = error["ctx"].get("min_length" if kind == "too_short" else "max_length")
        fix = f"give it at least {bound}" if kind == "too_short" else f"give it at most {bound}"
        loc_for_line = loc
    elif kind in ("string_too_short", "string_too_long"):
        bound = error["ctx"].get("min_length" if kind == "string_too_short" else "max_length")
        what = "is empty" if kind == "string_too_short" else f"is longer than {bound} letters"
        fix = "write some words" if kind == "string_too_short" else "make it shorter"
        loc_for_line = loc
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        what = f"{error['input']} is out of range"
        fix = str(error["msg"]).replace("Input should be", "it should be")
        loc_for_line = loc
    elif kind in _TYPE_ADVICE:
        what, fix = _TYPE_ADVICE[kind]
        what = f"'{_short(error['input'])}' {what}"
        loc_for_line = loc
    else:
        what, fix = str(error["msg"]), "see the example pack in prompts/packs/demo.yaml"
        loc_for_line = loc
    return PackProblem(path, _line(loc_for_line, lines), _where(loc, data), what, fix)


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _line(location: Location, lines: dict[Location, int]) -> int:
    while location and location not in lines:
        location = location[:-1]
    return lines.get(location, 1)


def _where(location: Location, data: Any) -> str:
    """A readable place: ("questions", 1, "choices", 0, "label") → question 2 "overall", choice 1, label."""
    if not location:
        return "pack"
    words: list[str] = []
    node: Any = data
    index = 0
    while index < len(location):
        part = location[index]
        following = location[index + 1] if index + 1 < len(location) else None
        child = node.get(part) if isinstance(node, dict) else None
        if part in ("questions", "choices") and isinstance(following, int):
            item = child[following] if isinstance(child, list) and following < len(child) else None
            name = item.get("id") or item.get("value") if isinstance(item, dict) else None
            words.append(f"{part[:-1]} {following + 1}" + (f' "{name}"' if name else ""))
            node = item
            index += 2
            continue
        words.append(str(part))
        node = child if child is not None else (
            node[part] if isinstance(node, list) and isinstance(part, int) and part < len(node) else None
        )
        index += 1
    return ", ".join(words)


def _blame(message: str, data: Any) -> Location:
    """For a whole-pack rule, the question (and choice) its message names, else the pack itself."""
    if not isinstance(data, dict):
        return ()
    top = re.match(r"^(\w+) ", message)
    if top and top.group(1) in data and top.group(1) != "question":
        return (top.group(1),)
    questions = data.get("questions")
    if not isinstance(questions, list):
        return ()
    named = re.search(r"question '([^']+)'", message)
    if named is None:
        return ()
    for index, question in enumerate(questions):
        if isinstance(question, dict) and question.get("id") == named.group(1):
            choice = re.search(r"choice '([^']+)'", message)
            for c_index, item in enumerate(question.get("choices") or []):
                if choice and isinstance(item, dict) and str(item.get("value")) == choice.group(1):
                    return ("questions", index, "choices", c_index)
            return ("questions", index)
    return ()


def _allowed_keys(location: Location) -> list[str]:
    """The keys the model accepts at `location`, found by walking the pydantic models."""
    model: type[BaseModel] | None = Pack
    for part in location:
        if model is None:
            return []
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part) or next(
            (f for f in model.model_fields.values() if f.alias == part), None
        )
        model = _model_in(info.annotation) if info else None
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (list, Union, types.UnionType):
        for arg in get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
