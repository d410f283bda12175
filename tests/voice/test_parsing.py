"""The small parsers under the phone line, held to their promises with any input: the call form, the
state in the URL, the sealed transcript, and what counts as "yes" or "stop" when said aloud."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channels.twilio_voice.callstate import CallState, Mode
from channels.twilio_voice.inbound import BadCall, is_withheld, parse_call
from channels.twilio_voice.sealing import TranscriptSeal
from channels.twilio_voice.words import VoiceWords, plain

CALL = "CA" + "ab" * 16

# Twilio form fields as text: any characters a phone network or recogniser could put there.
field_text = st.text(max_size=200)


@given(st.dictionaries(st.sampled_from(["CallSid", "From", "Digits", "SpeechResult", "Confidence", "Caller"]),
                       field_text))
def test_parse_call_gives_a_call_or_says_which_field_is_wrong(form: dict[str, str]) -> None:
    try:
        call = parse_call(form)
    except BadCall as exc:
        assert "CallSid" in str(exc)
        message = str(exc)
        own_words = "the CallSid field is not a call id; the CallSid field is missing"
        for value in form.values():
            # Never echo what arrived (a value that is merely part of the message's own words is no echo).
            if len(value) > 3 and value not in own_words:
                assert value not in message
        return
    assert call.call_sid == form["CallSid"].strip()
    assert "\x00" not in call.speech
    assert call.confidence is None or 0.0 <= call.confidence <= 1.0
    assert call.address == form.get("From", form.get("Caller", "")).strip() or call.withheld
    if call.withheld:
        assert call.address == f"call:{call.call_sid}"


@pytest.mark.parametrize("caller", ["anonymous", "Anonymous", "+266696687", "+7378742833", "", "  ",
                                    "restricted", "UNKNOWN", "+8656696", "client:alice"])
def test_a_withheld_caller_id_becomes_a_one_call_address(caller: str) -> None:
    call = parse_call({"CallSid": CALL, "From": caller})
    assert is_withheld(caller) and call.withheld and call.address == f"call:{CALL}"


def test_a_real_number_is_its_own_address() -> None:
    call = parse_call({"CallSid": CALL, "From": "+447700900123", "SpeechResult": " yes  please ", "Confidence": "0.8"})
    assert not call.withheld and call.address == "+447700900123"
    assert call.speech == "yes please" and call.confidence == 0.8


@pytest.mark.parametrize("confidence", ["", "high", "nan", "inf", "-0.1", "1.5"])
def test_a_confidence_we_cannot_read_is_no_confidence(confidence: str) -> None:
    call = parse_call({"CallSid": CALL, "From": "+447700900123", "SpeechResult": "yes", "Confidence": confidence})
    assert call.confidence is None


states = st.builds(
    CallState,
    call=st.from_regex(r"CA[0-9a-f]{32}", fullmatch=True),
    step=st.integers(0, 100_000),
    mode=st.sampled_from(list(Mode)),
    question=st.from_regex(r"[a-z][a-z0-9_]{0,39}", fullmatch=True) | st.just(""),
    kind=st.sampled_from(["choice", "scale", "yesno", "text", "number"]),
    values=st.lists(st.from_regex(r"[a-z0-9][a-z0-9_]{0,39}", fullmatch=True), max_size=3).map(tuple),
    language=st.sampled_from(["en", "cy", "pt-BR"]),
    silences=st.integers(0, 10),
    quiet_moves=st.integers(0, 100),
    held=st.from_regex(r"[A-Za-z0-9_\-]{1,100}", fullmatch=True) | st.just(""),
    confidence=st.none() | st.floats(0, 1).map(lambda f: round(f, 3)),
)


@given(states)
def test_the_state_survives_the_trip_through_the_url(state: CallState) -> None:
    from urllib.parse import parse_qsl

    if not state.question:
        state = CallState(**{**state.__dict__, "kind": "choice"})
    back = CallState.from_query(dict(parse_qsl(state.to_query())))
    assert back == state


@given(st.dictionaries(st.sampled_from(["c", "n", "m", "q", "k", "v", "p", "pp", "l", "s", "qm", "h", "cf"]),
                       st.text(max_size=60)))
def test_any_query_string_gives_a_state_or_none_never_an_error(query: dict[str, str]) -> None:
    state = CallState.from_query(query)
    if state is not None:
        assert 0 <= state.page < state.pages and len(state.values) <= 8


def test_a_sealed_transcript_opens_only_with_its_key_and_unchanged() -> None:
    seal = TranscriptSeal(os.urandom(32))
    token = seal.close("my son is 12")
    assert seal.open(token) == "my son is 12"
    assert seal.close("my son is 12") != token  # a fresh nonce each time: equal words do not show
    assert TranscriptSeal(os.urandom(32)).open(token) is None
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    assert seal.open(flipped) is None
    assert "son" not in token


@given(st.text(max_size=200))
def test_opening_anything_never_raises(token: str) -> None:
    assert TranscriptSeal(b"k" * 32).open(token) is None  # forging a sealed value needs the key


@given(st.text(max_size=500))
def test_sealing_round_trips_any_text_up_to_the_limit(text: str) -> None:
    seal = TranscriptSeal(b"k" * 32)
    opened = seal.open(seal.close(text))
    assert opened == text.encode("utf-8", "replace").decode("utf-8", "replace")


@pytest.mark.parametrize(("said", "name", "expected"), [
    ("Yes.", "confirm_yes", True),
    ("That's right!", "confirm_yes", True),
    ("Iawn", "confirm_yes", True),
    ("yes but no", "confirm_yes", False),
    ("Nope", "confirm_no", True),
    ("carry on", "carry_on", True),
    ("Start again, please", "start_again", False),
    ("start again", "start_again", True),
])
def test_spoken_confirmations_match_whole_phrases(said: str, name: str, expected: bool) -> None:
    assert VoiceWords.shipped().means(name, said) is expected


@pytest.mark.parametrize(("said", "expected"), [
    ("Please, no more calls!", True),
    ("stop calling me", True),
    ("Dim mwy o alwadau", True),
    ("peidiwch â ffonio", True),
    ("the calls were no more than five minutes", False),
    ("it was good", False),
])
def test_stop_like_phrases_are_found_inside_what_was_said(said: str, expected: bool) -> None:
    assert VoiceWords.shipped().mentions_stop(said) is expected


@given(st.text(max_size=200))
def test_plain_is_lower_case_words_only(text: str) -> None:
    folded = plain(text)
    assert folded == folded.casefold()
    assert "  " not in folded and folded == folded.strip()
    assert plain(folded) == folded
