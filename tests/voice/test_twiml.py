"""The TwiML itself: the voice and language, a slow rate with pauses between choices, what the <Gather>
listens for, where Twilio goes next, and that nothing is ever recorded."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.messages import Ask, Choice, Reply, Say
from channels.twilio_voice.render import prompt_for, speak
from channels.twilio_voice.twiml import CallAnswer, VoiceStyle
from channels.twilio_voice.words import VoiceWords

from .conftest import PUBLIC_URL, make_world


async def test_every_say_uses_the_british_neural_voice_slowly(world) -> None:
    caller = world.caller()
    page = await caller.ring()
    assert page.says
    for say in page.says:
        assert say.attrib == {"voice": "Google.en-GB-Neural2-C", "language": "en-GB"}
        prosody = say.find("prosody")
        assert prosody is not None and prosody.attrib == {"rate": "90%"}


async def test_choices_are_named_before_their_key_with_a_pause_between_each(world) -> None:
    caller = world.caller()
    await caller.ring()
    page = await caller.press("1")
    prosody = page.gather.find("Say/prosody")
    pieces = [prosody.text or ""] + [brk.tail or "" for brk in prosody.findall("break")]
    choices = [p for p in pieces if p.startswith("For ")]
    assert len(choices) == 3 and all(p.endswith(("press 1.", "press 2.", "press 3.")) for p in choices)
    assert all(brk.attrib == {"time": "700ms"} for brk in prosody.findall("break"))


async def test_the_gather_listens_for_one_key_or_speech_and_posts_back_under_the_voice_path(world) -> None:
    caller = world.caller()
    page = await caller.ring()
    gather = page.gather
    assert gather.attrib["input"] == "dtmf speech"
    assert gather.attrib["numDigits"] == "1" and gather.attrib["finishOnKey"] == ""
    assert gather.attrib["timeout"] == "6" and gather.attrib["speechTimeout"] == "auto"
    assert gather.attrib["language"] == "en-GB" and gather.attrib["method"] == "POST"
    assert "Yes" in gather.attrib["hints"] and "No" in gather.attrib["hints"]
    action = urlsplit(gather.attrib["action"])
    assert f"{action.scheme}://{action.netloc}" == PUBLIC_URL
    assert action.path == "/webhooks/twilio/voice/answer"
    assert parse_qs(action.query)["c"] == [caller.call_sid]
    # Silence: Twilio falls through to the redirect, to the silence path, same state.
    children = list(page.xml)
    assert children.index(gather) == len(children) - 2 and children[-1].tag == "Redirect"
    silence = urlsplit(page.redirect.text)
    assert silence.path == "/webhooks/twilio/voice/silence" and silence.query == action.query


async def test_the_welcome_is_outside_the_gather_so_a_noise_cannot_cut_it_short(world) -> None:
    page = await world.caller().ring()
    before = [say for say in page.xml.findall("Say")]
    assert any("do not record this call" in "".join(s.itertext()) for s in before)


async def test_no_call_is_ever_recorded(world) -> None:
    caller = world.caller()
    pages = [await caller.ring()]
    pages.append(await caller.press("1"))
    pages.append(await caller.say("good", confidence=0.3))
    pages.append(await caller.press("1"))
    for page in pages:
        tags = {element.tag for element in page.xml.iter()}
        assert not tags & {"Record", "Transcribe", "Start", "Stream", "Dial"}
        assert "record" not in {key.lower() for element in page.xml.iter() for key in element.attrib}


async def test_the_voice_and_pace_follow_the_settings(database, tmp_path) -> None:
    world = await make_world(database, tmp_path)
    async with world.http:
        from bot.app.voice import voice_style

        settings = world.parts.settings.model_copy(
            update={"voice_name": "Polly.Amy-Neural", "voice_rate": "80%", "voice_timeout_seconds": 9}
        )
        style = voice_style(settings)
    assert style.voice("en") == "Polly.Amy-Neural" and style.voice("cy") == "Polly.Gwyneth"
    assert style.rate == "80%" and style.timeout_seconds == 9
    assert style.voice("fr") == "Polly.Amy-Neural"  # an unknown language falls back to English


def test_preview_voice_for_said_chat_reads_what_a_caller_hears() -> None:
    ask = Ask("overall", "How was our service?", "choice", "en",
              choices=(Choice("good", "Good", "happy", "", "1"), Choice("poor", "Poor", "unhappy", "", "2")))
    lines = speak(Reply((Say("Hello."), ask)))
    assert lines[:2] == ["Hello.", "How was our service?"]
    assert "For Good, press 1." in lines and "To skip this question, press 0." in lines


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_transcript_or_label_gives_well_formed_twiml(text: str) -> None:
    import xml.etree.ElementTree as ET

    words = VoiceWords.shipped()
    ask = Ask("q", text or "?", "choice", "en", choices=(Choice("a", text, "happy", "", "1"),
                                                        Choice("b", "Other", "happy", "", "2")))
    answer = CallAnswer(VoiceStyle())
    answer.say("en", [text, words.get("heard", "en", heard=text)])
    answer.ask("en", prompt_for(ask, words), PUBLIC_URL + "/a?x=1&y=2", PUBLIC_URL + "/s")
    answer.hang_up()
    ET.fromstring(str(answer))  # parses: nothing a caller says can break the document
