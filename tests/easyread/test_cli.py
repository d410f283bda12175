"""`said prompts check`: what it prints and how it exits."""

from __future__ import annotations

import io

from bot.app.cli import main
from bot.app.commands.prompts import run
from bot.content.packs.yamlfile import SHIPPED_PROMPTS


def test_shipped_packs_pass_and_each_gets_a_summary_line():
    out = io.StringIO()
    paths = [str(SHIPPED_PROMPTS / "packs" / f"{name}.yaml") for name in ("parent_carer", "children")]
    assert run(paths, out) == 0
    lines = out.getvalue().splitlines()
    assert lines[-1].startswith("2 packs checked: 0 errors")
    summary = next(line for line in lines if line.startswith("children ("))
    assert "child, reading grade en" in summary and "(most 3)" in summary and "cy not scored" in summary
    # The standard question's exemptions are shown, as warnings, not hidden.
    assert any("[warning]" in line and "NHS Friends and Family Test" in line for line in lines)


def test_an_error_fails_the_run_with_file_line_rule_and_suggestion(write_pack, base_pack):
    base_pack["questions"][0]["text"]["en"] = "How was your appointment?"
    path = write_pack(base_pack)
    out = io.StringIO()
    assert run([str(path)], out) == 1
    text = out.getvalue()
    assert f"{path}:" in text or "sample.yaml:" in text
    assert 'hard-word: question \'overall\' (en): "appointment" is a hard word (say "visit")' in text
    assert text.splitlines()[-1] == "1 pack checked: 1 error, 1 warning"


def test_warnings_alone_pass(write_pack, base_pack):
    base_pack["outro"]["en"] = "Thank you. We did not know about this."
    out = io.StringIO()
    assert run([str(write_pack(base_pack))], out) == 0
    assert "negative:" in out.getvalue()


def test_said_prompts_check_command(write_pack, base_pack, capsys):
    good = write_pack(base_pack)
    assert main(["prompts", "check", str(good)]) == 0
    base_pack["consent"]["en"] = "Can we ask you questions? Now?"
    bad = write_pack(dict(base_pack, id="bad", keywords=["BAD"]), "bad")
    assert main(["prompts", "check", str(bad)]) == 1
    assert "one-question" in capsys.readouterr().out


def test_costs_show_what_each_message_of_a_pack_costs_by_sms():
    out = io.StringIO()
    assert run([str(SHIPPED_PROMPTS / "packs" / "waiting_list.yaml")], out, costs=True) == 0
    text = out.getvalue()
    assert "by SMS at most en 9, cy 9 segments" in text
    assert "| opening | 2 (" in text and "| question 'feeling' | 1 (" in text and "| end | 1 (" in text
    assert "| whole pack, every question asked | 9 | 9 |" in text


def test_a_pack_only_for_the_phone_line_has_no_sms_cost():
    out = io.StringIO()
    assert run([str(SHIPPED_PROMPTS / "packs" / "phone.yaml")], out, costs=True) == 0
    assert "SMS" not in out.getvalue() and "| opening |" not in out.getvalue()
