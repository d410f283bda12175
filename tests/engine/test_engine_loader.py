"""Loading packs: every key has a line, and every problem says where it is and how to fix it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.packs.library import SHIPPED_PROMPTS, PackLibrary
from bot.content.packs.loader import PackError, load_pack

DEMO = SHIPPED_PROMPTS / "packs" / "demo.yaml"

GOOD = """\
id: tiny
version: 1
audience: child
languages: [en]
title: {en: Tiny}
keywords: [TINY]
symbol: star
intro: {en: Hello.}
consent: {en: Is that OK?}
outro: {en: Thank you.}
questions:
  - id: feel
    kind: choice
    text:
      en: How do you feel?
    symbol: question
    choices:
      - value: good
        label: {en: Good}
        symbol: happy
      - value: poor
        label: {en: Poor}
        symbol: unhappy
"""


def _write(tmp_path: Path, text: str, name: str = "pack.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        load_pack(path)
    return [str(p) for p in caught.value.problems]


def test_the_demo_pack_loads_with_a_line_for_every_key_and_item() -> None:
    loaded = load_pack(DEMO)
    assert loaded.pack.id == "demo"
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    assert lines[loaded.lines[("id",)] - 1].startswith("id: demo")
    assert "How was your last visit?" in lines[loaded.lines[("questions", 0, "text", "en")] - 1]
    assert "Gwael" in lines[loaded.lines[("questions", 0, "choices", 2, "label", "cy")] - 1]
    assert "FEEDBACK" in lines[loaded.lines[("keywords", 1)] - 1]
    assert "- id: listened" in lines[loaded.lines[("questions", 1)] - 1]
    assert "in: [ok, poor]" in lines[loaded.lines[("questions", 2, "when", "in")] - 1]
    # Every key of every mapping and every item of every list has a line.
    def walk(node: object, here: tuple[str | int, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                assert (*here, key) in loaded.lines, (*here, key)
                walk(value, (*here, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                assert (*here, index) in loaded.lines, (*here, index)
                walk(value, (*here, index))

    walk(loaded.pack.model_dump(by_alias=True, exclude_defaults=True, mode="json"), ())


def test_every_shipped_pack_loads() -> None:
    library = PackLibrary.load(SHIPPED_PROMPTS)
    assert library.get("demo") is not None
    assert library.by_keyword("feedback") is library.get("demo")
    assert library.by_keyword(" Demo! ") is library.get("demo")
    assert library.by_keyword("demo please") is None
    assert library.languages()[:2] == ["en", "cy"]


def test_a_yaml_mistake_names_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("keywords: [TINY]", "keywords: [TINY"))
    (problem,) = _problems(path)
    assert problem.startswith(f"{path}:7: YAML:") and "—" in problem


def test_a_duplicate_key_is_a_problem_on_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("version: 1\n", "version: 1\nversion: 2\n"))
    (problem,) = _problems(path)
    assert ":3: YAML:" in problem and "may appear once" in problem


def test_an_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("    choices:", "    chioces:"))
    problems = _problems(path)
    assert any(":17: question 1 \"feel\", chioces: 'chioces' is not a key we know — did you mean 'choices'?" in p
               for p in problems), problems


def test_a_wrong_kind_lists_the_kinds(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("kind: choice", "kind: choise"))
    (problem,) = _problems(path)
    assert problem == (
        f"{path}:13: question 1 \"feel\", kind: 'choise' is not allowed here"
        " — use one of 'choice', 'scale', 'yesno', 'text', 'number'"
    )


def test_a_missing_key_says_what_to_add(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("symbol: star\n", ""))
    (problem,) = _problems(path)
    assert problem == f"{path}:1: symbol: 'symbol' is missing — add a line  symbol: …"


def test_a_bad_identifier_explains_the_rule(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("id: feel", "id: Feel Good"))
    (problem,) = _problems(path)
    assert ":12: question 1 \"Feel Good\", id:" in problem and "lower-case letters" in problem


def test_a_whole_pack_rule_points_at_the_question_it_names(tmp_path: Path) -> None:
    extra = """\
  - id: why
    kind: text
    text: {en: Why?}
    symbol: pencil
    when: {question: feel, in: [bad]}
"""
    path = _write(tmp_path, GOOD + extra)
    (problem,) = _problems(path)
    assert f"{path}:24: question 2 \"why\":" in problem
    assert "waits for 'bad'" in problem and "use good, poor" in problem


def test_a_missing_translation_points_at_its_text(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("languages: [en]", "languages: [en, cy]").replace(
        "title: {en: Tiny}", "title: {en: Tiny, cy: Bach}"))
    problems = _problems(path)
    assert problems[0].startswith(f"{path}:8: intro:") and "no words for language cy" in problems[0]


def test_a_scale_needs_numbers_in_order(tmp_path: Path) -> None:
    third = "      - value: 3\n        label: {en: OK}\n        symbol: unsure\n"
    path = _write(tmp_path, GOOD.replace("kind: choice", "kind: scale").replace("value: good", "value: 2")
                  .replace("value: poor", "value: 1") + third)
    (problem,) = _problems(path)
    assert ":12: question 1" in problem and "go in order" in problem


def test_a_scale_may_put_the_best_answer_first(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("kind: choice", "kind: scale").replace("value: good", "value: 3")
                  .replace("value: poor", "value: 1"))
    assert [c.value for c in load_pack(path).pack.questions[0].choices] == ["3", "1"]


def test_numbers_as_values_are_read_as_words(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("kind: choice", "kind: scale").replace("value: good", "value: 1")
                  .replace("value: poor", "value: 2"))
    assert [c.value for c in load_pack(path).pack.questions[0].choices] == ["1", "2"]


def test_an_empty_file_is_a_problem(tmp_path: Path) -> None:
    (problem,) = _problems(_write(tmp_path, ""))
    assert ":1: pack:" in problem


def test_the_library_reports_every_file_and_clashes(tmp_path: Path) -> None:
    (tmp_path / "packs").mkdir()
    _write(tmp_path / "packs", GOOD, "a.yaml")
    _write(tmp_path / "packs", GOOD.replace("version: 1", "version: 2"), "b.yaml")
    _write(tmp_path / "packs", GOOD.replace("kind: choice", "kind: nope"), "c.yaml")
    with pytest.raises(PackError) as caught:
        PackLibrary.load(tmp_path)
    text = str(caught.value)
    assert "c.yaml:13:" in text
    assert "b.yaml:1: id: 'tiny' is also the id of a.yaml" in text
    assert "b.yaml:6: keywords: TINY already starts a.yaml" in text


def test_a_missing_packs_folder_is_clear(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no packs folder"):
        PackLibrary.load(tmp_path)
