"""The web chat's small parts: the form reader, CSRF tokens, per-session locks, the text preview."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.messages import Ask, Choice, Reply, Say
from channels.webchat.form import MAX_BODY, MAX_TEXT, FormError, clean_text, parse_form
from channels.webchat.locks import SessionLocks
from channels.webchat.preview import render_text
from channels.webchat.session import CsrfSigner, looks_like_token, new_token

CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@given(st.text(max_size=5000))
def test_clean_text_is_tidy_and_capped(raw: str) -> None:
    text, truncated = clean_text(raw)
    assert len(text) <= MAX_TEXT
    assert not CONTROLS.search(text)
    assert "\r" not in text and "\t" not in text
    assert text == text.strip()
    if truncated:
        assert len(raw) > MAX_TEXT  # only text that really was too long is ever cut
    if len(raw) <= MAX_TEXT:
        assert not truncated


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=MAX_TEXT))
def test_ordinary_text_passes_unchanged_apart_from_edges(raw: str) -> None:
    import unicodedata

    text, truncated = clean_text(raw)
    assert not truncated
    assert text == unicodedata.normalize("NFC", raw).strip()


def test_long_text_is_cut_and_flagged() -> None:
    text, truncated = clean_text("a" * 10_000)
    assert (len(text), truncated) == (MAX_TEXT, True)


@given(st.binary(max_size=4000))
def test_parse_form_reads_any_bytes_or_says_it_cannot(body: bytes) -> None:
    try:
        form = parse_form(body)
    except FormError:
        return
    assert len(form.text) <= MAX_TEXT
    for value in (form.choice, form.start):
        assert value is None or re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", value)
    assert form.turn is None or form.turn >= 0


@given(
    text=st.text(max_size=300),
    choice=st.from_regex(r"[a-z0-9][a-z0-9_]{0,39}", fullmatch=True),
    turn=st.integers(min_value=0, max_value=10**6),
)
def test_parse_form_round_trips_what_a_browser_sends(text: str, choice: str, turn: int) -> None:
    body = urlencode({"csrf": "abc", "turn": str(turn), "text": text, "choice": choice}).encode()
    form = parse_form(body)
    assert (form.csrf, form.turn, form.choice) == ("abc", turn, choice)
    assert form.text == clean_text(text)[0]


def test_parse_form_ignores_values_that_are_not_ours() -> None:
    form = parse_form(b"choice=" + quote("good\"><script>").encode() + b"&start=&turn=-1&turn=2")
    assert (form.choice, form.start, form.turn) == (None, None, None)


def test_parse_form_refuses_floods() -> None:
    with pytest.raises(FormError):
        parse_form(b"&".join(b"a=1" for _ in range(100)))
    with pytest.raises(FormError):
        parse_form(b"a" * (MAX_BODY + 1))


def test_csrf_tokens_belong_to_one_session() -> None:
    signer = CsrfSigner(b"secret")
    a, b = new_token(), new_token()
    assert signer.is_valid(a, signer.token_for(a))
    assert not signer.is_valid(b, signer.token_for(a))
    assert not signer.is_valid(a, None)
    assert not signer.is_valid(None, signer.token_for(a))
    assert not CsrfSigner(b"other").is_valid(a, signer.token_for(a))
    assert a not in signer.token_for(a)


def test_session_tokens_are_random_and_recognised() -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100
    assert all(looks_like_token(t) for t in tokens)
    assert not looks_like_token("short")
    assert not looks_like_token(None)
    assert not looks_like_token("a" * 42 + "!")


def test_an_empty_csrf_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        CsrfSigner(b"")


async def test_session_locks_serialise_one_session_and_tidy_up() -> None:
    locks = SessionLocks()
    order: list[str] = []

    async def work(token: str, name: str) -> None:
        async with locks.hold(token):
            order.append(f"{name} in")
            await asyncio.sleep(0.01)
            order.append(f"{name} out")

    await asyncio.gather(work("t", "a"), work("t", "b"), work("u", "c"))
    assert order.index("a out") < order.index("b in") or order.index("b out") < order.index("a in")
    assert len(locks) == 0


def test_the_text_preview_shows_what_the_page_shows() -> None:
    ask = Ask(
        "overall", "How was your visit?", "choice", "en", "star", "⭐",
        (Choice("good", "Good", "happy", "😀", "1"), Choice("poor", "Poor", "sad", "🙁", "2")),
        hint="Tap one.", progress=(2, 5),
    )
    text = render_text(Reply((Say("Thank you.", emoji="🙏"), ask)))
    assert text.splitlines() == [
        "🙏 Thank you.",
        "",
        "Question 2 of 5",
        "⭐ How was your visit?",
        "Tap one.",
        "[ 😀 Good ]  [ 🙁 Poor ]",
        "Or type your answer: ______  [ Send ]",
    ]


def test_the_text_preview_of_an_open_question_has_no_buttons() -> None:
    ask = Ask("better", "What could we do better?", "text", "en")
    assert render_text(Reply((ask,))) == "What could we do better?\nType your answer: ______  [ Send ]"
