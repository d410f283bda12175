"""`said staff add` and `said broadcast create|list|cancel`, run as the command line runs them."""

from __future__ import annotations

import argparse
import io
import re

import pytest

from bot.app.commands.staff import add_staff_command, broadcast_command


@pytest.fixture
def said(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout
    monkeypatch.setenv("SAID_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'said.db'}")
    monkeypatch.setenv("SAID_SECRET_KEY", "k7Qz2Lp9Xv4Rt1Bm8Hc5Nd3Fw6Gy0Js-p2Wq8Ze5Ur7T")
    parser = argparse.ArgumentParser(prog="said")
    sub = parser.add_subparsers(dest="command", required=True)
    add_staff_command(sub)
    broadcast_command(sub)

    def run(*argv: str, stdin: str = "") -> tuple[int, str]:
        args = parser.parse_args(argv)
        out = io.StringIO()
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        monkeypatch.setattr("sys.stdout", out)
        return args.handler(args), out.getvalue()

    return run


def test_staff_add_prints_a_one_time_password_and_refuses_a_second_account(said, capsys):
    code, out = said("staff", "add", "Sam@Example.org", "--role", "staff")
    assert code == 0
    assert "Added sam@example.org as staff." in out
    assert re.search(r"One-time password: \S{20,}", out)
    code, _ = said("staff", "add", "sam@example.org", "--role", "admin")
    assert code == 1
    assert "already an account" in capsys.readouterr().err
    code, out = said("staff", "list")
    assert out.strip() == "sam@example.org\tstaff"


def test_staff_add_reads_a_password_from_stdin_and_checks_it(said, capsys):
    code, out = said("staff", "add", "ada@example.org", "--role", "admin", "--password-stdin",
                     stdin="maple river lantern quietly\n")
    assert code == 0 and "One-time" not in out
    code, _ = said("staff", "add", "bo@example.org", "--role", "admin", "--password-stdin", stdin="short\n")
    assert code == 2
    assert "at least 12 characters" in capsys.readouterr().err


def test_broadcast_create_list_and_cancel(said, capsys):
    code, out = said("broadcast", "create", "--name", "Clinic", "--text", "The clinic is shut on Friday.",
                     "--audience", "updates", "--at", "2030-01-02 10:00")
    # More than a year ahead is refused, in words.
    assert code == 2 and "within a year" in capsys.readouterr().err
    from datetime import datetime, timedelta

    soon = (datetime.now() + timedelta(days=3)).strftime("%Y-%m-%d 10:00")
    code, out = said("broadcast", "create", "--name", "Clinic", "--text", "The clinic is shut on Friday.",
                     "--text-cy", "Mae'r clinig ar gau ddydd Gwener.", "--audience", "pack:demo", "--at", soon)
    assert code == 0 and re.search(r"Broadcast (\d+) is scheduled for", out)
    broadcast_id = re.search(r"Broadcast (\d+)", out).group(1)
    code, out = said("broadcast", "list")
    assert f"{broadcast_id}\t" in out and "\tscheduled\tClinic" in out
    assert said("broadcast", "cancel", broadcast_id)[0] == 0
    assert said("broadcast", "cancel", broadcast_id)[0] == 1
    code, out = said("broadcast", "create", "--name", "Now", "--text", "We have new nurses.", "--now")
    assert code == 0 and "0 messages queued" in out
    assert said("broadcast", "create", "--name", "x", "--text", "y", "--audience", "pack:nope", "--now")[0] == 2
    assert said("broadcast", "create", "--name", "x", "--text", "y", "--audience", "everyone", "--now")[0] == 2


def test_staff_unlock_clears_wrong_tries_or_prints_a_one_time_link(said, monkeypatch):
    monkeypatch.setenv("SAID_PUBLIC_URL", "https://said.example.org")
    said("staff", "add", "sam@example.org", "--role", "staff")
    code, out = said("staff", "unlock", "sam@example.org")
    assert code == 0 and "Cleared 0 wrong sign-in tries for sam@example.org." in out
    code, out = said("staff", "unlock", "sam@example.org", "--link")
    assert code == 0
    assert re.search(r"https://said\.example\.org/staff/unlock\?t=[A-Za-z0-9_-]{40,}", out)
    code, _ = said("staff", "unlock", "nobody@example.org")
    assert code == 1
