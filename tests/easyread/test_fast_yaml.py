"""Start-up reads the prompts with libyaml's C parser: the same data as ruamel's own parser, line numbers intact."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot.content.packs import loader
from bot.content.packs.loader import PackError, load_pack
from bot.content.packs.yamlfile import SHIPPED_PROMPTS, has_c_parser, load_fast

SHIPPED_YAML = sorted(SHIPPED_PROMPTS.rglob("*.yaml"))
PACKS = sorted((SHIPPED_PROMPTS / "packs").glob("*.yaml"))


def test_the_c_parser_is_installed():
    assert has_c_parser()  # ruamel.yaml.clib is a dependency; without it start-up is 3-4 times slower


@pytest.mark.parametrize("path", SHIPPED_YAML, ids=lambda p: str(p.relative_to(SHIPPED_PROMPTS)))
def test_every_shipped_file_reads_the_same_with_either_parser(path: Path):
    text = path.read_text(encoding="utf-8")
    assert load_fast(text) == YAML(typ="safe", pure=True).load(text)


@pytest.mark.parametrize("path", SHIPPED_YAML, ids=lambda p: str(p.relative_to(SHIPPED_PROMPTS)))
def test_every_shipped_file_is_read_by_the_c_parser_itself(path: Path):
    # A fall-back to the pure Python parser is silent and slow: "maybe?," unquoted in a [list] once sent
    # both meaning lists there at every start. A phrase ending in "?" is quoted.
    YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def test_words_yaml_1_1_would_turn_into_true_and_false_stay_words():
    assert load_fast("answers: [yes, no, on, off, y, n]\n") == {"answers": ["yes", "no", "on", "off", "y", "n"]}


def test_text_libyaml_refuses_is_read_as_ruamel_reads_it():
    text = "times: [1:20:00, 10:30]\n"
    assert load_fast(text) == YAML(typ="safe", pure=True).load(text)


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name)
def test_a_pack_read_fast_is_the_pack_read_slowly_with_the_same_lines(path: Path, monkeypatch):
    fast = load_pack(path)
    monkeypatch.setattr(loader, "has_c_parser", lambda: False)
    slow = load_pack(path)
    assert fast.pack == slow.pack
    assert fast.lines == slow.lines  # read when asked, for the easy-read check
    assert fast.line(("questions", 0, "text")) == slow.line(("questions", 0, "text")) > 1


def test_a_broken_pack_still_names_its_line(tmp_path: Path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: broken\nversion: 1\ntitle:\n  en: Broken\nquestions:\n  - id: q1\n    kind: choise\n")
    with pytest.raises(PackError) as caught:
        load_pack(broken)
    assert any(problem.line >= 6 for problem in caught.value.problems)
