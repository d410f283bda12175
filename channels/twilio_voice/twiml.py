"""TwiML for the phone line, built with the `twilio` library: a calm voice, slow, with pauses.

    <Say voice="Google.en-GB-Neural2-C" language="en-GB"><prosody rate="90%">
      How was our service?<break time="700ms"/>For Good, press 1.<break time="700ms"/>…
    </prosody></Say>

Everything said before the question is its own `<Say>` outside the `<Gather>`, so a stray noise cannot
cut the welcome short; the question itself is inside the `<Gather>`, so a caller who knows the answer
can press it straight away. A `<Redirect>` after the `<Gather>` is where Twilio goes when it heard
nothing: that is how silence reaches us.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from twilio.twiml.voice_response import Gather, VoiceResponse

from channels.twilio_voice.render import Prompt

DEFAULT_VOICES = {"en": "Google.en-GB-Neural2-C", "cy": "Polly.Gwyneth"}
DEFAULT_TAGS = {"en": "en-GB", "cy": "cy-GB"}
FALLBACK_LANGUAGE = "en"
# Characters XML 1.0 cannot carry: Twilio would refuse the whole document over one of them.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class VoiceStyle:
    """How the service sounds: a voice and a language tag per pack language, the pace and the pauses."""

    voices: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_VOICES))
    tags: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_TAGS))  # BCP-47, for speech and listening
    rate: str = "90%"  # slower than usual speech
    pause: str = "700ms"  # between choices and sentences
    timeout_seconds: int = 6  # silence after the question before the re-ask

    def voice(self, language: str) -> str:
        return self.voices.get(language) or self.voices.get(FALLBACK_LANGUAGE) or DEFAULT_VOICES["en"]

    def tag(self, language: str) -> str:
        return self.tags.get(language) or self.tags.get(FALLBACK_LANGUAGE) or DEFAULT_TAGS["en"]


class CallAnswer:
    """One TwiML document in the making."""

    def __init__(self, style: VoiceStyle) -> None:
        self.style = style
        self.response = VoiceResponse()

    def say(self, language: str, lines: Sequence[str], parent: VoiceResponse | Gather | None = None) -> None:
        lines = [_speakable(line) for line in lines if line and line.strip()]
        if not lines:
            return
        say = (parent or self.response).say(voice=self.style.voice(language), language=self.style.tag(language))
        prosody = say.prosody(rate=self.style.rate)
        for index, line in enumerate(lines):
            if index:
                prosody.break_(time=self.style.pause)
            prosody.append(line)

    def ask(self, language: str, prompt: Prompt, action: str, on_silence: str) -> None:
        """The question inside a `<Gather>`, then the way on when nothing is heard."""
        options: dict[str, object] = {
            "input": prompt.input,
            "action": action,
            "method": "POST",
            "timeout": self.style.timeout_seconds,
            "speech_timeout": "auto",
            "language": self.style.tag(language),
            "hints": _speakable(prompt.hints),
            "action_on_empty_result": False,
        }
        if prompt.number:
            options["finish_on_key"] = "#"
        elif not prompt.speech_only:
            # One key is the whole answer; with no finishing key, # and * arrive as keys we can explain.
            options |= {"num_digits": 1, "finish_on_key": ""}
        gather = self.response.gather(**options)
        self.say(language, prompt.lines, parent=gather)
        self.response.redirect(on_silence, method="POST")

    def hang_up(self) -> None:
        self.response.hangup()

    def __str__(self) -> str:
        return str(self.response)


def _speakable(text: str) -> str:
    return _XML_UNSAFE.sub(" ", text)
