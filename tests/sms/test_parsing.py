"""Reading Twilio's form and writing TwiML: whatever a phone sends, the adapter reads it or says which
field is missing, and whatever we answer arrives intact."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.messages import Channel
from channels.twilio_sms.inbound import BadInbound, parse_inbound
from channels.twilio_sms.render import split_for_twilio, twiml, twiml_by_library

NOW = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
BASE = {"MessageSid": "SM" + "a" * 32, "From": "+447700900123", "To": "+447700900999", "Body": "hello"}

# Text as phones send it: any Unicode a form can carry, emoji and all.
form_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)


@given(st.dictionaries(st.sampled_from(
    ["MessageSid", "SmsSid", "From", "To", "Body", "NumMedia", "MediaContentType0", "MediaContentType1",
     "OptOutType", "MessagingServiceSid", "SomethingTwilioAddsLater"]), form_text))
def test_any_form_is_read_or_refused_by_name(form: dict[str, str]) -> None:
    try:
        parsed = parse_inbound(form, NOW)
    except BadInbound as exc:
        assert str(exc) in ("the From field is missing", "the MessageSid field is missing")
        return
    assert parsed.address == form["From"].strip()
    assert parsed.message.provider_id and len(parsed.message.provider_id) <= 128
    assert "\x00" not in parsed.message.text
    names = {"picture", "voice note", "video", "contact card", "file"}
    assert all(name in names for name in parsed.message.media)


def test_a_body_of_1600_characters_is_kept_whole() -> None:
    body = ("I want to say " + "a lot " * 300)[:1600]
    assert parse_inbound({**BASE, "Body": body}, NOW).message.text == body


@pytest.mark.parametrize(
    ("types", "names"),
    [
        (("image/jpeg",), ("picture",)),
        (("image/png", "audio/ogg"), ("picture", "voice note")),
        (("video/mp4",), ("video",)),
        (("text/vcard",), ("contact card",)),
        (("application/pdf",), ("file",)),
    ],
)
def test_media_is_named_not_downloaded(types, names) -> None:
    form = {**BASE, "Body": "", "NumMedia": str(len(types))}
    form |= {f"MediaContentType{i}": t for i, t in enumerate(types)}
    form |= {f"MediaUrl{i}": f"https://api.twilio.com/media/{i}" for i in range(len(types))}
    message = parse_inbound(form, NOW).message
    assert message.media == names and message.text == ""


def test_whatsapp_is_told_apart_by_its_from_address() -> None:
    parsed = parse_inbound({**BASE, "From": "whatsapp:+447700900123", "To": "whatsapp:+447700900999"}, NOW)
    assert parsed.channel == Channel.WHATSAPP and parsed.message.channel == Channel.WHATSAPP
    assert parsed.to == "+447700900999"


@pytest.mark.parametrize(("kind", "command"), [("STOP", "STOP"), ("start", "START"), ("Help", "HELP")])
def test_twilio_opt_out_types_become_our_commands(kind, command) -> None:
    parsed = parse_inbound({**BASE, "Body": "arrête", "OptOutType": kind}, NOW)
    assert parsed.message.text == command and parsed.opt_out_type == command


def test_an_unknown_opt_out_type_leaves_the_words_alone() -> None:
    parsed = parse_inbound({**BASE, "Body": "hello", "OptOutType": "SOMETHINGNEW"}, NOW)
    assert parsed.message.text == "hello" and parsed.opt_out_type is None


def test_the_idempotency_token_stands_in_for_a_missing_message_sid() -> None:
    form = {k: v for k, v in BASE.items() if k != "MessageSid"}
    assert parse_inbound(form, NOW, idempotency_token="tok-1").message.provider_id == "idem:tok-1"
    with pytest.raises(BadInbound):
        parse_inbound(form, NOW)


@given(st.lists(form_text, max_size=8), st.integers(min_value=20, max_value=1600))
def test_split_pieces_fit_and_lose_no_words(paragraphs: list[str], limit: int) -> None:
    text = "\n\n".join(paragraphs)
    pieces = split_for_twilio(text, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())


@given(st.lists(form_text, max_size=4))
def test_twiml_is_always_well_formed(texts: list[str]) -> None:
    root = ET.fromstring(twiml(texts))
    assert root.tag == "Response" and len(root.findall("Message")) == len(texts)


printable = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
                    | st.just("\n"), min_size=1, max_size=300)


@given(st.lists(printable, max_size=4))
def test_twiml_carries_every_text_exactly(texts: list[str]) -> None:
    assert [m.text or "" for m in ET.fromstring(twiml(texts)).findall("Message")] == texts


@given(st.lists(form_text | st.sampled_from(["", "]]>", "a & b < c > d", "\r\n", "\x00\x0b", "\ud800"]), max_size=4))
def test_twiml_is_what_the_twilio_library_writes(texts: list[str]) -> None:
    # Twilio reads the answer we write ourselves exactly as it would read the library's own.
    assert twiml(texts) == twiml_by_library(texts)
